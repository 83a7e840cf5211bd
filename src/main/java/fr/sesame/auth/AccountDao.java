package fr.sesame.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Staff accounts, API tokens, and the guardians who sign in. */
public interface AccountDao {

    record Staff(
            long id,
            String email,
            @ColumnName("display_name") String displayName,
            String role,
            @ColumnName("school_id") Long schoolId,
            @ColumnName("school_name") String schoolName,
            @ColumnName("password_hash") String passwordHash,
            boolean active) {}

    record Guardian(
            long id,
            @ColumnName("family_id") long familyId,
            @ColumnName("first_name") String firstName,
            @ColumnName("last_name") String lastName,
            String language) {
        public String displayName() {
            return firstName + " " + lastName;
        }
    }

    record ApiToken(
            long id,
            String name,
            String scope,
            @ColumnName("created_at") Instant createdAt,
            @ColumnName("revoked_at") Instant revokedAt,
            @ColumnName("last_used_at") Instant lastUsedAt) {}

    String STAFF_COLUMNS =
            "s.id, s.email, s.display_name, s.role, s.school_id, sc.name as school_name, "
                    + "s.password_hash, s.active from staff_account s left join school sc on sc.id = s.school_id";

    @SqlQuery("select " + STAFF_COLUMNS + " where lower(s.email) = lower(:email)")
    Optional<Staff> staffByEmail(@Bind("email") String email);

    @SqlQuery("select " + STAFF_COLUMNS + " order by s.role, lower(s.display_name)")
    List<Staff> allStaff();

    @SqlQuery("select id from school where uai = :uai")
    Optional<Long> schoolIdByUai(@Bind("uai") String uai);

    @SqlQuery("select uai, name from school order by name")
    List<AdminController.SchoolChoice> schoolChoices();

    @SqlQuery("select exists (select 1 from staff_account where role = 'admin' and active)")
    boolean anyAdmin();

    @SqlUpdate(
            """
            insert into staff_account (email, display_name, role, school_id, password_hash)
            values (:email, :name, :role, :school, :hash)""")
    @GetGeneratedKeys("id")
    long createStaff(
            @Bind("email") String email,
            @Bind("name") String displayName,
            @Bind("role") String role,
            @Bind("school") Long schoolId,
            @Bind("hash") String passwordHash);

    @SqlUpdate("update staff_account set password_hash = :hash, active = true where id = :id")
    void setPassword(@Bind("id") long id, @Bind("hash") String passwordHash);

    @SqlUpdate("update staff_account set active = :active where id = :id")
    int setActive(@Bind("id") long id, @Bind("active") boolean active);

    @SqlQuery("select id, family_id, first_name, last_name, language from guardian where id = :id")
    Optional<Guardian> guardian(@Bind("id") long id);

    @SqlUpdate(
            "insert into api_token (name, scope, token_hash, created_by) values (:name, :scope, :hash, :by)")
    @GetGeneratedKeys("id")
    long createToken(
            @Bind("name") String name,
            @Bind("scope") String scope,
            @Bind("hash") String tokenHash,
            @Bind("by") Long createdBy);

    @SqlQuery(
            "update api_token set last_used_at = now() where token_hash = :hash and revoked_at is null "
                    + "returning id, name, scope, created_at, revoked_at, last_used_at")
    Optional<ApiToken> useToken(@Bind("hash") String tokenHash);

    @SqlQuery(
            "select id, name, scope, created_at, revoked_at, last_used_at from api_token order by created_at desc")
    List<ApiToken> tokens();

    @SqlUpdate("update api_token set revoked_at = now() where id = :id and revoked_at is null")
    int revokeToken(@Bind("id") long id);
}
