package io.farget.cli.view;

import io.farget.common.Arches;
import io.farget.common.PodPhases;
import io.farget.common.Quantities;
import io.farget.common.ResourceMath;
import io.farget.common.Timestamps;
import io.farget.proto.v1.ClusterStatus;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.ContainerState;
import io.farget.proto.v1.ContainerStatus;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodStatus;
import io.farget.proto.v1.ContainerUsage;
import io.farget.proto.v1.PodUsage;
import io.farget.proto.v1.PodUsageRecord;
import io.farget.proto.v1.Recommendation;
import io.farget.proto.v1.Resources;
import io.farget.proto.v1.RestartPolicy;
import io.farget.proto.v1.SchedulerInfo;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one place where wire messages become what users see. Enum prefixes are dropped
 * (POD_PHASE_RUNNING -> RUNNING), empty strings and unset times become null, CPU becomes cores.
 */
public final class Views {
    private Views() {}

    public static PodView pod(Pod pod) {
        PodStatus status = pod.getStatus();
        return new PodView(
                pod.getId(),
                pod.getSpec().getName(),
                PodPhases.name(status.getPhase()),
                emptyToNull(status.getNodeId()),
                emptyToNull(status.getIp()),
                emptyToNull(status.getReason()),
                status.getHasExitCode() ? status.getExitCode() : null,
                Timestamps.toInstant(status.getCreatedAt()),
                Timestamps.toInstant(status.getScheduledAt()),
                Timestamps.toInstant(status.getStartedAt()),
                Timestamps.toInstant(status.getFinishedAt()),
                resources(ResourceMath.podSize(pod.getSpec())),
                Arches.name(pod.getSpec().getArch()),
                restart(pod.getSpec().getRestart()),
                new TreeMap<>(pod.getSpec().getLabelsMap()),
                status.getAttempt(),
                containers(pod.getSpec().getInitContainersList(), status.getContainersList()),
                containers(pod.getSpec().getContainersList(), status.getContainersList()));
    }

    public static List<PodView> pods(List<Pod> pods) {
        return pods.stream().map(Views::pod).toList();
    }

    public static NodeView node(Node node) {
        return new NodeView(
                node.getId(),
                node.getHostname(),
                Arches.name(node.getArch()),
                withoutPrefix(node.getState().name(), "NODE_STATE_")
                        + (node.getCordoned() && !node.getDraining() ? ",CORDONED" : ""),
                resources(node.getCapacity()),
                resources(node.getAllocated()),
                node.getPodCount(),
                emptyToNull(node.getAgentVersion()),
                Timestamps.toInstant(node.getLastHeartbeatAt()));
    }

    public static List<NodeView> nodes(List<Node> nodes) {
        return nodes.stream().map(Views::node).toList();
    }

    /**
     * A usage record with its bill: the scheduler's ledger figures when it sent them; an older
     * scheduler's records are billed here, with {@code now} ending the time of pods still running.
     */
    public static UsageView usage(PodUsageRecord record, Instant now, RateCard rates) {
        Instant startedAt = Timestamps.toInstant(record.getStartedAt());
        Instant finishedAt = Timestamps.toInstant(record.getFinishedAt());
        Billing.Bill bill;
        String currency;
        if (!record.getCurrency().isEmpty()) {
            bill = new Billing.Bill(record.getBilledSeconds(), decimal(record.getBilledVcpuSeconds()),
                    decimal(record.getBilledGbSeconds()), decimal(record.getCost()));
            currency = record.getCurrency();
        } else {
            bill = Billing.bill(record.getReserved(), record.getArch(), Billing.billedSeconds(startedAt, finishedAt, now), rates);
            currency = RateCard.CURRENCY;
        }
        PodUsage used = record.getUsage();
        boolean grouped = !record.getGroup().isEmpty();
        return new UsageView(
                grouped ? null : record.getPodId(),
                emptyToNull(record.getPodName()),
                emptyToNull(record.getNodeId()),
                grouped ? null : Arches.name(record.getArch()),
                Decimals.plain(BigDecimal.valueOf(used.getCpuNanos(), 9).setScale(3, RoundingMode.HALF_UP)),
                used.getPeakMemoryBytes(),
                used.getMemoryHighWaterBytes(),
                used.getMemoryByteSeconds(),
                grouped ? null : resources(record.getReserved()),
                bill.seconds(),
                bill.vcpuSeconds(),
                bill.gbSeconds(),
                bill.cost(),
                currency,
                startedAt,
                finishedAt,
                emptyToNull(record.getGroup()),
                Math.max(1, record.getPodCount()),
                used.getContainersList().stream().map(Views::containerUsage).toList());
    }

