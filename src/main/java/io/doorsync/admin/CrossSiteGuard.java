package io.doorsync.admin;

import java.net.URI;
import java.util.Set;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses every state-changing request to /admin (the page's forms and the JSON API) that a browser says
 * came from another site. HTTP Basic credentials ride along on cross-site requests, so without this a plain
 * form on a hostile page could, say, let a held run through the revocation guard. Browsers send
 * Sec-Fetch-Site (or at least Origin); API clients like curl send neither and are not affected. Written here
 * because quarkus-rest-csrf does not resolve for our Quarkus version (docs/building.md).
 */
public class CrossSiteGuard {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    // Before matching: refused before anything else is checked (a JSON endpoint's 415 would otherwise answer first).
    @ServerRequestFilter(preMatching = true)
    public Response refuseCrossSite(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (SAFE_METHODS.contains(request.getMethod()) || !(path.equals("/admin") || path.startsWith("/admin/"))) {
            return null;
        }
        String site = request.getHeaderString("Sec-Fetch-Site");
        String origin = request.getHeaderString("Origin");
        String host = request.getHeaderString("Host");
        boolean crossSite = site != null ? !("same-origin".equals(site) || "none".equals(site))
                : origin != null && host != null && !host.equalsIgnoreCase(authority(origin));
        return crossSite ? Response.status(403).type("text/plain")
                .entity("refused: a change to doorsync must come from the doorsync admin page itself, not another site")
                .build() : null;
    }

    private static String authority(String origin) {
        try {
            return URI.create(origin).getAuthority();
        } catch (IllegalArgumentException notAUri) {
            return null; // "null" or garbage: not this page
        }
    }
}
