package io.farget.launcher;

import java.nio.file.Path;

/** Default state folders: system-wide for root, under the home folder otherwise. */
final class DataDirs {
    private DataDirs() {}

    static Path defaultFor(String component) {
        boolean root = "root".equals(System.getProperty("user.name"));
        return root ? Path.of("/var/lib/farget", component)
                : Path.of(System.getProperty("user.home"), ".farget", component);
    }
}
