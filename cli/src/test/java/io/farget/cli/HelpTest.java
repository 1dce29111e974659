package io.farget.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.cli.support.Cli;
import io.farget.common.Versions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class HelpTest {
    @Test
    void helpListsEveryVerbOnStdout() {
        Cli.Result result = Cli.run("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stderr()).isEmpty();
        for (String verb : new String[] {"run", "apply", "get", "ps", "logs", "kill", "nodes", "usage", "status"}) {
            assertThat(result.stdout()).containsPattern("(?m)^  " + verb + " ");
        }
    }

    @Test
    void eachVerbHasHelp() {
        Cli.Result result = Cli.run("run", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).contains("--memory=SIZE").contains("--server").contains("COMMAND");
    }

    @Test
    void printsTheVersion() {
        Cli.Result result = Cli.run("--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("farget " + Versions.current() + "\n");
    }

    @Test
    void nothingAtAllIsAUsageError() {
        Cli.Result result = Cli.run();

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).contains("Usage: farget");
    }

    @Command(name = "dev", description = "Run everything on this machine.")
    static final class Dev implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("port 7070 is taken");
        }
    }

    @Test
    void extraVerbsShareHelpAndErrorHandling() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        CliContext context = new CliContext(new java.io.PrintStream(out, true), new java.io.PrintStream(err, true),
                java.util.Map.of(), java.time.Clock.systemUTC());
        CommandLine cli = FargetCli.commandLine(context, new Dev());

        int exit = cli.execute("dev");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("error: IllegalStateException: port 7070 is taken\n");
    }
}
