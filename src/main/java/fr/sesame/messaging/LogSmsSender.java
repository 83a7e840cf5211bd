package fr.sesame.messaging;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's and the default sender: writes each message to the log instead of a provider; the
 * messages are listed at /admin/outbox beside the e-mails, as sent by {@code log}. It remembers the
 * keys it logged since the app started: a message in doubt that it already logged is not logged
 * again ({@link #lookup}).
 */
public final class LogSmsSender implements SmsSender {
    private static final Logger log = LoggerFactory.getLogger(LogSmsSender.class);
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    @Override
    public String name() {
        return "log";
    }

    @Override
    public Accepted send(Sms sms) {
        log.info(
                "event=sms_logged sms={} key={} to={} from={} chars={}",
                sms.id(),
                sms.idempotencyKey(),
                sms.recipient(),
                sms.senderName(),
                sms.body().length());
        logged.add(sms.idempotencyKey());
        return new Accepted("log-" + sms.idempotencyKey());
    }

    @Override
    public Optional<Accepted> lookup(Sms sms, Instant since) {
        return logged.contains(sms.idempotencyKey())
                ? Optional.of(new Accepted("log-" + sms.idempotencyKey()))
                : Optional.empty();
    }
}
