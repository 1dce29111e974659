package io.farget.cli;

import io.farget.common.Versions;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code farget} itself: only help, version, and the list of verbs. */
@Command(name = "farget", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Farget: serverless containers on your own machines.",
        commandListHeading = "%nCommands:%n",
        footer = {"", "Run 'farget COMMAND --help' for a command's options."})
final class RootCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** A bare {@code farget} is a usage mistake: say what the verbs are. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"farget " + Versions.current()};
        }
    }
}
