package fr.sesame.web;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The reverse proxies whose X-Forwarded-For is believed (TRUSTED_PROXIES: addresses and CIDR
 * ranges). From any other peer the header is ignored: anyone can write it. Behind trusted proxies
 * the client is the right-most hop that is not one of them; the hops to its left were written by
 * the client itself.
 */
public final class TrustedProxies {
    private static final Pattern LITERAL =
            Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private record Range(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) return false;
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((address[i / 8] & mask) != (network[i / 8] & mask)) return false;
            }
            return true;
        }
    }

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = ranges;
    }

    public static TrustedProxies none() {
        return new TrustedProxies(List.of());
    }

    /**
     * "10.0.0.0/8, 192.0.2.7, ::1"; an entry that is not an address or range is an
     * IllegalArgumentException.
     */
    public static TrustedProxies parse(String list) {
        List<Range> ranges = new ArrayList<>();
        if (list != null) {
            for (String entry : list.split(",")) {
                String e = entry.trim();
                if (e.isEmpty()) continue;
                int slash = e.indexOf('/');
                byte[] network = literal(slash < 0 ? e : e.substring(0, slash));
                if (network == null)
                    throw new IllegalArgumentException(
                            "'" + e + "' is not an IP address or a CIDR range");
                int bits = network.length * 8;
                if (slash >= 0) {
                    try {
                        bits = Integer.parseInt(e.substring(slash + 1));
                    } catch (NumberFormatException ex) {
                        bits = -1;
                    }
                    if (bits < 0 || bits > network.length * 8) {
                        throw new IllegalArgumentException("'" + e + "' has a wrong prefix length");
                    }
                }
                ranges.add(new Range(network, bits));
            }
        }
        return new TrustedProxies(Collections.unmodifiableList(ranges));
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /**
     * The client's address: the socket's peer, or behind trusted proxies the right-most untrusted
     * forwarded hop.
     */
    public String clientAddress(Context ctx) {
        String peer = ctx.req().getRemoteAddr();
        if (!trusted(peer)) return peer;
        List<String> hops = new ArrayList<>();
        for (String header : Collections.list(ctx.req().getHeaders("X-Forwarded-For"))) {
            for (String hop : header.split(",")) hops.add(hop.trim());
        }
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            // A hop that is not an address was not written by a proxy: the last address read is the
            // client.
            if (literal(hops.get(i)) == null) return client;
            client = hops.get(i);
            if (!trusted(client)) return client;
        }
        return client;
    }

    /** Whether this peer address is one of the trusted proxies (whose headers may be believed). */
    public boolean isTrusted(String address) {
        return trusted(address);
    }

    private boolean trusted(String address) {
        if (ranges.isEmpty()) return false;
        byte[] bytes = literal(address);
        return bytes != null && ranges.stream().anyMatch(r -> r.contains(bytes));
    }

    /** The bytes of an IP literal, never a DNS lookup; null when it is not one. */
    private static byte[] literal(String text) {
        if (text == null) return null;
        String t =
                text.startsWith("[") && text.endsWith("]")
                        ? text.substring(1, text.length() - 1)
                        : text;
        if (!LITERAL.matcher(t).matches()) return null;
        try {
            return InetAddress.getByName(t).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
