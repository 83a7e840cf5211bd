package fr.sesame.db;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.generic.GenericTypes;
import org.jdbi.v3.core.mapper.ColumnMapper;
import org.jdbi.v3.core.mapper.ColumnMappers;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.RowMapperFactory;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Maps a row to one of our records by its components' names: {@code @ColumnName} when present, else
 * the name in snake_case or any case ({@code startsAt} reads {@code starts_at}). Every component
 * needs its column.
 *
 * <p>Jdbi's ConstructorMapper does the same but matches the columns again at every query,
 * re-reading the constructor's annotations each time; under a booking storm that was the largest
 * CPU cost of a request. Here the match is made once per record and query shape and kept.
 */
public final class RecordMappers implements RowMapperFactory {
    private final Map<Class<?>, RecordMapper<?>> mappers = new ConcurrentHashMap<>();

    @Override
    public Optional<RowMapper<?>> build(Type type, ConfigRegistry config) {
        Class<?> raw = GenericTypes.getErasedType(type);
        if (!raw.isRecord() || !raw.getName().startsWith("fr.sesame.")) return Optional.empty();
        ColumnMappers columns = config.get(ColumnMappers.class);
        return Optional.of(mappers.computeIfAbsent(raw, r -> new RecordMapper<>(r, columns)));
    }

    private static final class RecordMapper<T> implements RowMapper<T> {
        private final Class<T> type;
        private final Constructor<T> constructor;
        private final RecordComponent[] components;
        private final ColumnMapper<?>[] columnMappers;

        /** Column positions of each component, by the query's column labels. */
        private final Map<String, int[]> shapes = new ConcurrentHashMap<>();

        RecordMapper(Class<T> type, ColumnMappers columns) {
            this.type = type;
            this.components = type.getRecordComponents();
            Class<?>[] parameterTypes = new Class<?>[components.length];
            this.columnMappers = new ColumnMapper<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                parameterTypes[i] = components[i].getType();
                Type componentType = components[i].getGenericType();
                columnMappers[i] =
                        columns.findFor(componentType)
                                .orElseThrow(
                                        () ->
                                                new IllegalStateException(
                                                        "no column mapper for "
                                                                + componentType
                                                                + " in "
                                                                + type.getName()));
            }
            try {
                this.constructor = type.getDeclaredConstructor(parameterTypes);
                this.constructor.setAccessible(true);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(
                        type.getName() + " has no canonical constructor", e);
            }
        }

        @Override
        public T map(ResultSet rs, StatementContext ctx) throws SQLException {
            return specialize(rs, ctx).map(rs, ctx);
        }

        @Override
        public RowMapper<T> specialize(ResultSet rs, StatementContext ctx) throws SQLException {
            ResultSetMetaData meta = rs.getMetaData();
            String[] labels = new String[meta.getColumnCount()];
            for (int c = 0; c < labels.length; c++) labels[c] = meta.getColumnLabel(c + 1);
            int[] positions =
                    shapes.computeIfAbsent(String.join(",", labels), key -> positions(labels));
            return (row, context) -> {
                Object[] values = new Object[positions.length];
                for (int i = 0; i < positions.length; i++)
                    values[i] = columnMappers[i].map(row, positions[i], context);
                try {
                    return constructor.newInstance(values);
                } catch (InstantiationException | IllegalAccessException e) {
                    throw new IllegalStateException(e);
                } catch (InvocationTargetException e) {
                    if (e.getCause() instanceof RuntimeException r) throw r;
                    throw new IllegalStateException(e.getCause());
                }
            };
        }

        private int[] positions(String[] labels) {
            int[] positions = new int[components.length];
            for (int i = 0; i < components.length; i++) {
                // @ColumnName on a record component lands on the canonical constructor's parameter
                ColumnName named = constructor.getParameters()[i].getAnnotation(ColumnName.class);
                String wanted = normalize(named != null ? named.value() : components[i].getName());
                positions[i] = -1;
                for (int c = 0; c < labels.length; c++) {
                    if (normalize(labels[c]).equals(wanted)) {
                        positions[i] = c + 1;
                        break;
                    }
                }
                if (positions[i] < 0) {
                    throw new IllegalStateException(
                            "no column for "
                                    + components[i].getName()
                                    + " of "
                                    + type.getName()
                                    + " among "
                                    + String.join(", ", labels));
                }
            }
            return positions;
        }

        private static String normalize(String name) {
            return name.replace("_", "").toLowerCase(Locale.ROOT);
        }
    }
}
