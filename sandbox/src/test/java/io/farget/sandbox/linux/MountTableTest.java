package io.farget.sandbox.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MountTableTest {
    private static final String MOUNTINFO = String.join("\n",
            "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
            "90 22 8:1 /usr /data/pods/p1/bundle/rootfs/usr ro,nosuid - ext4 /dev/sda1 rw",
            "91 90 0:5 / /data/pods/p1/bundle/rootfs/usr/lib\\040x rw - tmpfs tmpfs rw",
            "92 22 8:1 /usr /data/pods/p10/bundle/rootfs/usr ro - ext4 /dev/sda1 rw",
            "");

    @Test
    void findsMountsBelowAFolderDeepestFirstAndNotInSiblingsSharingAPrefix() {
        assertThat(MountTable.mountPointsUnder(MOUNTINFO, Path.of("/data/pods/p1/bundle"))).containsExactly(
                "/data/pods/p1/bundle/rootfs/usr/lib x", "/data/pods/p1/bundle/rootfs/usr");
    }

    @Test
    void unescapesOctalSequences() {
        assertThat(MountTable.unescape("a\\040b\\011c\\134d")).isEqualTo("a b\tc\\d");
        assertThat(MountTable.unescape("plain")).isEqualTo("plain");
    }

    @Test
    void nothingMountedBelowAnUnrelatedFolder() {
        assertThat(MountTable.mountPointsUnder(MOUNTINFO, Path.of("/srv"))).isEmpty();
    }
}
