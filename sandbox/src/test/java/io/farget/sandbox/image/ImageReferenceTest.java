package io.farget.sandbox.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {
    @Test
    void loopbackRegistriesArePlainHttpAndOthersTls() throws ImageException {
        assertThat(ImageReference.parse("127.0.0.1:5000/app:1")).isEqualTo(
                new ImageReference("127.0.0.1:5000/app:1", "docker://127.0.0.1:5000/app:1", true));
        assertThat(ImageReference.parse("localhost:5000/app").plainHttp()).isTrue();
        assertThat(ImageReference.parse("registry.example.com/app:1").plainHttp()).isFalse();
        assertThat(ImageReference.parse("127.0.0.1.example.com/app").plainHttp()).isFalse();
        assertThat(ImageReference.parse("app:1").source()).isEqualTo("docker://app:1");
    }

    @Test
    void ociLayoutsOnThisHostAreUsedAsTheyAre() throws ImageException {
        assertThat(ImageReference.parse("oci:/srv/images:app").source()).isEqualTo("oci:/srv/images:app");
        assertThatThrownBy(() -> ImageReference.parse("oci:relative:app")).hasMessageContaining("absolute path");
        assertThatThrownBy(() -> ImageReference.parse("https://x/app")).hasMessageContaining("without a scheme");
    }

    @Test
    void theStoreTagIsStableAndSafe() throws ImageException {
        String tag = ImageReference.parse("127.0.0.1:5000/app@sha256:abc").storeTag();
        assertThat(tag).matches("ref-[0-9a-f]{32}").isEqualTo(ImageReference.parse("127.0.0.1:5000/app@sha256:abc").storeTag());
    }

    @Test
    void imageConfigsAndArchitectures() throws Exception {
        ImageConfig config = ImageConfig.parse(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"architecture\":\"arm64\",\"os\":\"linux\",\"config\":{\"Env\":[\"A=1\"],\"WorkingDir\":\"/w\",\"User\":\"app\"}}"));
        assertThat(config).isEqualTo(new ImageConfig(java.util.List.of("A=1"), "/w", "app", "arm64", "linux"));
        assertThat(ImageConfig.ociArchitecture("amd64")).isEqualTo("amd64");
        assertThat(ImageConfig.ociArchitecture("aarch64")).isEqualTo("arm64");
        assertThat(PasswdFile.user(java.util.List.of("root:x:0:0::/root:/bin/sh", "app:x:1000:1001::/:/bin/sh"), "app"))
                .hasValueSatisfying(ids -> assertThat(ids).containsExactly(1000, 1001));
    }
}
