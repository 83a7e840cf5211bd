package fr.sesame.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import fr.sesame.support.TestApp;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RequestLogTest {

    @Test
    void each_request_gives_one_log_line_with_method_path_status_and_duration_but_no_query_string()
            throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("request");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        String firstId;
        try (TestApp app = TestApp.start()) {
            firstId =
                    app.client()
                            .get("/?code=K7M49PQX&name=Lina")
                            .headers()
                            .firstValue("X-Request-Id")
                            .orElseThrow();
            app.client().get("/missing");
            for (int i = 0; i < 50 && appender.list.size() < 2; i++) Thread.sleep(20);
        } finally {
            logger.detachAppender(appender);
        }
        List<String> lines =
                appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0))
                .matches("method=GET route=/ path=/ status=200 durationMs=\\d+ actor=anonymous");
        assertThat(lines.get(1))
                .matches(
                        "method=GET route=unmatched path=/missing status=404 durationMs=\\d+ actor=anonymous");
        assertThat(appender.list.get(0).getMDCPropertyMap()).containsEntry("requestId", firstId);
        assertThat(String.join("\n", lines)).doesNotContain("K7M49PQX", "Lina");
    }
}
