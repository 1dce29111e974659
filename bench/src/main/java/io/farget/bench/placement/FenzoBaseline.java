package io.farget.bench.placement;

import com.netflix.fenzo.ConstraintEvaluator;
import com.netflix.fenzo.SchedulingResult;
import com.netflix.fenzo.TaskRequest;
import com.netflix.fenzo.TaskScheduler;
import com.netflix.fenzo.TaskTrackerState;
import com.netflix.fenzo.VMAssignmentResult;
import com.netflix.fenzo.VMTaskFitnessCalculator;
import com.netflix.fenzo.VirtualMachineCurrentState;
import com.netflix.fenzo.VirtualMachineLease;
import com.netflix.fenzo.plugins.BinPackingFitnessCalculators;
import io.farget.placement.model.Architecture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Netflix Fenzo 0.13.8 placing the same workload with its CPU+memory bin-packing fitness and hard
 * constraints for architecture and zone. GPUs are a scalar resource to Fenzo (it has no notion of a
 * share on one device), so it is given the easier problem. All tasks and all hosts go into one
 * {@code scheduleOnce}, Fenzo's batch mode.
 */
final class FenzoBaseline {
    private FenzoBaseline() {}

    /** Places the first {@code count} pods; returns {placed, nanos}. */
    static long[] run(ThroughputWorkload workload, int count) {
        Map<String, Architecture> archOf = new HashMap<>();
        Map<String, String> zoneOf = new HashMap<>();
        List<VirtualMachineLease> leases = new ArrayList<>();
        for (int i = 0; i < workload.traceNodes().size(); i++) {
            TraceNode n = workload.traceNodes().get(i);
            archOf.put(n.name(), ThroughputWorkload.hostArch(i));
            zoneOf.put(n.name(), ThroughputWorkload.zone(i));
            leases.add(new Lease(n));
        }
        List<TaskRequest> tasks = new ArrayList<>(count);
        for (int j = 0; j < count; j++) {
            TracePod p = workload.tracePods().get(j);
            List<ConstraintEvaluator> constraints = new ArrayList<>(2);
            Architecture arch = ThroughputWorkload.podArch(j);
            if (arch != Architecture.ANY) {
                constraints.add(new Rule("arch", host -> archOf.get(host) == arch));
            }
            if (ThroughputWorkload.restricted(j)) {
                constraints.add(new Rule("zone", host -> ThroughputWorkload.allowedZones().contains(zoneOf.get(host))));
            }
            tasks.add(new Task("pod-" + j, p, constraints));
        }
        TaskScheduler scheduler = new TaskScheduler.Builder()
                .withLeaseOfferExpirySecs(1_000_000)
                .withLeaseRejectAction(lease -> {})
                .withFitnessCalculator(BinPackingFitnessCalculators.cpuMemBinPacker)
                .disableShortfallEvaluation()
                .build();
        long started = System.nanoTime();
        SchedulingResult result = scheduler.scheduleOnce(tasks, leases);
        long nanos = System.nanoTime() - started;
        long placed = 0;
        for (VMAssignmentResult r : result.getResultMap().values()) {
            placed += r.getTasksAssigned().size();
        }
        scheduler.shutdown();
        return new long[] {placed, nanos};
    }

    private interface HostTest {
        boolean allows(String hostname);
    }

    private record Rule(String name, HostTest test) implements ConstraintEvaluator {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public Result evaluate(TaskRequest task, VirtualMachineCurrentState vm, TaskTrackerState state) {
            boolean ok = test.allows(vm.getHostname());
            return new Result(ok, ok ? "" : name + " mismatch");
        }
    }

    private static final class Task implements TaskRequest {
        private final String id;
        private final TracePod pod;
        private final List<ConstraintEvaluator> constraints;
        private AssignedResources assigned;

        Task(String id, TracePod pod, List<ConstraintEvaluator> constraints) {
            this.id = id;
            this.pod = pod;
            this.constraints = constraints;
        }

        @Override public String getId() { return id; }
        @Override public String taskGroupName() { return "bench"; }
        @Override public double getCPUs() { return pod.cpuMillis() / 1000.0; }
        @Override public double getMemory() { return pod.memoryMib(); }
        @Override public double getNetworkMbps() { return 0; }
        @Override public double getDisk() { return 0; }
        @Override public int getPorts() { return 0; }
        @Override public Map<String, Double> getScalarRequests() {
            return pod.numGpu() == 0 ? new HashMap<>() : new HashMap<>(Map.of("gpu", pod.gpuRequestMilli() / 1000.0));
        }
        @Override public Map<String, NamedResourceSetRequest> getCustomNamedResources() { return new HashMap<>(); }
        @Override public List<? extends ConstraintEvaluator> getHardConstraints() { return constraints; }
        @Override public List<? extends VMTaskFitnessCalculator> getSoftConstraints() { return List.of(); }
        @Override public void setAssignedResources(AssignedResources r) { assigned = r; }
        @Override public AssignedResources getAssignedResources() { return assigned; }
    }

    private static final class Lease implements VirtualMachineLease {
        private final TraceNode node;

        Lease(TraceNode node) {
            this.node = node;
        }

        @Override public String getId() { return "lease-" + node.name(); }
        @Override public long getOfferedTime() { return 0; }
        @Override public String hostname() { return node.name(); }
        @Override public String getVMID() { return node.name(); }
        @Override public double cpuCores() { return node.cpuMillis() / 1000.0; }
        @Override public double memoryMB() { return node.memoryMib(); }
        @Override public double networkMbps() { return 0; }
        @Override public double diskMB() { return 0; }
        @Override public List<Range> portRanges() { return List.of(); }
        @Override public org.apache.mesos.Protos.Offer getOffer() { return null; }
        @Override public Map<String, org.apache.mesos.Protos.Attribute> getAttributeMap() { return new HashMap<>(); }
        @Override public Double getScalarValue(String name) { return name.equals("gpu") ? (double) node.gpus() : null; }
        @Override public Map<String, Double> getScalarValues() { return new HashMap<>(Map.of("gpu", (double) node.gpus())); }
    }
}
