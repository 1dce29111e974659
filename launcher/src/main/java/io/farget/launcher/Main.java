package io.farget.launcher;

import io.farget.bench.BenchCommand;
import io.farget.cli.FargetCli;
import java.util.Set;
import picocli.CommandLine;

/**
 * The {@code farget} executable: the client verbs of the cli module plus the daemons, which live here
 * because only this module may depend on the scheduler and the agent.
 */
public final class Main {
    private static final Set<String> DAEMON_VERBS = Set.of("dev", "scheduler", "agent");

    private Main() {}

    public static void main(String[] args) {
        boolean daemon = args.length > 0 && DAEMON_VERBS.contains(args[0]);
        // Decided before the first logger exists: daemons log facts at INFO; client verbs report on
        // stderr themselves and skip logging altogether (configuring logback costs ~600 classes).
        if (daemon && System.getProperty("farget.log.level") == null) {
            System.setProperty("farget.log.level", "INFO");
        }
        // Benchmarks run daemons inside (hollow agents, ZooKeeper, schedulers): their warnings (a lost
        // pod, a stalled run) belong beside the table; their INFO lines would drown it.
        if (args.length > 0 && args[0].equals("bench") && System.getProperty("farget.log.level") == null) {
            System.setProperty("farget.log.level", "WARN");
        }
        if (!daemon && System.getProperty("farget.log.level") == null && System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
            System.setProperty("slf4j.internal.verbosity", "WARN"); // no note on stderr about the choice
        }
        int exit = commandLine().execute(args);
        if (exit != 0 || !daemon) {
            System.exit(exit);
        }
    }

    static CommandLine commandLine() {
        CommandLine cli = FargetCli.commandLine();
        cli.addSubcommand("dev", new DevCommand());
        cli.addSubcommand("scheduler", new SchedulerCommand());
        cli.addSubcommand("agent", new AgentCommand());
        cli.addSubcommand("bench", new BenchCommand());
        return cli;
    }
}
