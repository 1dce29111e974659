package io.farget.it.fault;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;

/**
 * This test's class path with every jar copied aside. Child JVMs load classes lazily for minutes;
 * when another build re-installs a module's jar meanwhile (the local Maven repository is shared by
 * parallel builds, and install rewrites the file in place, so even a hard link would change), a
 * child reading that path would fail with NoClassDefFoundError. A copy taken once stays consistent.
 */
final class ClassPathSnapshot {
    private ClassPathSnapshot() {}

    static String take(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            Path pinned = dir.resolve((n++) + "-" + source.getFileName());
            if (Files.isDirectory(source)) {
                copyTree(source, pinned); // class folders too: a parallel compile may rewrite them
            } else if (Files.isRegularFile(source)) {
                copyWhole(source, pinned);
            } else {
                continue;
            }
            entries.add(pinned.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (var files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Copies a jar, again if the copy is not a whole zip (caught while another build was writing it). */
    private static void copyWhole(Path source, Path target) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            try (ZipFile zip = new ZipFile(target.toFile())) {
                return;
            } catch (IOException torn) {
                if (attempt == 5) {
                    throw torn;
                }
            }
        }
    }
}
