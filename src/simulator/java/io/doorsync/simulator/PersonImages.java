package io.doorsync.simulator;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A person's photo, as DoorFlow takes it (PersonInput's image_base64 or image_remote_url) and shows it (Person's
 * image_url and image_thumbnail_url). openapi.yaml names no formats or size; the simulator assumes DoorFlow keeps
 * JPEG, PNG and GIF images up to 5 MiB and refuses anything else with a 422. The image's URL carries the first
 * bytes of its SHA-256, so a test can tell which image a person has. An image_remote_url is not fetched: it
 * becomes the image's URL; "" deletes the image, as documented.
 */
final class PersonImages {

    static final int MAX_BYTES = 5 * 1024 * 1024;
    static final String HOST = "https://images.doorflow.invalid/people/";

    private PersonImages() {
    }

    /** Why DoorFlow refuses the image in {@code input}, or null. */
    static String problem(JsonNode input) {
        JsonNode b64 = input.get("image_base64");
        if (b64 == null || b64.isNull()) {
            return null;
        }
        byte[] image;
        try {
            image = Base64.getDecoder().decode(b64.asText());
        } catch (IllegalArgumentException e) {
            return "is not valid base64";
        }
        if (image.length > MAX_BYTES) {
            return "is too large (at most 5 MB)";
        }
        boolean jpeg = image.length > 2 && (image[0] & 0xFF) == 0xFF && (image[1] & 0xFF) == 0xD8;
        boolean png = image.length > 3 && (image[0] & 0xFF) == 0x89 && image[1] == 'P' && image[2] == 'N';
        boolean gif = image.length > 3 && image[0] == 'G' && image[1] == 'I' && image[2] == 'F';
        return jpeg || png || gif ? null : "must be a JPEG, PNG or GIF image";
    }

    /** Applies the input's image fields (already validated) to the stored person. */
    static void merge(ObjectNode person, JsonNode input) {
        JsonNode b64 = input.get("image_base64");
        if (b64 != null && !b64.isNull()) {
            String url = HOST + person.get("id").asText() + "/" + sha256Prefix(Base64.getDecoder().decode(b64.asText()));
            person.put("image_url", url + ".jpg").put("image_thumbnail_url", url + "-thumb.jpg");
        }
        JsonNode remote = input.get("image_remote_url");
        if (remote != null && !remote.isNull()) {
            if (remote.asText().isEmpty()) {
                person.putNull("image_url").putNull("image_thumbnail_url");
            } else {
                person.put("image_url", remote.asText()).put("image_thumbnail_url", remote.asText());
            }
        }
    }

    /** The first 12 hex digits of the image's SHA-256, as its URL shows them. */
    static String sha256Prefix(byte[] image) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image)).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
