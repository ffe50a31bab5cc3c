package io.doorsync.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.doorsync.support.OAuthFlow;
import io.doorsync.support.Allocations;
import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.TestWorld;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Members' photos from crm.member_photos: set once, again only when changed, removed, and wrong ones reported. */
@QuarkusTest
@WithTestResource(value = PostgresAndSimulator.class, scope = TestResourceScope.GLOBAL)
class PhotoSyncTest extends AgainstTheSimulator {

    static final byte[] PNG = image(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
    static final byte[] JPEG = image(0xFF, 0xD8, 0xFF, 0xE0);
    static final byte[] WEBP = image('R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P');

    HttpServer photos;

    @BeforeEach
    void photoHost() throws IOException {
        world.team("hot", TestWorld.HOT);
        photos = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        photos.setExecutor(java.util.concurrent.Executors.newCachedThreadPool()); // a slow photo holds one thread
        photos.createContext("/ada.jpg", exchange -> {
            exchange.sendResponseHeaders(200, JPEG.length);
            exchange.getResponseBody().write(JPEG);
            exchange.close();
        });
        photos.start();
    }

    @AfterEach
    void stopPhotoHost() {
        photos.stop(0);
    }

    @Test
    void aPhotoIsSetOnceAndUploadedAgainOnlyWhenItChangesAndRemovedWithTheCrmsRow() throws Exception {
        world.member("M1", "ada@example.com", "hot").member("M2", "bob@example.com", "hot");
        photo("M1", PNG);

        assertThat(sync.runOnce("test").message()).contains("photos: 1 set, 0 removed, 0 rejected, 0 failed");

        assertThat(imageOf("M1")).as("the new person got its photo in the same run").contains(sha(PNG));
        assertThat(world.person("M2").get("image_url").isNull()).isTrue();
        assertThat(world.journal("M1")).contains("photo applied: photo set (PNG, 1 KiB)");

        world.simulator().clearCalls();
        sync.runOnce("test");
        assertThat(world.simulator().calls()).as("an unchanged photo is never uploaded again")
                .doesNotContainKey("PUT /api/3/people/{id}");

        world.sql("update crm.member_photos set image = ?, updated_at = now() + interval '1 second' where member_id ="
                + " 'M1'", (Object) JPEG); // a new image comes with a new updated_at (the contract)
        OAuthFlow.admin().get("/admin/api/members/M1").then().statusCode(200)
                .body("nextRun.find { it.kind == 'photo' }.details", hasItem("sets the CRM's photo"));
        sync.runOnce("test");
        assertThat(imageOf("M1")).contains(sha(JPEG));

        world.sql("delete from crm.member_photos where member_id = 'M1'");
        sync.runOnce("test");
        assertThat(world.person("M1").get("image_url").isNull()).as("removed with the CRM's row").isTrue();
        assertThat(world.journal("M1")).contains("photo applied: photo removed (the CRM has none any more)");
    }

    @Test
    void aWrongPhotoIsReportedForItsMemberWithTheReasonAndTheRestOfTheMemberSyncs() throws Exception {
        world.member("M1", "ada@example.com", "hot").member("M2", "bob@example.com", "hot")
                .member("M3", "cy@example.com", "hot").member("BAD", null, "hot");
        photo("M1", Arrays.copyOf(JPEG, 2 * 1024 * 1024 + 1));
        photo("M2", "not an image at all".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        photo("M3", WEBP); // an image, but not one DoorFlow keeps (the simulator's assumption)
        photo("BAD", PNG);

        RunReport report = sync.runOnce("test");

        assertThat(report.outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(report.message()).contains("photos: 0 set, 0 removed, 3 rejected, 0 failed");
        assertThat(world.journal("M1")).contains("photo error: the photo is too large: more than 2048 KiB"
                + " (doorsync.photos.max-bytes)");
        assertThat(world.journal("M2")).contains("photo error: the photo is not an image (a JPEG, PNG, GIF or WebP"
                + " file)");
        assertThat(world.journal("M3")).anyMatch(l -> l.startsWith("photo error: DoorFlow refused the photo:")
                && l.contains("must be a JPEG, PNG or GIF image"));
        for (String member : List.of("M1", "M2", "M3")) {
            assertThat(world.person(member).get("groups").toString()).as(member + " opens its doors").isEqualTo("[101]");
            assertThat(world.person(member).get("image_url").isNull()).isTrue();
        }
        assertThat(world.journal("BAD")).as("a quarantined member's photo is not written").noneMatch(l -> l.startsWith("photo"));

        world.simulator().clearCalls();
        sync.runOnce("test");
        assertThat(world.simulator().calls()).as("not tried again until the photo changes")
                .doesNotContainKey("PUT /api/3/people/{id}");
        world.sql("update crm.member_photos set image = ?, updated_at = now() + interval '1 second' where member_id ="
                + " 'M3'", (Object) PNG);
        sync.runOnce("test");
        assertThat(imageOf("M3")).contains(sha(PNG));
    }

    @Test
    void aPhotoUrlIsFetchedAndAnUnreachableOneIsReported() throws Exception {
        world.member("M1", "ada@example.com", "hot").member("M2", "bob@example.com", "hot")
                .member("M3", "cy@example.com", "hot").member("M4", "dee@example.com", "hot");
        String host = "http://127.0.0.1:" + photos.getAddress().getPort();
        photoUrl("M1", host + "/ada.jpg");
        photoUrl("M2", host + "/missing.jpg");
        photoUrl("M3", "http://127.0.0.1:" + PostgresAndSimulator.freePort() + "/nobody-listens.jpg");
        photoUrl("M4", "ftp://example.com/dee.jpg");

        sync.runOnce("test");

        assertThat(imageOf("M1")).contains(sha(JPEG));
        assertThat(world.journal("M2")).contains("photo error: the photo URL '" + host + "/missing.jpg' is"
                + " unreachable: it answered HTTP 404");
        assertThat(world.journal("M3")).anyMatch(l -> l.contains("is unreachable: ConnectException"));
        assertThat(world.journal("M4")).contains("photo error: the photo URL 'ftp://example.com/dee.jpg' is not"
                + " http or https");

        // Put right at the host and set again in the CRM (updated_at): fetched again.
        photos.createContext("/missing.jpg", exchange -> {
            exchange.sendResponseHeaders(200, PNG.length);
            exchange.getResponseBody().write(PNG);
            exchange.close();
        });
        world.sql("update crm.member_photos set updated_at = now() + interval '1 second' where member_id = 'M2'");
        sync.runOnce("test");
        assertThat(imageOf("M2")).contains(sha(PNG));
    }

    @Test
    void aPhotoUrlCannotReachInsideStallTheRunOrLeakItsQuery() throws Exception {
        String host = "http://127.0.0.1:" + photos.getAddress().getPort();
        photos.createContext("/to-loopback.jpg", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://localhost:" + photos.getAddress().getPort()
                    + "/ada.jpg");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        photos.createContext("/drip.jpg", exchange -> {
            exchange.sendResponseHeaders(200, JPEG.length);
            try {
                for (byte b : JPEG) { // a byte every 50 ms: 50 s for the photo
                    exchange.getResponseBody().write(b);
                    exchange.getResponseBody().flush();
                    Thread.sleep(50);
                }
            } catch (IOException | InterruptedException gaveUp) {
                // doorsync hung up, as it should
            }
            exchange.close();
        });
        world.member("M1", "ada@example.com", "hot").member("M2", "bob@example.com", "hot")
                .member("M3", "cy@example.com", "hot").member("M4", "dee@example.com", "hot")
                .member("M5", "eve@example.com", "hot").member("M6", "fay@example.com", "hot");
        photoUrl("M1", "http://localhost:" + photos.getAddress().getPort() + "/ada.jpg"); // loopback, not allowed
        photoUrl("M2", "http://169.254.169.254/latest/meta-data/iam/security-credentials/");
        photoUrl("M3", "https://10.1.2.3/photo.jpg?X-Amz-Signature=s3cr3t");
        photoUrl("M4", host + "/to-loopback.jpg");
        photoUrl("M5", host + "/drip.jpg");
        photoUrl("M6", host + "/missing.jpg?X-Amz-Signature=s3cr3t");

        long started = System.nanoTime();
        RunReport report = sync.runOnce("test");

        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).as("the drip did not hold the run")
                .isLessThan(java.time.Duration.ofSeconds(20));
        assertThat(report.message()).contains("photos: 0 set, 0 removed, 6 rejected, 0 failed");
        for (String member : List.of("M1", "M2", "M3", "M4")) {
            assertThat(world.journal(member)).as(member).anyMatch(l -> l.startsWith("photo error: the photo URL")
                    && l.contains("leads to an internal address"));
            assertThat(world.person(member).get("image_url").isNull()).isTrue();
        }
        assertThat(world.journal("M5")).anyMatch(l -> l.contains("did not deliver its photo within PT2S"));
        assertThat(world.journal("M3")).anyMatch(l -> l.contains("'https://10.1.2.3/photo.jpg?…'"));
        assertThat(world.journal("M6")).contains("photo error: the photo URL '" + host + "/missing.jpg?…' is"
                + " unreachable: it answered HTTP 404");
        assertThat(world.rows("select detail from doorsync.change_journal")).as("no query string kept")
                .noneMatch(r -> String.valueOf(r.get("detail")).contains("s3cr3t"));
        for (String member : List.of("M1", "M5")) {
            assertThat(world.person(member).get("groups").toString()).as(member + " opens its doors").isEqualTo("[101]");
        }
    }

    @Test
    void aStoredPhotoIsHashedOnlyWhenItsRowChanges() throws Exception {
        world.member("M1", "ada@example.com", "hot");
        photo("M1", PNG);
        sync.runOnce("test");
        assertThat(world.rows("select photo_version from doorsync.person_link where member_id = 'M1'"))
                .singleElement().satisfies(r -> assertThat(r.get("photo_version")).as("remembered").isNotNull());

        // What doorsync remembers applying, made wrong: a run that hashed the photo again would see its real key
        // differ from this one and upload it again. One that trusts the unchanged row does not.
        world.sql("update doorsync.person_link set photo_key = 'sha256:0000' where member_id = 'M1'");
        world.simulator().clearCalls();
        sync.runOnce("test");
        assertThat(world.simulator().calls()).as("not hashed again, so not uploaded again")
                .doesNotContainKey("PUT /api/3/people/{id}");

        world.sql("update crm.member_photos set image = ?, updated_at = now() + interval '1 second' where member_id ="
                + " 'M1'", (Object) JPEG);
        sync.runOnce("test");
        assertThat(imageOf("M1")).as("a changed row is hashed, and uploaded").contains(sha(JPEG));
    }

    @Test
    void aStoredPhotoTooLargeIsMeasuredInTheDatabaseAndNeverRead() {
        world.member("M1", "ada@example.com", "hot");
        // 64 MiB in the CRM: read whole, eight at once, it would not fit the pod's heap.
        world.sql("insert into crm.member_photos (member_id, image) select 'M1', decode(repeat('ff', 64 * 1024 *"
                + " 1024), 'hex')");

        long allocated = Allocations.byLiveThreads();
        sync.runOnce("test");

        assertThat(Allocations.byLiveThreads() - allocated).as("bytes allocated by the run: the 64 MiB never read")
                .isLessThan(32L * 1024 * 1024);
        assertThat(world.journal("M1")).contains("photo error: the photo is too large: more than 2048 KiB"
                + " (doorsync.photos.max-bytes)");
        assertThat(world.rows("select photo_rejected from doorsync.person_link where member_id = 'M1'"))
                .singleElement().satisfies(r -> assertThat(r.get("photo_rejected")).isEqualTo(true));
    }


    private void photo(String member, byte[] image) {
        world.sql("insert into crm.member_photos (member_id, image) values (?, ?)", member, image);
    }

    private void photoUrl(String member, String url) {
        world.sql("insert into crm.member_photos (member_id, image_url) values (?, ?)", member, url);
    }

    private String imageOf(String member) {
        return world.person(member).get("image_url").asText();
    }

    /** The SHA-256 prefix the simulator puts in an image's URL. */
    private static String sha(byte[] image) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image)).substring(0, 12);
    }

    /** A small "image": the format's first bytes, then filler up to 1 KiB. */
    private static byte[] image(int... magic) {
        byte[] b = new byte[1000];
        for (int i = 0; i < magic.length; i++) {
            b[i] = (byte) magic[i];
        }
        return b;
    }
}
