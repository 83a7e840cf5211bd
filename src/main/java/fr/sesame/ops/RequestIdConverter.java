package fr.sesame.ops;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %requestId} in the text log's pattern: " requestId=…" for a line written during a request,
 * nothing otherwise. It replaces a {@code %replace} whose regular expression ran on every line,
 * which the booking storm's profile showed among a request's costs.
 */
public final class RequestIdConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        String id = event.getMDCPropertyMap().get("requestId");
        return id == null || id.isEmpty() ? "" : " requestId=" + id;
    }
}