    private static ContainerUsageView containerUsage(ContainerUsage c) {
        return new ContainerUsageView(c.getName(), Decimals.plain(BigDecimal.valueOf(c.getCpuNanos(), 9).setScale(3, RoundingMode.HALF_UP)),
                c.getPeakMemoryBytes(), c.getMemoryHighWaterBytes(), c.getMemoryByteSeconds());
    }

    private static BigDecimal decimal(String text) {
        return text.isEmpty() ? BigDecimal.ZERO : Decimals.plain(new BigDecimal(text));
    }

    /** Right-sizing advice as JSON and tables show it. */
    public static RecommendationView recommendation(Recommendation r) {
        return new RecommendationView(r.getKey(), r.getPods(), resources(r.getRequested()),
                Decimals.plain(BigDecimal.valueOf(r.getP95CpuMillis(), 3)), r.getPeakMemoryBytes(), r.getMemoryHighWaterBytes(),
                resources(r.getSuggested()),
                r.getThrottled(), r.getOomKilled(), decimal(r.getMonthlySaving()), r.getReason());
    }

    public static List<UsageView> usage(List<PodUsageRecord> records, Instant now, RateCard rates) {
        return records.stream().map(r -> usage(r, now, rates)).toList();
    }

    public static StatusView status(ClusterStatus status) {
        List<StatusView.SchedulerView> schedulers = new ArrayList<>();
        for (SchedulerInfo info : status.getSchedulersList()) {
            schedulers.add(new StatusView.SchedulerView(info.getAddress(), info.getRole()));
        }
        return new StatusView(
                emptyToNull(status.getLeader()),
                schedulers,
                emptyToNull(status.getZookeeper()),
                counts(status.getNodesByStateMap(), "NODE_STATE_"),
                counts(status.getPodsByPhaseMap(), "POD_PHASE_"),
                status.getLeaderEpoch());
    }

    public static ResourcesView resources(Resources resources) {
        return new ResourcesView(Quantities.cores(resources.getCpuMillis()), resources.getMemoryBytes());
    }

    /** The restart policy as a spec file spells it: never, on-failure or always. */
    public static String restart(RestartPolicy policy) {
        return switch (policy) {
            case RESTART_POLICY_ON_FAILURE -> "on-failure";
            case RESTART_POLICY_ALWAYS -> "always";
            case RESTART_POLICY_NEVER, RESTART_POLICY_UNSPECIFIED, UNRECOGNIZED -> "never";
        };
    }

    /** Every container of the spec, in order, with the status the agent reported for it, or WAITING. */
    private static List<ContainerView> containers(List<ContainerSpec> specs, List<ContainerStatus> statuses) {
        Map<String, ContainerStatus> byName = new HashMap<>();
        for (ContainerStatus status : statuses) {
            byName.put(status.getName(), status);
        }
        List<ContainerView> views = new ArrayList<>(specs.size());
        for (ContainerSpec spec : specs) {
            ContainerStatus status = byName.get(spec.getName());
            if (status == null) {
                views.add(new ContainerView(spec.getName(), "WAITING", null, null, 0));
            } else {
                views.add(new ContainerView(
                        spec.getName(),
                        containerState(status.getState()),
                        status.getHasExitCode() ? status.getExitCode() : null,
                        emptyToNull(status.getReason()),
                        status.getRestartCount()));
            }
        }
        return views;
    }

    private static String containerState(ContainerState state) {
        return state == ContainerState.CONTAINER_STATE_UNSPECIFIED || state == ContainerState.UNRECOGNIZED
                ? "WAITING"
                : withoutPrefix(state.name(), "CONTAINER_STATE_");
    }

    private static Map<String, Integer> counts(Map<String, Integer> byName, String prefix) {
        Map<String, Integer> counts = new TreeMap<>();
        byName.forEach((name, count) -> counts.merge(withoutPrefix(name, prefix), count, Integer::sum));
        return counts;
    }

    private static String withoutPrefix(String name, String prefix) {
        return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

}
