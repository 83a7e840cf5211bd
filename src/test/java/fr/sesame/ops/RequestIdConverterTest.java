package fr.sesame.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text log's pattern names the request only on lines written during one. */
class RequestIdConverterTest {
    @SuppressWarnings("unchecked")
    private static String line(Map<String, String> mdc) {
        // The app's own logback.xml, its text appender (the default)
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(RequestIdConverterTest.class.getResource("/logback.xml"));
        } catch (JoranException e) {
            throw new IllegalStateException(e);
        }
        Logger logger = context.getLogger("test");
        ConsoleAppender<ILoggingEvent> text =
                (ConsoleAppender<ILoggingEvent>)
                        context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("text");
        PatternLayout layout =
                (PatternLayout) ((PatternLayoutEncoder) text.getEncoder()).getLayout();
        LoggingEvent event = new LoggingEvent("x", logger, Level.INFO, "hello", null, null);
        event.setMDCPropertyMap(mdc);
        String line = layout.doLayout(event).strip();
        return line.substring(line.indexOf("hello"));
    }

    @Test
    void a_line_in_a_request_ends_with_its_id_and_a_line_outside_with_nothing() {
        assertThat(line(Map.of("requestId", "abc123"))).isEqualTo("hello requestId=abc123");
        assertThat(line(Map.of())).isEqualTo("hello");
    }
}
