package io.farget.cli.command;

import io.farget.cli.CliContext;
import io.farget.cli.client.SchedulerClient;
import io.farget.proto.v1.GetLogsRequest;
import io.farget.proto.v1.LogChunk;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Iterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Print a container's output (stdout and stderr), byte for byte.")
final class LogsCommand extends ClientCommand {
    /** A whole log can be long; it still must not hang forever when nobody follows it. */
    static final Duration LOGS_DEADLINE = Duration.ofSeconds(60);

    @Parameters(paramLabel = "POD", description = "The pod's id.")
    String podId;

    @Option(names = {"-c", "--container"}, paramLabel = "NAME", description = "The container. Default: the pod's first.")
    String container;

    @Option(names = {"-f", "--follow"}, description = "Keep printing until the container ends.")
    boolean follow;

    @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines written so far.")
    int tail;

    @Option(names = "--since", paramLabel = "TIME", converter = Converters.Time.class,
            description = "Only output written since TIME: an age (10s, 5m, 2h, 1d), a UTC date or RFC 3339. "
                    + "Resolution about one second.")
    java.time.Instant since;

    LogsCommand(CliContext context) {
        super(context);
    }

    @Override
    protected void run(SchedulerClient client) {
        GetLogsRequest.Builder builder = GetLogsRequest.newBuilder()
                .setPodId(podId)
                .setContainer(container == null ? "" : container)
                .setFollow(follow)
                .setTailLines(Math.max(0, tail));
        if (since != null) {
            builder.setSince(io.farget.common.Timestamps.of(since));
        }
        GetLogsRequest request = builder.build();
        Iterator<LogChunk> chunks = client.call(follow ? null : LOGS_DEADLINE, stubs -> {
            Iterator<LogChunk> stream = stubs.pods().getLogs(request);
            // Waiting for the first answer here lets a missing pod or a standby's redirect be
            // handled like any other call, before a single byte has been printed.
            stream.hasNext();
            return stream;
        });
        PrintStream out = context.out();
        while (chunks.hasNext()) {
            try {
                chunks.next().getData().writeTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.flush();
            if (out.checkError()) {
                // Whoever read our output has gone (`logs -f | head`); closing the client cancels the stream.
                return;
            }
        }
    }
}
