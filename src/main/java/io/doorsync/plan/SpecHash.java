package io.doorsync.plan;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

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
     * <p>
     * The hash is SHA-256 of the fields joined by U+001F (the credentials by U+001E, each mapped field with a value
     * after U+001D as name=value), as UTF-8. It is fed to the
     * digest field by field through a reused buffer rather than built as one string: a run of everyone hashes
     * every member, and at 100,000 members the joined strings were most of what planning allocated.
     */
    public static String of(PersonSpec spec, List<String> credentials) {
        Canonical c = CANONICAL.get();
        c.add("v1").add(String.valueOf(spec.systemId()));
        PersonTexts texts = spec.texts();
        PersonFields fields = texts.fields();
        for (int i = 0; i < fields.size(); i++) {
            if (!fields.get(i).mapped()) {
                c.add(String.valueOf(texts.get(i)));
            }
        }
        c.add(String.valueOf(spec.validFrom())).add(String.valueOf(spec.validTo())).add(spec.enabled() ? "true"
                : "false");
        boolean first = true;
        for (Long group : spec.groupIds()) {
            if (!first) {
                c.ascii(',');
            }
            c.number(group);
            first = false;
        }
        if (!credentials.isEmpty()) {
            c.separator(FIELD);
            for (int i = 0; i < credentials.size(); i++) {
                if (i > 0) {
                    c.separator(CREDENTIAL);
                }
                c.text(credentials.get(i));
            }
        }
        // Mapped fields last, and only those with a value: adding a mapping changes the hash of the members it
        // gives a value to, and of no one else (an upgrade without mappings re-sends nothing).
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).mapped() && texts.get(i) != null) {
                c.separator(MAPPED);
                c.text(fields.get(i).doorflowField());
                c.ascii('=');
                c.text(texts.get(i));
            }
        }
        return c.hex();
    }

    private static final HexFormat HEX = HexFormat.of();
    private static final char FIELD = '\u001f';
    private static final char CREDENTIAL = '\u001e';
    private static final char MAPPED = '\u001d';

    private static final ThreadLocal<Canonical> CANONICAL = ThreadLocal.withInitial(Canonical::new);

    /** The canonical text's UTF-8 bytes, fed to one thread's digest through a buffer it keeps. */
    private static final class Canonical {
        private final MessageDigest digest;
        private final byte[] buffer = new byte[1024];
        private final byte[] hash = new byte[32];
        private final StringBuilder hex = new StringBuilder(64);
        private int length;

        Canonical() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
            }
        }

        /** A field followed by the field separator. */
        Canonical add(String field) {
            text(field);
            return separator(FIELD);
        }

        Canonical separator(char c) {
            ascii(c);
            return this;
        }

        void ascii(char c) {
            if (length == buffer.length) {
                flush();
            }
            buffer[length++] = (byte) c;
        }

        void number(long n) {
            text(Long.toString(n));
        }

        void text(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) >= 0x80) {
                    flush(); // not ASCII: the JDK's own UTF-8 encoding, as String.getBytes gives it
                    digest.update(s.getBytes(StandardCharsets.UTF_8));
                    return;
                }
            }
            for (int i = 0; i < s.length(); i++) {
                ascii(s.charAt(i));
            }
        }

        /** The digest in lower-case hex, through buffers kept for the next member. */
        String hex() {
            flush();
            try {
                digest.digest(hash, 0, hash.length); // and resets it for the next
            } catch (DigestException e) {
                throw new IllegalStateException("a SHA-256 digest is 32 bytes", e);
            }
            hex.setLength(0);
            return HEX.formatHex(hex, hash).toString();
        }

        private void flush() {
            digest.update(buffer, 0, length);
            length = 0;
        }
    }
}
