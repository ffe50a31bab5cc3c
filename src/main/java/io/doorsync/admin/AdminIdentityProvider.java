package io.doorsync.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.doorsync.DoorsyncConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The one admin user of /admin, checked by Quarkus' HTTP Basic mechanism against doorsync.admin.password.
 * (The embedded users realm would let an unset password through as an empty one; here an unset password
 * closes the admin surface instead.)
 */
@ApplicationScoped
public class AdminIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private static final Logger LOG = Logger.getLogger(AdminIdentityProvider.class);
    public static final String USER = "admin";
    public static final String ROLE = "admin";

    private final Optional<byte[]> password;
    private final LoginThrottle throttle;

    AdminIdentityProvider(DoorsyncConfig config) {
        this.password = config.admin().password().filter(p -> !p.isBlank())
                .map(p -> p.getBytes(StandardCharsets.UTF_8));
        this.throttle = new LoginThrottle(Math.max(1, config.admin().loginMaxFailures()), config.admin().loginLockout(),
                Clock.systemUTC());
    }

    void announce(@Observes StartupEvent event) {
        if (password.isEmpty()) {
            LOG.warn("the admin surface (/admin) is closed: no admin password is configured. Set"
                    + " doorsync.admin.password (DOORSYNC_ADMIN_PASSWORD) to open it; the user name is 'admin'");
        }
    }

    /** The client's address (behind a proxy: as forwarded, when quarkus.http.proxy is set to trust it). */
    private static String clientAddress(UsernamePasswordAuthenticationRequest request) {
        RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
        return http == null || http.request().remoteAddress() == null ? "unknown"
                : http.request().remoteAddress().hostAddress();
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
            AuthenticationRequestContext context) {
        String address = clientAddress(request);
        if (throttle.locked(address)) {
            return Uni.createFrom().failure(new AuthenticationFailedException());
        }
        byte[] given = new String(request.getPassword().getPassword()).getBytes(StandardCharsets.UTF_8);
        boolean ok = password.isPresent() && USER.equals(request.getUsername())
                && MessageDigest.isEqual(password.get(), given); // constant time
        if (!ok) {
            if (throttle.failed(address)) {
                LOG.warnf("admin login: too many failed attempts from %s; that address is refused for a while"
                        + " (doorsync.admin.login-max-failures, doorsync.admin.login-lockout)", address);
            }
            return Uni.createFrom().failure(new AuthenticationFailedException());
        }
        throttle.succeeded(address);
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(USER))
                .addRole(ROLE).build());
    }
}
