package io.farget.cli.command;

import io.farget.cli.CliContext;
import io.farget.cli.CliFailure;
import io.farget.cli.client.SchedulerClient;
import io.farget.cli.spec.PodSpecFile;
import io.farget.cli.spec.SpecException;
import io.farget.proto.v1.CreatePodRequest;
import io.farget.proto.v1.PodSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "apply", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Submit a pod spec file (YAML or JSON) and print the new pod's id.")
final class ApplyCommand extends ClientCommand {
    @Option(names = {"-f", "--filename"}, paramLabel = "FILE", required = true,
            description = "The pod spec file; - reads standard input.")
    String file;

    @Mixin
    OutputOptions output;

    ApplyCommand(CliContext context) {
        super(context);
    }

    @Override
    protected void run(SchedulerClient client) {
        PodSpec spec;
        try {
            spec = PodSpecFile.parse(readFile());
        } catch (SpecException e) {
            throw new CliFailure(file + ": " + e.getMessage(), e);
        }
        CreatePodRequest request = CreatePodRequest.newBuilder().setSpec(spec).setRequestId(RequestIds.next()).build();
        PodPrinter.printCreated(this, output, client.call(DEADLINE, stubs -> stubs.pods().createPod(request)));
    }

    private String readFile() {
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
