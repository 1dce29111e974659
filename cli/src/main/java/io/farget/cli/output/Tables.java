package io.farget.cli.output;

import io.farget.cli.view.NodeView;
import io.farget.cli.view.PodView;
import io.farget.cli.view.ResourcesView;
import io.farget.cli.view.StatusView;
import io.farget.cli.view.RecommendationView;
import io.farget.cli.view.UsageView;
import io.farget.common.Quantities;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The human form of each view. Built from the same views as JSON, so both always agree. */
public final class Tables {
    private Tables() {}

    public static String pods(List<PodView> pods, Instant now) {
        Table table = Table.withHeaders("ID", "NAME", "PHASE", "NODE", "CPU", "MEMORY", "AGE", "EXIT");
        for (PodView pod : pods) {
            table.row(pod.id(), pod.name(), pod.phase(), pod.node(), cores(pod.resources().cpu()),
                    bytes(pod.resources().memoryBytes()), Ages.since(pod.createdAt(), now), pod.exitCode());
        }
        return table.render();
    }

    /** One pod, with its IP address and the reason column that explains a PENDING or FAILED pod. */
    public static String pod(PodView pod, Instant now) {
        Table table = Table.withHeaders("ID", "NAME", "PHASE", "NODE", "IP", "CPU", "MEMORY", "AGE", "EXIT", "REASON");
        table.row(pod.id(), pod.name(), pod.phase(), pod.node(), pod.ip(), cores(pod.resources().cpu()),
                bytes(pod.resources().memoryBytes()), Ages.since(pod.createdAt(), now), pod.exitCode(), pod.reason());
        return table.render();
    }

    public static String nodes(List<NodeView> nodes) {
        Table table = Table.withHeaders("ID", "HOSTNAME", "ARCH", "STATE", "CPU(alloc/cap)", "MEMORY(alloc/cap)", "PODS");
        for (NodeView node : nodes) {
            table.row(node.id(), node.hostname(), node.arch(), node.state(),
                    cores(node.allocated().cpu()) + "/" + cores(node.capacity().cpu()),
                    bytes(node.allocated().memoryBytes()) + "/" + bytes(node.capacity().memoryBytes()),
                    node.podCount());
        }
        return table.render();
    }

    public static String usage(List<UsageView> usage) {
        boolean grouped = usage.stream().anyMatch(u -> u.group() != null);
        Table table = grouped
                ? Table.withHeaders("GROUP", "PODS", "CPU-SECONDS", "PEAK-MEMORY", "BILLED", "VCPU-SECONDS", "GB-SECONDS", "COST")
                : Table.withHeaders("POD", "NAME", "NODE", "CPU-SECONDS", "PEAK-MEMORY", "RESERVED",
                        "BILLED", "VCPU-SECONDS", "GB-SECONDS", "COST");
        for (UsageView u : usage) {
            if (grouped) {
                table.row(u.group(), u.podCount(), u.cpuSeconds().toPlainString(), bytes(u.peakMemoryBytes()),
                        Ages.of(Duration.ofSeconds(u.billedSeconds())), u.billedVcpuSeconds().toPlainString(),
                        u.billedGbSeconds().toPlainString(), u.cost().toPlainString() + " " + u.currency());
            } else {
                table.row(u.podId(), u.podName(), u.node(), u.cpuSeconds().toPlainString(), bytes(u.peakMemoryBytes()),
                        reserved(u.reserved()), Ages.of(Duration.ofSeconds(u.billedSeconds())),
                        u.billedVcpuSeconds().toPlainString(), u.billedGbSeconds().toPlainString(),
                        u.cost().toPlainString() + " " + u.currency());
            }
        }
        return table.render();
    }

    public static String recommendations(List<RecommendationView> advice) {
        Table table = Table.withHeaders("POD/LABEL", "PODS", "REQUESTED", "P95-CPU", "PEAK-MEMORY", "SUGGESTED",
                "SAVING/MONTH", "WHY");
        for (RecommendationView r : advice) {
            table.row(r.key(), r.pods(), reserved(r.requested()), cores(r.p95Cpu()), bytes(r.peakMemoryBytes()),
                    reserved(r.suggested()), r.monthlySaving().toPlainString(), r.reason());
        }
        return table.render();
    }

    /** One fact per line, like {@code nomad status}: the cluster is one thing, not a list. */
    public static String status(StatusView status) {
        String leader = status.leader() == null ? "none" : status.leader() + " (epoch " + status.epoch() + ")";
        String schedulers = status.schedulers().stream()
                .map(s -> s.address() + " " + s.role())
                .collect(Collectors.joining(", "));
        return "Leader:      " + leader + "\n"
                + "Schedulers:  " + orNone(schedulers) + "\n"
                + "ZooKeeper:   " + (status.zookeeper() == null ? "unknown" : status.zookeeper()) + "\n"
                + "Nodes:       " + orNone(counts(status.nodes())) + "\n"
                + "Pods:        " + orNone(counts(status.pods())) + "\n";
    }

    private static String counts(Map<String, Integer> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    private static String orNone(String text) {
        return text.isEmpty() ? "none" : text;
    }

    private static String reserved(ResourcesView resources) {
        return cores(resources.cpu()) + "/" + bytes(resources.memoryBytes());
    }

    private static String cores(BigDecimal cores) {
        return cores.toPlainString();
    }

    private static String bytes(long bytes) {
        return Quantities.formatBytes(bytes);
    }
}
