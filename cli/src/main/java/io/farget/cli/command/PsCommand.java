package io.farget.cli.command;

import io.farget.cli.CliContext;
import io.farget.cli.client.SchedulerClient;
import io.farget.cli.output.Json;
import io.farget.cli.output.Tables;
import io.farget.cli.view.PodView;
import io.farget.cli.view.Views;
import io.farget.proto.v1.ListPodsRequest;
import io.farget.proto.v1.PodPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ps", mixinStandardHelpOptions = true, description = "List pods, oldest first.")
final class PsCommand extends ClientCommand {
    @Option(names = "--phase", paramLabel = "PHASE", converter = Converters.Phase.class,
            description = "Only pods in this phase; repeat for more.")
    List<PodPhase> phases = new ArrayList<>();

    @Mixin
    OutputOptions output;

    PsCommand(CliContext context) {
        super(context);
    }

    @Override
    protected void run(SchedulerClient client) {
        ListPodsRequest request = ListPodsRequest.newBuilder().addAllPhases(phases).build();
        List<PodView> pods = Views.pods(client.call(DEADLINE, stubs -> stubs.pods().listPods(request)).getPodsList())
                .stream()
                .sorted(Comparator.comparing(PodView::createdAt, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
                        .thenComparing(PodView::id))
                .toList();
        print(output.json() ? Json.write(pods) + "\n" : Tables.pods(pods, context.clock().instant()));
    }
}
