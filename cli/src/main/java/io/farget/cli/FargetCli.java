package io.farget.cli;

import io.farget.cli.command.ClientCommands;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;

/**
 * The {@code farget} command line. The launcher adds the daemon verbs and runs it:
 * <pre>{@code
 * System.exit(FargetCli.commandLine(CliContext.system(), new DevCommand(), new SchedulerCommand()).execute(args));
 * }</pre>
 * Every verb prints its result on stdout; a failure is one {@code error: ...} line on stderr with
 * exit status 1; a command line that does not parse exits with 2.
 */
public final class FargetCli {
    private FargetCli() {}

    /** The command line of the client verbs, writing to System.out/err and reading System.getenv(). */
    public static CommandLine commandLine() {
        return commandLine(CliContext.system());
    }

    /**
     * The client verbs plus {@code extraCommands} (picocli {@code @Command} objects, e.g. the
     * daemons), all sharing the same streams, error handling and help layout.
     */
    public static CommandLine commandLine(CliContext context, Object... extraCommands) {
        CommandLine root = new CommandLine(new RootCommand());
        for (Object verb : ClientCommands.all(context)) {
            root.addSubcommand(verb);
        }
        for (Object verb : extraCommands) {
            root.addSubcommand(verb);
        }
        root.setOut(new PrintWriter(context.out(), true));
        root.setErr(new PrintWriter(context.err(), true));
        root.setCaseInsensitiveEnumValuesAllowed(true);
        root.setUsageHelpAutoWidth(true);
        root.setExecutionExceptionHandler(ErrorReporting::onExecutionFailure);
        root.setParameterExceptionHandler(ErrorReporting::onBadUsage);
        // `farget run sh -c 'echo hi'` works without `--`: everything after the command is its own.
        root.getSubcommands().get("run").setStopAtPositional(true);
        return root;
    }

    /** Runs one command line in-process and returns its exit status; the streams are not closed. */
    public static int execute(PrintStream out, PrintStream err, Map<String, String> env, String... args) {
        return commandLine(new CliContext(out, err, env, Clock.systemUTC())).execute(args);
    }

    /** As {@link #execute(PrintStream, PrintStream, Map, String...)}, with {@code in} as stdin (for exec). */
    public static int execute(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, String... args) {
        return commandLine(new CliContext(out, err, env, Clock.systemUTC(), in)).execute(args);
    }
}
