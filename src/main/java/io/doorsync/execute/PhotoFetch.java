package io.doorsync.execute;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import io.doorsync.execute.PhotoSync.PhotoRejected;

/**
 * Fetches a member's photo from its URL without letting the URL hurt: one deadline for the whole fetch, body
 * included (a server that drips its body cannot hold a run, and its lock); at most {@code maxBytes + 1} bytes
 * kept; only http(s), to hosts whose addresses, once resolved, are public (no loopback, private, link-local,
 * metadata, multicast or unique-local address, unless the host is on the allow-list); redirects followed by hand,
 * each checked the same way. Words for the journal name a URL without its query (a presigned URL's signature).
 * <p>
 * The JDK client resolves the host again when it connects, so a DNS answer that changes in between (rebinding)
 * is not caught here; the NetworkPolicy of deploy/k8s, which lets doorsync reach public addresses only, is the
 * second line.
 */
final class PhotoFetch {

    private static final int MAX_REDIRECTS = 5;

    private final HttpClient http;
    private final int maxBytes;
    private final Duration deadline;
    /** Host names (lower case) whose internal addresses are allowed: an intranet photo host. */
    private final Set<String> allowedHosts;

    PhotoFetch(int maxBytes, Duration deadline, List<String> allowedHosts) {
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(deadline)
                .build();
        this.maxBytes = maxBytes;
        this.deadline = deadline;
        this.allowedHosts = allowedHosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT))
                .filter(h -> !h.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /** The image's bytes (at most {@code maxBytes + 1}: more is too large), or why the URL was refused. */
    byte[] fetch(String url) throws PhotoRejected {
        URI uri = parse(url);
        long until = System.nanoTime() + deadline.toNanos();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            checkAddress(uri, url);
            HttpResponse<byte[]> response = send(uri, url, until);
            int status = response.statusCode();
            if (status == 200) {
                return response.body();
            }
            String location = response.headers().firstValue("location").orElse(null);
            if (status / 100 != 3 || location == null) {
                throw new PhotoRejected("the photo URL '" + shown(url) + "' is unreachable: it answered HTTP " + status);
            }
            URI next = redirect(uri, location, url);
            if ("https".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
                throw new PhotoRejected("the photo URL '" + shown(url) + "' redirects from https to http");
            }
            uri = next;
        }
        throw new PhotoRejected("the photo URL '" + shown(url) + "' redirects more than " + MAX_REDIRECTS + " times");
    }

    private static URI parse(String url) throws PhotoRejected {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new PhotoRejected("the photo URL '" + shown(url) + "' is not a URL");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                || uri.getHost() == null) {
            throw new PhotoRejected("the photo URL '" + shown(url) + "' is not http or https");
        }
        return uri;
    }

    private static URI redirect(URI from, String location, String url) throws PhotoRejected {
        try {
            return parse(from.resolve(location.strip()).toString());
        } catch (IllegalArgumentException e) {
            throw new PhotoRejected("the photo URL '" + shown(url) + "' redirects to something that is not a URL");
        }
    }

    /** Refuses a host whose resolved addresses include an internal one, unless the host is allowed. */
    private void checkAddress(URI uri, String url) throws PhotoRejected {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (allowedHosts.contains(host)) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new PhotoRejected("the photo URL '" + shown(url) + "' is unreachable: its host " + uri.getHost()
                    + " is unknown");
        }
        for (InetAddress address : addresses) {
            if (internal(address)) {
                throw new PhotoRejected("the photo URL '" + shown(url) + "' leads to an internal address (" + host
                        + "); doorsync fetches photos from public addresses only (an intranet host goes on"
                        + " doorsync.photos.allowed-internal-hosts)");
            }
        }
    }

    /** Loopback, private, link-local (cloud metadata), multicast, unspecified, unique-local or shared (CGNAT). */
    static boolean internal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (b.length == 16) {
            boolean mapped = true; // ::ffff:a.b.c.d, the IPv4 address in IPv6 clothes
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
                try {
                    return internal(InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
            boolean compatible = true; // ::a.b.c.d (deprecated IPv4-compatible) and 64:ff9b::a.b.c.d (NAT64)
            for (int i = 4; i < 12; i++) {
                compatible &= b[i] == 0;
            }
            boolean nat64 = compatible && b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b;
            if (compatible && (nat64 || b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 0)) {
                return embedded(b, 12);
            }
            if (b[0] == 0x20 && b[1] == 0x02) { // 2002:a.b.c.d::/48, 6to4
                return embedded(b, 2);
            }
            return (b[0] & 0xfe) == 0xfc; // fc00::/7, unique local
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return first == 100 && (second & 0xc0) == 64 // 100.64.0.0/10, shared address space
                || first == 0 // 0.0.0.0/8
                || first == 192 && second == 0 && (b[2] & 0xff) == 0 // 192.0.0.0/24, protocol assignments
                || first == 198 && (second & 0xfe) == 18 // 198.18.0.0/15, benchmarking
                || first >= 240; // 240.0.0.0/4, reserved, and the broadcast address
    }

    /** The IPv4 address an IPv6 one carries at {@code at}, judged as such. */
    private static boolean embedded(byte[] b, int at) {
        try {
            return internal(InetAddress.getByAddress(Arrays.copyOfRange(b, at, at + 4)));
        } catch (UnknownHostException e) {
            return true;
        }
    }

    private HttpResponse<byte[]> send(URI uri, String url, long until) throws PhotoRejected {
        long left = until - System.nanoTime();
        if (left <= 0) {
            throw tooSlow(url);
        }
        CompletableFuture<HttpResponse<byte[]>> response = http.sendAsync(HttpRequest.newBuilder(uri)
                .timeout(Duration.ofNanos(left)).GET().build(), info -> new AtMost(maxBytes + 1));
        try {
            return response.get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            response.cancel(true); // the exchange is cancelled, its connection closed
            throw tooSlow(url);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw tooSlow(url);
            }
            throw new PhotoRejected("the photo URL '" + shown(url) + "' is unreachable: "
                    + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage()));
        } catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            throw new PhotoRejected("fetching the photo URL '" + shown(url) + "' was interrupted");
        }
    }

    private PhotoRejected tooSlow(String url) {
        return new PhotoRejected("the photo URL '" + shown(url) + "' did not deliver its photo within " + deadline
                + " (doorsync.photos.fetch-timeout)");
    }

    /** The URL as the journal and the log show it: without user info, query or fragment (a presigned signature). */
    static String shown(String url) {
        try {
            URI uri = URI.create(url.strip());
            if (uri.getScheme() == null || uri.getRawAuthority() == null) {
                return cut(url);
            }
            String host = uri.getHost() == null ? "" : uri.getHost();
            return uri.getScheme() + "://" + host + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                    + (uri.getRawPath() == null ? "" : uri.getRawPath())
                    + (uri.getRawQuery() == null && uri.getRawFragment() == null ? "" : "?…");
        } catch (IllegalArgumentException e) {
            return cut(url);
        }
    }

    private static String cut(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?…";
    }

    /**
     * The body, but no more than {@code limit} bytes of it: the rest is not read (the subscription is cancelled),
     * so a huge or endless body costs neither memory nor time. Written here because the JDK's body subscribers
     * either keep everything or hand out a stream without a limit.
     */
    private static final class AtMost implements BodySubscriber<byte[]> {
        private final int limit;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        AtMost(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                int take = Math.min(item.remaining(), limit - kept.size());
                byte[] chunk = new byte[take];
                item.get(chunk);
                kept.write(chunk, 0, take);
            }
            if (kept.size() >= limit && !result.isDone()) {
                subscription.cancel();
                result.complete(kept.toByteArray());
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(kept.toByteArray());
        }
    }
}
