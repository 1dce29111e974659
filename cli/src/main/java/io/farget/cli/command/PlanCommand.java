package io.farget.cli.command;

import io.farget.cli.CliContext;
import io.farget.cli.client.SchedulerClient;
import io.farget.cli.output.Json;
import io.farget.cli.output.Table;
import io.farget.proto.v1.HostScoreInfo;
import io.farget.proto.v1.PlanPodRequest;
import io.farget.proto.v1.PlanPodResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Dry run: where a pod spec file would be placed now and the scores of the best nodes; nothing is created.")
final class PlanCommand extends ClientCommand {
    @Option(names = {"-f", "--filename"}, paramLabel = "FILE", required = true,
            description = "The pod spec file; - reads standard input.")
    String file;

    @Option(names = "--top", paramLabel = "N", defaultValue = "5", description = "How many of the best nodes to show (default ${DEFAULT-VALUE}).")
    int top;

    @Mixin
    OutputOptions output;

    PlanCommand(CliContext context) {
        super(context);
    }

    /** The JSON shape: {@code node} null when nowhere. */
    record PlanView(String node, String reason, boolean unresolvable, List<String> wouldPreempt, List<HostView> hosts) {}

    record HostView(String node, double score, Map<String, Double> scorers) {}

    @Override
    protected void run(SchedulerClient client) {
        PlanPodRequest request = PlanPodRequest.newBuilder().setSpec(SpecFileReader.read(file)).setTop(top).build();
        PlanPodResponse plan = client.call(DEADLINE, stubs -> stubs.pods().planPod(request));
        PlanView view = new PlanView(plan.getNodeId().isEmpty() ? null : plan.getNodeId(),
                plan.getExplanation().isEmpty() ? null : plan.getExplanation(), plan.getUnresolvable(),
                plan.getWouldPreemptList(), plan.getHostsList().stream().map(PlanCommand::host).toList());
        print(output.json() ? Json.write(view) + "\n" : text(view));
    }

    private static HostView host(HostScoreInfo h) {
        return new HostView(h.getNodeId(), round(h.getTotal()), new LinkedHashMap<>(new TreeMap<>(h.getByScorerMap())));
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    private static String text(PlanView view) {
        StringBuilder out = new StringBuilder();
        if (view.node() == null) {
            out.append("would not be placed: ").append(view.reason()).append('\n');
        } else {
            out.append("would be placed on ").append(view.node());
            if (!view.wouldPreempt().isEmpty()) {
                out.append(", preempting ").append(String.join(", ", view.wouldPreempt()));
            }
            out.append('\n');
        }
        if (!view.hosts().isEmpty()) {
            List<String> scorers = List.copyOf(view.hosts().get(0).scorers().keySet());
            String[] headers = new String[scorers.size() + 2];
            headers[0] = "NODE";
            headers[1] = "SCORE";
            for (int i = 0; i < scorers.size(); i++) {
                headers[i + 2] = scorers.get(i).toUpperCase(java.util.Locale.ROOT);
            }
            Table table = Table.withHeaders(headers);
            for (HostView h : view.hosts()) {
                Object[] row = new Object[headers.length];
                row[0] = h.node();
                row[1] = String.format(java.util.Locale.ROOT, "%.4f", h.score());
                for (int i = 0; i < scorers.size(); i++) {
                    row[i + 2] = String.format(java.util.Locale.ROOT, "%.4f", h.scorers().getOrDefault(scorers.get(i), 0.0));
                }
                table.row(row);
            }
            out.append(table.render());
        }
        return out.toString();
    }
}
