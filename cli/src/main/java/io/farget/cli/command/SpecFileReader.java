package io.farget.cli.command;

import io.farget.cli.CliFailure;
import io.farget.cli.spec.PodSpecFile;
import io.farget.cli.spec.SpecException;
import io.farget.proto.v1.PodSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the pod spec file of {@code -f FILE} ({@code -} for stdin); every problem is a one-line failure naming the file. */
final class SpecFileReader {
    private SpecFileReader() {}

    static PodSpec read(String file) {
        try {
            return PodSpecFile.parse(text(file));
        } catch (SpecException e) {
            throw new CliFailure(file + ": " + e.getMessage(), e);
        }
    }

    private static String text(String file) {
        try {
            if (file.equals("-")) {
                return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliFailure(file + ": no such file");
        } catch (IOException e) {
            throw new CliFailure(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
