package fr.sesame.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one ObjectMapper of the app (the web layer answers with it too), and small helpers for audit
 * details and stored answers.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /** A JSON object from alternating keys and values, in that order. */
    public static String object(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2)
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return write(map);
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A stored answer read back as its record; fields it does not know (written by another version)
     * are skipped.
     */
    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readerFor(type)
                    .without(
                            com.fasterxml.jackson.databind.DeserializationFeature
                                    .FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
