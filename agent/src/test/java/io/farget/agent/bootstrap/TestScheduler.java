package io.farget.agent.bootstrap;

import io.farget.common.GrpcErrors;
import io.farget.proto.v1.AgentMessage;
import io.farget.proto.v1.AgentServiceGrpc;
import io.farget.proto.v1.Heartbeat;
import io.farget.proto.v1.KillPod;
import io.farget.proto.v1.LaunchPod;
import io.farget.proto.v1.LogData;
import io.farget.proto.v1.LogRequest;
import io.farget.proto.v1.PodReport;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.PodUsageSample;
import io.farget.proto.v1.Register;
import io.farget.proto.v1.Registered;
import io.farget.proto.v1.SchedulerMessage;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A scheduler stand-in on a real Netty server at 127.0.0.1: records what agents send and sends commands. */
final class TestScheduler implements AutoCloseable {
    final List<AgentMessage> received = new CopyOnWriteArrayList<>();
    volatile long epoch = 1;
    /** When set, this replica is a standby that names this leader and refuses every Connect. */
    volatile String standbyFor;
    volatile long heartbeatMillis = 100;
    volatile long usageMillis = 100;
    private final Server server;
    private volatile StreamObserver<SchedulerMessage> agent;

    private TestScheduler(int port) throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(new Service())
                .build()
                .start();
    }

    static TestScheduler start() throws IOException {
        return new TestScheduler(0);
    }

    static TestScheduler startOn(int port) throws IOException {
        return new TestScheduler(port);
    }

    int port() {
        return server.getPort();
    }

    String address() {
        return "127.0.0.1:" + port();
    }

    List<Register> registers() {
        return received.stream().filter(AgentMessage::hasRegister).map(AgentMessage::getRegister).toList();
    }

    List<PodReport> reports(String podId) {
        return received.stream().filter(AgentMessage::hasPodReport).map(AgentMessage::getPodReport)
                .filter(r -> r.getPodId().equals(podId)).toList();
    }

    Optional<PodReport> lastReport(String podId) {
        List<PodReport> reports = reports(podId);
        return reports.isEmpty() ? Optional.empty() : Optional.of(reports.get(reports.size() - 1));
    }

    /** The samples the agent sent for the pod: in usage reports, and carried by its pod reports (at start and end). */
    List<PodUsageSample> usage(String podId) {
        return received.stream().flatMap(m -> m.hasUsage() ? m.getUsage().getSamplesList().stream()
                        : m.hasPodReport() && m.getPodReport().getUsage().getSampleSeq() > 0
                        ? java.util.stream.Stream.of(PodUsageSample.newBuilder().setPodId(m.getPodReport().getPodId())
                                .setAttempt(m.getPodReport().getAttempt()).setUsage(m.getPodReport().getUsage()).build())
                        : java.util.stream.Stream.<PodUsageSample>empty())
                .filter(s -> s.getPodId().equals(podId)).toList();
    }

    List<Heartbeat> heartbeats() {
        return received.stream().filter(AgentMessage::hasHeartbeat).map(AgentMessage::getHeartbeat).toList();
    }

    List<LogData> logs(String requestId) {
        return received.stream().filter(AgentMessage::hasLogData).map(AgentMessage::getLogData)
                .filter(d -> d.getRequestId().equals(requestId)).toList();
    }

    void launch(String podId, int attempt, PodSpec spec) {
        send(SchedulerMessage.newBuilder().setEpoch(epoch).setLaunch(LaunchPod.newBuilder().setPodId(podId).setAttempt(attempt).setSpec(spec)));
    }

    void kill(String podId) {
        send(SchedulerMessage.newBuilder().setEpoch(epoch).setKill(KillPod.newBuilder().setPodId(podId).setReason("test").setGracePeriodMillis(1000)));
    }

    void requestLogs(String requestId, String podId, boolean follow) {
        send(SchedulerMessage.newBuilder().setEpoch(epoch).setLogRequest(
                LogRequest.newBuilder().setRequestId(requestId).setPodId(podId).setFollow(follow)));
    }

    synchronized void send(SchedulerMessage.Builder message) {
        StreamObserver<SchedulerMessage> to = agent;
        if (to == null) {
            throw new IllegalStateException("no agent connected");
        }
        to.onNext(message.build());
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }

    private final class Service extends AgentServiceGrpc.AgentServiceImplBase {
        @Override
        public StreamObserver<AgentMessage> connect(StreamObserver<SchedulerMessage> responses) {
            String leader = standbyFor;
            if (leader != null) {
                Metadata trailers = new Metadata();
                trailers.put(GrpcErrors.LEADER_KEY, leader);
                responses.onError(Status.FAILED_PRECONDITION.withDescription("not leader; leader is " + leader).asRuntimeException(trailers));
                return new StreamObserver<>() {
                    @Override public void onNext(AgentMessage value) { }
                    @Override public void onError(Throwable t) { }
                    @Override public void onCompleted() { }
                };
            }
            return new StreamObserver<>() {
                @Override
                public void onNext(AgentMessage message) {
                    received.add(message);
                    if (message.hasRegister()) {
                        synchronized (TestScheduler.this) {
                            agent = responses;
                            responses.onNext(SchedulerMessage.newBuilder().setEpoch(epoch).setRegistered(Registered.newBuilder()
                                    .setNodeId(message.getRegister().getNodeId())
                                    .setHeartbeatIntervalMillis(heartbeatMillis)
                                    .setUsageIntervalMillis(usageMillis)).build());
                        }
                    }
                }

                @Override
                public void onError(Throwable t) {
                    forget(responses);
                }

                @Override
                public void onCompleted() {
                    forget(responses);
                    responses.onCompleted();
                }
            };
        }

        private void forget(StreamObserver<SchedulerMessage> responses) {
            synchronized (TestScheduler.this) {
                if (agent == responses) {
                    agent = null;
                }
            }
        }
    }
}
