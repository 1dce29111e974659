package io.farget.cli.command;

import io.farget.cli.CliContext;
import io.farget.cli.ExitCodes;
import io.farget.cli.client.SchedulerClient;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** A verb that talks to the schedulers: owns the connection for the command's lifetime. */
abstract class ClientCommand implements Callable<Integer> {
    /** How long one call may take; a scheduler that needs longer is as good as down. */
    static final Duration DEADLINE = Duration.ofSeconds(10);

    protected final CliContext context;

    @Mixin
    ClientOptions connection;

    ClientCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public final Integer call() {
        try (SchedulerClient client = new SchedulerClient(connection.servers(context.env()))) {
            run(client);
        }
        return ExitCodes.OK;
    }

    protected abstract void run(SchedulerClient client);

    /** Writes text to stdout as is (callers end it with a newline). */
    protected final void print(String text) {
        context.out().print(text);
        context.out().flush();
    }

    protected final void printLine(String line) {
        print(line + "\n");
    }
}
