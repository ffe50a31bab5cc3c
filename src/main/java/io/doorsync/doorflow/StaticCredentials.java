package io.doorsync.doorflow;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.DoorsyncConfig;

/**
 * Credentials from configuration: a personal API key (HTTP Basic, key as user name, empty password) or a
 * static OAuth access token (Bearer). The API key wins when both are set.
 */
@ApplicationScoped
public class StaticCredentials implements DoorFlowCredentials {

    private final DoorsyncConfig.Doorflow config;

    StaticCredentials(DoorsyncConfig config) {
        this.config = config.doorflow();
    }

    @Override
    public String authorizationHeader() {
        if (config.apiKey().filter(k -> !k.isBlank()).isPresent()) {
            String basic = config.apiKey().get() + ":";
            return "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8));
        }
        if (config.accessToken().filter(t -> !t.isBlank()).isPresent()) {
            return "Bearer " + config.accessToken().get();
        }
        throw new DoorFlowNotConnectedException("no DoorFlow credentials configured: set doorsync.doorflow.api-key"
                + " (DOORSYNC_DOORFLOW_API_KEY) or doorsync.doorflow.access-token (DOORSYNC_DOORFLOW_ACCESS_TOKEN)");
    }
}
