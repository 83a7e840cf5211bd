package fr.sesame.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Every calendar text exists in French and in English. */
class CalendarMessagesTest {

    private static Set<String> calendarKeys(String resource) throws Exception {
        Properties p = new Properties();
        try (InputStream in = CalendarMessagesTest.class.getResourceAsStream(resource)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        Set<String> keys = new TreeSet<>();
        for (String k : p.stringPropertyNames()) if (k.startsWith("calendar.")) keys.add(k);
        return keys;
    }

    @Test
    void every_calendar_text_is_in_french_and_in_english() throws Exception {
        Set<String> fr = calendarKeys("/i18n/messages.properties");
        Set<String> en = calendarKeys("/i18n/messages_en.properties");
        assertThat(fr).hasSizeGreaterThan(50);
        assertThat(en).isEqualTo(fr);
    }
}
