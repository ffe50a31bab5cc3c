package io.doorsync.execute;

/**
 * Tells an image from anything else by its first bytes (the formats' magic numbers), without decoding it: a
 * photo doorsync uploads must be a JPEG, PNG, GIF or WebP file. Written here because the JDK's ImageIO would
 * decode the whole image (and knows no WebP) just to answer this.
 */
final class ImageType {

    private ImageType() {
    }

    /** "JPEG", "PNG", "GIF" or "WebP"; null for anything else. */
    static String of(byte[] b) {
        if (starts(b, 0xFF, 0xD8, 0xFF)) {
            return "JPEG";
        }
        if (starts(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "PNG";
        }
        if (starts(b, 'G', 'I', 'F', '8')) {
            return "GIF";
        }
        if (b.length >= 12 && starts(b, 'R', 'I', 'F', 'F') && b[8] == 'W' && b[9] == 'E' && b[10] == 'B'
                && b[11] == 'P') {
            return "WebP";
        }
        return null;
    }

    private static boolean starts(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
