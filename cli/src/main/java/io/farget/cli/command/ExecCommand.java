package io.farget.cli.command;

import com.google.protobuf.ByteString;
import io.farget.cli.CliContext;
import io.farget.cli.CliFailure;
import io.farget.cli.ExitCodes;
import io.farget.cli.terminal.LocalTerminal;
import io.farget.cli.terminal.TerminalSizes;
import io.farget.proto.v1.ExecRequest;
import io.farget.proto.v1.ExecResponse;
import io.farget.proto.v1.ExecStart;
import io.farget.proto.v1.PodServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code farget exec POD [-c C] [-i] [-t] -- CMD...}: runs a command in a running container, streams
 * its stdout and stderr here (and stdin there with -i), and exits with the command's exit status.
 * With -t the command gets a terminal of the local one's size (or LINES x COLUMNS without one), which
 * follows the local window; with -it on a real terminal, that terminal is raw until the command ends.
 */
@Command(name = "exec", mixinStandardHelpOptions = true,
        description = "Run a command in a running container; exit with its exit status.")
final class ExecCommand implements java.util.concurrent.Callable<Integer> {
    private final CliContext context;

    @Mixin
    ClientOptions connection;

    @Parameters(index = "0", paramLabel = "POD", description = "The pod's id.")
    String podId;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD", description = "The command and its arguments (after --).")
    List<String> command;

    @Option(names = {"-c", "--container"}, paramLabel = "NAME", description = "The container. Default: the pod's first.")
    String container;

    @Option(names = {"-i", "--stdin"}, description = "Pass stdin to the command.")
    boolean stdin;

    @Option(names = {"-t", "--tty"}, description = "Run the command on a terminal of this terminal's size (stderr comes "
            + "with stdout); with -i, keys go to it as typed, Ctrl-C included.")
    boolean tty;

    ExecCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        var server = connection.servers(context.env()).get(0);
        ManagedChannel channel = NettyChannelBuilder.forAddress(server.host(), server.port()).usePlaintext().build();
        try {
            return run(channel);
        } finally {
            channel.shutdownNow();
            channel.awaitTermination(2, TimeUnit.SECONDS);
        }
    }

    private int run(ManagedChannel channel) throws InterruptedException {
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        CompletableFuture<ClientCallStreamObserver<ExecRequest>> requests = new CompletableFuture<>();
        PodServiceGrpc.newStub(channel).exec(new ClientResponseObserver<ExecRequest, ExecResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<ExecRequest> stream) {
                requests.complete(stream);
            }

            @Override
            public void onNext(ExecResponse response) {
                try {
                    switch (response.getBodyCase()) {
                        case STDOUT -> write(response.getStdout(), context.out());
                        case STDERR -> write(response.getStderr(), context.err());
                        case EXIT_CODE -> exit.complete(response.getExitCode());
                        default -> { }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void onError(Throwable t) {
                exit.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                exit.complete(ExitCodes.FAILURE); // a no-op when the exit code came first
            }
        });
        ClientCallStreamObserver<ExecRequest> out = requests.join();
        Optional<LocalTerminal> local = tty ? LocalTerminal.ifInteractive(context.in() == System.in) : Optional.empty();
        ExecStart.Builder start = ExecStart.newBuilder().setPodId(podId)
                .setContainer(container == null ? "" : container).addAllCommand(command).setTty(tty);
        if (tty) {
            start.setSize(TerminalSizes.choose(local.flatMap(LocalTerminal::size), context.env()));
        }
        synchronized (out) {
            out.onNext(ExecRequest.newBuilder().setStart(start).build());
        }
        local.ifPresent(terminal -> {
            terminal.onResize(size -> {
                synchronized (out) {
                    if (!exit.isDone()) {
                        out.onNext(ExecRequest.newBuilder().setResize(size).build());
                    }
                }
            });
            if (stdin) {
                terminal.enterRawMode();
            }
        });
        try {
            return finish(out, exit);
        } finally {
            local.ifPresent(LocalTerminal::close);
        }
    }

    private int finish(ClientCallStreamObserver<ExecRequest> out, CompletableFuture<Integer> exit) throws InterruptedException {
        Thread pump = stdin ? startStdinPump(out, exit) : null;
        if (!stdin) {
            synchronized (out) {
                out.onNext(ExecRequest.newBuilder().setStdinEof(true).build());
            }
        }
        try {
            int code = exit.get();
            synchronized (out) {
                out.onCompleted();
            }
            return code;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StatusRuntimeException sre) {
                String description = sre.getStatus().getDescription();
                throw new CliFailure(description == null ? sre.getStatus().getCode().name().toLowerCase(java.util.Locale.ROOT)
                        : description, sre);
            }
            throw new CliFailure("exec failed: " + cause, cause);
        } finally {
            if (pump != null) {
                pump.interrupt();
            }
        }
    }

    private Thread startStdinPump(ClientCallStreamObserver<ExecRequest> out, CompletableFuture<Integer> exit) {
        Thread pump = new Thread(() -> {
            InputStream in = context.in();
            byte[] buffer = new byte[16 * 1024];
            try {
                int n;
                while (!exit.isDone() && (n = in.read(buffer)) > 0) {
                    synchronized (out) {
                        out.onNext(ExecRequest.newBuilder().setStdin(ByteString.copyFrom(buffer, 0, n)).build());
                    }
                }
                synchronized (out) {
                    if (!exit.isDone()) {
                        out.onNext(ExecRequest.newBuilder().setStdinEof(true).build());
                    }
                }
            } catch (IOException | RuntimeException e) {
                // stdin closed or the call ended: nothing more to send
            }
        }, "farget-exec-stdin");
        pump.setDaemon(true);
        pump.start();
        return pump;
    }

    private static void write(ByteString data, java.io.PrintStream to) throws IOException {
        data.writeTo(to);
        to.flush();
    }

}
