package io.farget.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.util.Durations;
import com.google.rpc.RetryInfo;
import io.farget.cli.CliFailure;
import io.farget.cli.support.FakeScheduler;
import io.farget.common.FargetException;
import io.farget.common.GrpcErrors;
import io.farget.common.NotLeaderException;
import io.farget.proto.v1.ListNodesRequest;
import io.farget.proto.v1.ListNodesResponse;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client waits out a failover that is visibly under way, and nothing else. */
class SchedulerClientFailoverTest {
    private FakeScheduler standby;
    private String deadLeader;

    @BeforeEach
    void start() throws Exception {
        standby = FakeScheduler.start();
        deadLeader = "127.0.0.1:" + freePort();
    }

    @AfterEach
    void stop() {
        standby.close();
    }

    @Test
    void waitsWhileTheNamedLeaderIsDeadUntilANewOneServes() {
        for (int i = 0; i < 3; i++) {
            standby.nextFailures.add(notLeader(deadLeader));
        }

        try (SchedulerClient client = client(Duration.ofSeconds(5))) {
            client.call(Duration.ofSeconds(5), this::listNodes);
        }

        assertThat(standby.requestsOf(ListNodesRequest.class)).hasSize(4);
    }

    @Test
    void waitsWhileAReplicaSaysAnElectionIsUnderWay() {
        standby.nextFailures.add(electionUnderWay());
        standby.nextFailures.add(electionUnderWay());

        try (SchedulerClient client = client(Duration.ofSeconds(5))) {
            client.call(Duration.ofSeconds(5), this::listNodes);
        }

        assertThat(standby.requestsOf(ListNodesRequest.class)).hasSize(3);
    }

    @Test
    void aLeaderNamedWhileItIsStillTakingOverIsAskedAgain() throws Exception {
        try (FakeScheduler newLeader = FakeScheduler.start()) {
            newLeader.nextFailures.add(electionUnderWay()); // it published its address but does not serve yet
            standby.actAsStandbyOf(newLeader.address());

            try (SchedulerClient client = new SchedulerClient(
                    List.of(ServerAddress.parse(newLeader.address()), ServerAddress.parse(standby.address())),
                    a -> NettyChannelBuilder.forAddress(a.host(), a.port()).usePlaintext().build(), Duration.ofSeconds(5))) {
                client.call(Duration.ofSeconds(5), this::listNodes);
            }

            assertThat(newLeader.requestsOf(ListNodesRequest.class)).hasSize(2);
        }
    }

    @Test
    void givesUpOnceItsPatienceIsSpent() {
        standby.actAsStandbyOf(deadLeader);
        long start = System.nanoTime();

        try (SchedulerClient client = client(Duration.ofMillis(600))) {
            assertThatThrownBy(() -> client.call(Duration.ofSeconds(5), this::listNodes))
                    .isInstanceOf(CliFailure.class)
                    .hasMessageContaining("the leader " + deadLeader + " does not answer");
        }

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(300), Duration.ofSeconds(3));
        assertThat(standby.requestsOf(ListNodesRequest.class).size()).isGreaterThan(2);
    }

    @Test
    void aZooKeeperOutageIsReportedAtOnce() {
        standby.failWith(FargetException.unavailable("ZooKeeper unavailable: no connection to 127.0.0.1:2181"));
        long start = System.nanoTime();

        try (SchedulerClient client = client(Duration.ofSeconds(15))) {
            assertThatThrownBy(() -> client.call(Duration.ofSeconds(5), this::listNodes))
                    .isInstanceOf(CliFailure.class)
                    .hasMessage("ZooKeeper unavailable: no connection to 127.0.0.1:2181");
        }

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(standby.requestsOf(ListNodesRequest.class)).hasSize(1);
    }

    @Test
    void replicasThatAreAllDownAreReportedAtOnce() throws Exception {
        String alsoDown = "127.0.0.1:" + freePort();

        try (SchedulerClient client = new SchedulerClient(List.of(ServerAddress.parse(deadLeader), ServerAddress.parse(alsoDown)),
                a -> NettyChannelBuilder.forAddress(a.host(), a.port()).usePlaintext().build(), Duration.ofSeconds(15))) {
            assertThatThrownBy(() -> client.call(Duration.ofSeconds(5), this::listNodes))
                    .isInstanceOf(CliFailure.class)
                    .hasMessage("cannot reach scheduler at " + deadLeader + ", " + alsoDown + " (is `farget dev` running?)");
        }
    }

    private SchedulerClient client(Duration patience) {
        return new SchedulerClient(List.of(ServerAddress.parse(deadLeader), ServerAddress.parse(standby.address())),
                a -> NettyChannelBuilder.forAddress(a.host(), a.port()).usePlaintext().build(), patience);
    }

    private static StatusRuntimeException notLeader(String leader) {
        return GrpcErrors.toStatus(new NotLeaderException(leader));
    }

    /** What a standby answers while no replica leads: NOT_LEADER without a leader, and a RetryInfo. */
    private static StatusRuntimeException electionUnderWay() {
        StatusRuntimeException plain = GrpcErrors.toStatus(new NotLeaderException(null));
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(plain.getStatus().getCode().value())
                .setMessage(plain.getStatus().getDescription())
                .addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(Durations.fromMillis(100)).build()))
                .build());
    }

    private ListNodesResponse listNodes(Stubs stubs) {
        return stubs.nodes().listNodes(ListNodesRequest.getDefaultInstance());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
