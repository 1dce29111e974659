package io.farget.cli.command;

import io.farget.cli.CliContext;
import io.farget.cli.CliFailure;
import io.farget.cli.client.SchedulerClient;
import io.farget.cli.output.Json;
import io.farget.cli.output.Tables;
import io.farget.cli.view.RateCard;
import io.farget.cli.view.UsageView;
import io.farget.cli.view.Views;
import io.farget.proto.v1.GetUsageRequest;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "usage", mixinStandardHelpOptions = true,
        description = {"Show what pods used and what they are billed.",
            "Billing is Fargate's: reserved vCPU and GB (GiB) times the seconds from start to end (or now), "
                    + "at least 60 s, at 0.04048 USD per vCPU-hour and 0.004445 USD per GB-hour (aarch64: 20% less)."})
final class UsageCommand extends ClientCommand {
    @Parameters(paramLabel = "POD", arity = "0..1", description = "One pod's id. Default: every pod.")
    String podId;

    @Mixin
    OutputOptions output;

    UsageCommand(CliContext context) {
        super(context);
    }

    @Override
    protected void run(SchedulerClient client) {
        GetUsageRequest request = GetUsageRequest.newBuilder().setPodId(podId == null ? "" : podId).build();
        List<UsageView> usage = Views.usage(
                client.call(DEADLINE, stubs -> stubs.usage().getUsage(request)).getRecordsList(),
                context.clock().instant(), RateCard.DEFAULT);
        if (podId == null) {
            print(output.json() ? Json.write(usage) + "\n" : Tables.usage(usage));
            return;
        }
        UsageView one = usage.stream().filter(u -> u.podId().equals(podId)).findFirst()
                .orElseThrow(() -> new CliFailure("no usage recorded for pod " + podId));
        print(output.json() ? Json.write(one) + "\n" : Tables.usage(List.of(one)));
    }
}
