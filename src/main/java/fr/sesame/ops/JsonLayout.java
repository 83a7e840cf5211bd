package fr.sesame.ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line: time, level, logger, thread, message, the MDC (the request id), the
 * event's key-value pairs as fields of their own, and the error's stack as one string. Flat on
 * purpose: log collectors index top-level fields, and logback's own JsonEncoder nests them and adds
 * fields nobody searches.
 */
public final class JsonLayout extends LayoutBase<ILoggingEvent> {

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder sb = new StringBuilder(256);
        sb.append('{');
        field(sb, "time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
        field(sb, "level", event.getLevel().toString());
        field(sb, "logger", event.getLoggerName());
        field(sb, "thread", event.getThreadName());
        field(sb, "message", event.getFormattedMessage());
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) mdc.forEach((k, v) -> field(sb, k, v));
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair kv : event.getKeyValuePairs()) {
                if (kv.value instanceof Number || kv.value instanceof Boolean) {
                    name(sb, kv.key).append(kv.value).append(',');
                } else {
                    field(sb, kv.key, kv.value == null ? null : kv.value.toString());
                }
            }
        }
        if (event.getThrowableProxy() != null)
            field(sb, "error", ThrowableProxyUtil.asString(event.getThrowableProxy()));
        sb.setLength(sb.length() - 1);
        return sb.append('}').append(CoreConstants.LINE_SEPARATOR).toString();
    }

    private static void field(StringBuilder sb, String name, String value) {
        name(sb, name);
        if (value == null) sb.append("null");
        else quote(sb, value);
        sb.append(',');
    }

    private static StringBuilder name(StringBuilder sb, String name) {
        quote(sb, name);
        return sb.append(':');
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029)
                        sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
