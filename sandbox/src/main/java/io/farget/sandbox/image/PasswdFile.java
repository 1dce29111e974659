package io.farget.sandbox.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Looks user and group names up in an image's /etc/passwd and /etc/group ("name:x:id:..." lines). */
final class PasswdFile {
    private PasswdFile() {}

    /** The uid (field 2) and primary gid (field 3) of a user name. */
    static Optional<int[]> user(List<String> passwdLines, String name) {
        for (String line : passwdLines) {
            String[] f = line.split(":", -1);
            if (f.length >= 4 && f[0].equals(name)) {
                try {
                    return Optional.of(new int[] {Integer.parseInt(f[2]), Integer.parseInt(f[3])});
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    static OptionalInt group(List<String> groupLines, String name) {
        for (String line : groupLines) {
            String[] f = line.split(":", -1);
            if (f.length >= 3 && f[0].equals(name)) {
                try {
                    return OptionalInt.of(Integer.parseInt(f[2]));
                } catch (NumberFormatException e) {
                    return OptionalInt.empty();
                }
            }
        }
        return OptionalInt.empty();
    }

    static List<String> read(Path rootfs, String file) {
        // The image's own file: never follow a link out of the rootfs.
        Path path = rootfs.resolve("etc").resolve(file);
        try {
            return Files.isSymbolicLink(path.getParent()) || Files.isSymbolicLink(path) || !Files.isRegularFile(path) ? List.of() : Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }
}
