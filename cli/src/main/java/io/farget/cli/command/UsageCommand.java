package io.farget.cli.command;

import io.farget.cli.CliContext;
import io.farget.cli.CliFailure;
import io.farget.cli.client.SchedulerClient;
import io.farget.cli.output.Csv;
import io.farget.cli.output.Json;
import io.farget.cli.output.Tables;
import io.farget.cli.view.RateCard;
import io.farget.cli.view.RecommendationView;
import io.farget.cli.view.UsageView;
import io.farget.cli.view.Views;
import io.farget.common.Timestamps;
import io.farget.proto.v1.GetUsageRequest;
import io.farget.proto.v1.GetUsageResponse;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "usage", mixinStandardHelpOptions = true,
        description = {"Show what pods used and what they are billed, from the scheduler's usage ledger.",
            "Billing is Fargate's: reserved vCPU and GB (GiB) times the seconds from start to end (or now), "
                    + "at least 60 s, at the scheduler's rate card (default 0.04048 USD per vCPU-hour and "
                    + "0.004445 USD per GB-hour; aarch64: 20%% less).",
            "Times (--since, --until) are RFC 3339 (2026-11-28T10:00:00Z), a date (2026-11-28), or an age "
                    + "before now (90m, 24h, 7d)."})
final class UsageCommand extends ClientCommand {
    enum Format { TABLE, JSON, CSV }

    @Parameters(paramLabel = "POD", arity = "0..1", description = "One pod's id. Default: every pod.")
    String podId;

    @Option(names = "--since", paramLabel = "T", converter = Converters.Time.class,
            description = "Only usage and billed time at or after T.")
    Instant since;

    @Option(names = "--until", paramLabel = "T", converter = Converters.Time.class,
            description = "Only usage and billed time before T.")
    Instant until;

    @Option(names = "--by", paramLabel = "GROUP", defaultValue = "pod",
            description = "Group by pod (default), node, day (UTC), label (each label) or label:KEY.")
    String by;

    @Option(names = "--recommend", description = "Right-sizing: requested vs observed p95 CPU and peak memory, "
            + "a suggested size and the monthly saving at the rate card. With --by label:KEY, per label value.")
    boolean recommend;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
            description = "Output format: table (default), json or csv. With json or csv, stdout holds only that.")
    Format format = Format.TABLE;

    UsageCommand(CliContext context) {
        super(context);
    }

    @Override
    protected void run(SchedulerClient client) {
        GetUsageRequest.Builder request = GetUsageRequest.newBuilder()
                .setPodId(podId == null ? "" : podId)
                .setGroupBy(by)
                .setRecommend(recommend);
        if (since != null) {
            request.setSince(Timestamps.of(since));
        }
        if (until != null) {
            request.setUntil(Timestamps.of(until));
        }
        GetUsageResponse response = client.call(DEADLINE, stubs -> stubs.usage().getUsage(request.build()));
        if (recommend) {
            printRecommendations(response.getRecommendationsList().stream().map(Views::recommendation).toList());
            return;
        }
        List<UsageView> usage = Views.usage(response.getRecordsList(), context.clock().instant(), RateCard.DEFAULT);
        if (podId != null && by.equals("pod")) {
            UsageView one = usage.stream().filter(u -> podId.equals(u.podId())).findFirst()
                    .orElseThrow(() -> new CliFailure("no usage recorded for pod " + podId));
            print(switch (format) {
                case JSON -> Json.write(one) + "\n";
                case CSV -> Csv.write(UsageView.CSV_HEADER, List.of(one.csvRow()));
                case TABLE -> Tables.usage(List.of(one));
            });
            return;
        }
        print(switch (format) {
            case JSON -> Json.write(usage) + "\n";
            case CSV -> Csv.write(UsageView.CSV_HEADER, usage.stream().map(UsageView::csvRow).toList());
            case TABLE -> Tables.usage(usage);
        });
    }

    private void printRecommendations(List<RecommendationView> advice) {
        print(switch (format) {
            case JSON -> Json.write(advice) + "\n";
            case CSV -> Csv.write(List.of("key", "pods", "requestedCpu", "requestedMemoryBytes", "p95Cpu", "peakMemoryBytes",
                    "memoryHighWaterBytes", "suggestedCpu", "suggestedMemoryBytes", "throttled", "oomKilled", "monthlySaving", "reason"),
                    advice.stream().map(r -> List.<Object>of(r.key(), r.pods(), r.requested().cpu(), r.requested().memoryBytes(),
                            r.p95Cpu(), r.peakMemoryBytes(), r.memoryHighWaterBytes(), r.suggested().cpu(), r.suggested().memoryBytes(), r.throttled(),
                            r.oomKilled(), r.monthlySaving(), r.reason())).toList());
            case TABLE -> Tables.recommendations(advice);
        });
    }
}
