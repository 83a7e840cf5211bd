package fr.sesame.messaging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's and the default sender: writes each message to the log instead of a provider; the
 * messages are listed at /admin/outbox beside the e-mails, as sent by {@code log}.
 */
public final class LogSmsSender implements SmsSender {
    private static final Logger log = LoggerFactory.getLogger(LogSmsSender.class);

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
        return new Accepted("log-" + sms.idempotencyKey());
    }
}
