package fr.sesame.devices;

import java.util.List;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Schools and their pupils, with whether each pupil's device may go home. */
@RegisterConstructorMapper(SchoolDao.School.class)
@RegisterConstructorMapper(SchoolDao.Pupil.class)
public interface SchoolDao {
    record School(long id, String uai, String name) {
    }

    record Pupil(@ColumnName("class_level") String classLevel, @ColumnName("class_name") String className,
                 @ColumnName("first_name") String firstName, @ColumnName("last_name") String lastName,
                 @ColumnName("asset_tag") String assetTag, @ColumnName("home_use") boolean homeUse) {
    }

    @SqlQuery("select id, uai, name from school order by name")
    List<School> schools();

    @SqlQuery("select id, uai, name from school where id = :id")
    List<School> school(@Bind("id") long id);

    @SqlQuery("""
            select c.class_level, c.class_name, c.first_name, c.last_name, d.asset_tag,
                   coalesce(d.state = 'home_use', false) as home_use
            from child c
            left join device d on d.child_id = c.id and d.state in ('school_only', 'home_use')
            where c.school_id = :school
            order by c.class_level, c.class_name, c.last_name, c.first_name""")
    List<Pupil> pupils(@Bind("school") long schoolId);
}
