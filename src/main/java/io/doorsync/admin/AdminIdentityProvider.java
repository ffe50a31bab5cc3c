package io.doorsync.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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
import io.smallrye.mutiny.Uni;

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

    AdminIdentityProvider(DoorsyncConfig config) {
        this.password = config.admin().password().filter(p -> !p.isBlank())
                .map(p -> p.getBytes(StandardCharsets.UTF_8));
    }

    void announce(@Observes StartupEvent event) {
        if (password.isEmpty()) {
            LOG.warn("the admin surface (/admin) is closed: no admin password is configured. Set"
                    + " doorsync.admin.password (DOORSYNC_ADMIN_PASSWORD) to open it; the user name is 'admin'");
        }
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
            AuthenticationRequestContext context) {
        byte[] given = new String(request.getPassword().getPassword()).getBytes(StandardCharsets.UTF_8);
        boolean ok = password.isPresent() && USER.equals(request.getUsername())
                && MessageDigest.isEqual(password.get(), given); // constant time
        if (!ok) {
            return Uni.createFrom().failure(new AuthenticationFailedException());
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(USER))
                .addRole(ROLE).build());
    }
}
