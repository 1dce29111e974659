package io.farget.scheduler.support;

import io.farget.proto.v1.AgentMessage;
import io.farget.proto.v1.AgentServiceGrpc;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.Heartbeat;
import io.farget.proto.v1.LaunchPod;
import io.farget.proto.v1.LogData;
import io.farget.proto.v1.PodReport;
import io.farget.proto.v1.Register;
import io.farget.proto.v1.Resources;
import io.farget.proto.v1.SchedulerMessage;
import io.farget.proto.v1.UsageReport;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/** A tiny agent speaking the stream protocol over a real gRPC connection, scripted by the test. */
public final class TestAgent implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ManagedChannel channel;
    private final StreamObserver<AgentMessage> out;
    private final BlockingQueue<SchedulerMessage> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Throwable> ended = new CompletableFuture<>();
    private final AtomicLong seq = new AtomicLong();
    public final String nodeId;

    private TestAgent(String address, String nodeId) {
        this.nodeId = nodeId;
        this.channel = Grpc.newChannelBuilder(address, InsecureChannelCredentials.create()).build();
        this.out = AgentServiceGrpc.newStub(channel).connect(new StreamObserver<>() {
            @Override
            public void onNext(SchedulerMessage message) {
                received.add(message);
            }

            @Override
            public void onError(Throwable t) {
                ended.complete(t);
            }

            @Override
            public void onCompleted() {
                ended.complete(null);
            }
        });
    }

    /** Opens a stream and registers a node of the given size, reporting {@code pods}. */
    public static TestAgent register(String address, String nodeId, long cpuMillis, long memoryBytes, PodReport... pods) {
        TestAgent agent = new TestAgent(address, nodeId);
        agent.send(AgentMessage.newBuilder().setRegister(Register.newBuilder()
                .setNodeId(nodeId).setHostname("host-" + nodeId).setArch(Arch.ARCH_X86_64)
                .setCapacity(Resources.newBuilder().setCpuMillis(cpuMillis).setMemoryBytes(memoryBytes))
                .setOs("linux").setAgentVersion("test").addAllPods(List.of(pods))));
        return agent;
    }

    /** Opens a stream and registers with {@code register} as given (labels, GPUs...). */
    public static TestAgent register(String address, Register.Builder register) {
        TestAgent agent = new TestAgent(address, register.getNodeId());
        agent.send(AgentMessage.newBuilder().setRegister(register.setHostname("host-" + register.getNodeId())
                .setArch(Arch.ARCH_X86_64).setOs("linux").setAgentVersion("test")));
        return agent;
    }

    /** Opens a stream without waiting for anything (for refusals). */
    public static TestAgent open(String address, String nodeId) {
        TestAgent agent = new TestAgent(address, nodeId);
        agent.send(AgentMessage.newBuilder().setRegister(Register.newBuilder().setNodeId(nodeId)
                .setArch(Arch.ARCH_X86_64).setCapacity(Resources.newBuilder().setCpuMillis(1000).setMemoryBytes(1L << 30))));
        return agent;
    }

    public synchronized void send(AgentMessage.Builder message) {
        out.onNext(message.setSeq(seq.incrementAndGet()).build());
    }

    public void heartbeat() {
        send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()));
    }

    public void report(PodReport.Builder report) {
        send(AgentMessage.newBuilder().setPodReport(report));
    }

    public void usage(UsageReport.Builder usage) {
        send(AgentMessage.newBuilder().setUsage(usage));
    }

    public void logData(LogData.Builder data) {
        send(AgentMessage.newBuilder().setLogData(data));
    }

    /** The next message matching {@code wanted}, skipping others; fails after a bounded wait. */
    public SchedulerMessage await(Predicate<SchedulerMessage> wanted, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                SchedulerMessage m = left <= 0 ? null : received.poll(left, TimeUnit.NANOSECONDS);
                if (m == null) {
                    throw new AssertionError("node " + nodeId + " received no " + what + " within " + WAIT);
                }
                if (wanted.test(m)) {
                    return m;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public SchedulerMessage awaitRegistered() {
        return await(SchedulerMessage::hasRegistered, "Registered");
    }

    public LaunchPod awaitLaunch() {
        return await(SchedulerMessage::hasLaunch, "LaunchPod").getLaunch();
    }

    /** Every message received so far and not yet consumed. */
    public List<SchedulerMessage> drain() {
        List<SchedulerMessage> all = new java.util.ArrayList<>();
        received.drainTo(all);
        return all;
    }

    /** The error the stream ended with. */
    public StatusRuntimeException awaitRefusal() {
        try {
            Throwable t = ended.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (t instanceof StatusRuntimeException sre) {
                return sre;
            }
            throw new AssertionError("stream ended with " + t);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (Exception e) {
            throw new AssertionError("stream did not end", e);
        }
    }

    /** Ends the stream (as an agent going away does). */
    public void disconnect() {
        try {
            out.onCompleted();
        } catch (RuntimeException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        disconnect();
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
