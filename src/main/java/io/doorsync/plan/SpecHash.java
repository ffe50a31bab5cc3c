package io.doorsync.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/** Fingerprint of what doorsync applied, so an unchanged member costs no API call. */
public final class SpecHash {

    /** The applied state of a member disabled under the disable policy. */
    public static final String DISABLED = "disabled";

    /**
     * Saved when a member was applied but some credential could not be (unknown type, bad row, a mobile
     * credential still being revoked): never equal to a real hash, so the member is planned again every run.
     */
    public static final String INCOMPLETE = "incomplete";

    private SpecHash() {
    }

    /**
     * {@code credentials} are the member's desired credentials in canonical form ("type=value", sorted); they are
     * hashed, never stored. With none, the hash is what it was before credentials were synced.
     */
    public static String of(PersonSpec spec, List<String> credentials) {
        String canonical = String.join("\u001f",
                "v1",
                String.valueOf(spec.systemId()),
                String.valueOf(spec.email()),
                String.valueOf(spec.firstName()),
                String.valueOf(spec.lastName()),
                String.valueOf(spec.telephone()),
                String.valueOf(spec.department()),
                String.valueOf(spec.jobTitle()),
                String.valueOf(spec.validFrom()),
                String.valueOf(spec.validTo()),
                String.valueOf(spec.enabled()),
                spec.groupIds().stream().map(String::valueOf).collect(Collectors.joining(",")));
        if (!credentials.isEmpty()) {
            canonical = canonical + "\u001f" + String.join("\u001e", credentials);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
