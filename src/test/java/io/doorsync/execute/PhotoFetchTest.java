package io.doorsync.execute;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which addresses a photo URL may not lead to, IPv4 and every IPv6 form that carries one; and what is shown. */
class PhotoFetchTest {

    @ParameterizedTest(name = "{0}: internal {1}")
    @CsvSource({
            "127.0.0.1, true", "10.1.2.3, true", "172.16.0.1, true", "192.168.1.1, true", "169.254.169.254, true",
            "100.64.0.1, true", "0.0.0.0, true", "192.0.0.8, true", "198.18.0.1, true", "240.0.0.1, true",
            "255.255.255.255, true", "224.0.0.1, true",
            "::1, true", "::, true", "fe80::1, true", "fd00::1, true", "::ffff:10.0.0.1, true",
            "64:ff9b::a9fe:a9fe, true", "2002:a9fe:a9fe::1, true", "::a00:1, true",
            "93.184.216.34, false", "8.8.8.8, false", "100.128.0.1, false", "198.20.0.1, false",
            "2606:4700::1111, false", "64:ff9b::808:808, false", "2002:808:808::1, false" })
    void internalAddresses(String address, boolean internal) throws Exception {
        assertThat(PhotoFetch.internal(InetAddress.getByName(address))).isEqualTo(internal);
    }

    @ParameterizedTest(name = "{0} is shown as {1}")
    @CsvSource({
            "https://bucket.example/m1.jpg?X-Amz-Signature=s3cr3t, https://bucket.example/m1.jpg?…",
            "https://user:pass@photos.example:8443/a/b.png#frag, https://photos.example:8443/a/b.png?…",
            "http://photos.example/ada.jpg, http://photos.example/ada.jpg",
            "not a url?token=s3cr3t, not a url?…" })
    void aUrlIsShownWithoutItsSecrets(String url, String shown) {
        assertThat(PhotoFetch.shown(url)).isEqualTo(shown);
    }
}
