package io.farget.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every verb's help renders cleanly: picocli warns (and prints raw text) on a stray '%' in a description. */
class HelpTextTest {
    @Test
    void everyCommandsHelpRendersWithoutWarnings() {
        List<CommandLine> all = new ArrayList<>();
        collect(Main.commandLine(), all);
        PrintStream originalErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        List<String> usages = new ArrayList<>();
        try {
            all.forEach(command -> usages.add(command.getUsageMessage()));
        } finally {
            System.setErr(originalErr);
        }
        assertThat(all).extracting(CommandLine::getCommandName)
                .contains("run", "get", "ps", "logs", "kill", "nodes", "usage", "status", "dev", "scheduler", "agent", "bench");
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
        assertThat(usages).allSatisfy(usage -> assertThat(usage).startsWith("Usage: farget"));
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        command.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, into));
    }
}
