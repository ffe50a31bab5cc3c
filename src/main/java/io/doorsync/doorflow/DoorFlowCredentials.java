package io.doorsync.doorflow;

/**
 * How doorsync authenticates to DoorFlow, one interface for every kind: a personal API key, a static token,
 * or the OAuth connection made on /admin (see {@link DoorFlowAuth}).
 */
public interface DoorFlowCredentials {

    /** An Authorization header value and the token version it came from; toString keeps the secret out. */
    record Authorization(String header, long version) {
        @Override
        public String toString() {
            return "Authorization[version " + version + "]";
        }
    }

    /** The Authorization to send now; throws {@link DoorFlowNotConnectedException} when there is none. */
    Authorization authorization();

    /**
     * DoorFlow answered 401 to a request sent with {@code rejected}: a renewed Authorization worth exactly one
     * retry, or null when renewing cannot help (a static key or token).
     */
    Authorization renew(Authorization rejected);

    /**
     * Whether these credentials are known not to carry {@code scope}: only an OAuth connection says what it was
     * granted; an API key or a static token carries no scopes doorsync can see, so never "known not to".
     */
    default boolean lacksScope(String scope) {
        return false;
    }
}
