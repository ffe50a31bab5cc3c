package io.doorsync.doorflow;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A DoorFlow personal API key (HTTP Basic, the key as user name): what an account declared with a key uses. */
final class ApiKeyCredentials implements DoorFlowCredentials {

    private final Authorization authorization;

    ApiKeyCredentials(String apiKey) {
        this.authorization = new Authorization("Basic " + Base64.getEncoder()
                .encodeToString((apiKey + ":").getBytes(StandardCharsets.UTF_8)), 0);
    }

    @Override
    public Authorization authorization() {
        return authorization;
    }

    @Override
    public Authorization renew(Authorization rejected) {
        return null; // a key cannot be renewed: a 401 means it was revoked
    }
}
