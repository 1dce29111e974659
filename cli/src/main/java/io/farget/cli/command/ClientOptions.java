package io.farget.cli.command;

import io.farget.cli.client.ServerAddress;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Where the schedulers are: {@code --server}, else {@code $FARGET_SERVER}, else 127.0.0.1:7070. */
public final class ClientOptions {
    public static final String ENV_VAR = "FARGET_SERVER";

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--server", paramLabel = "HOST:PORT[,...]",
            description = "Scheduler replicas to try, in order (any replica will do). Default: $" + ENV_VAR
                    + " or " + ServerAddress.DEFAULT + ".")
    String server;

    List<ServerAddress> servers(Map<String, String> env) {
        String fromEnv = env.get(ENV_VAR);
        boolean flagGiven = server != null;
        String text = flagGiven ? server : fromEnv != null && !fromEnv.isBlank() ? fromEnv : ServerAddress.DEFAULT;
        try {
            return ServerAddress.parseList(text);
        } catch (IllegalArgumentException e) {
            String source = flagGiven ? "option '--server'" : "$" + ENV_VAR;
            throw new ParameterException(command.commandLine(), "Invalid value for " + source + ": " + e.getMessage());
        }
    }
}
