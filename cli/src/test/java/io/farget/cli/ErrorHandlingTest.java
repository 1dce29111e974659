package io.farget.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.cli.support.Cli;
import io.farget.cli.support.FakeScheduler;
import io.farget.common.FargetException;
import io.farget.proto.v1.CreatePodRequest;
import io.farget.proto.v1.CreatePodsRequest;
import io.farget.proto.v1.DeletePodRequest;
import io.farget.proto.v1.GetPodRequest;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ErrorHandlingTest {
    private FakeScheduler a;
    private FakeScheduler b;

    @BeforeEach
    void start() throws Exception {
        a = FakeScheduler.start();
        b = FakeScheduler.start();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            a.close();
        } finally {
            b.close();
        }
    }

    @Test
    void anInvalidSpecIsOneLineOnStderrAndNothingOnStdout() {
        a.failWith(FargetException.invalid("containers[0].resources.cpu", "must be greater than 0"));

        Cli.Result result = Cli.against(a.address(), "run", "-o", "json", "--cpu", "0", "--", "true");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEqualTo("error: containers[0].resources.cpu: must be greater than 0\n");
    }

    @Test
    void anUnknownPodIsAFailure() {
        Cli.Result result = Cli.against(a.address(), "get", "nosuchpod123");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).isEqualTo("error: pod nosuchpod123 not found\n");
    }

    @Test
    void anUnreachableSchedulerIsOneLineNamingIt() throws IOException {
        String closed = "127.0.0.1:" + freePort();

        Cli.Result result = Cli.against(closed, "ps");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEqualTo("error: cannot reach scheduler at " + closed + " (is `farget dev` running?)\n");
    }

    @Test
    void movesOnToTheNextReplicaWhenOneIsUnreachable() throws IOException {
        String closed = "127.0.0.1:" + freePort();

        Cli.Result result = Cli.run(java.util.Map.of(), "run", "--server", closed + "," + b.address(), "--", "true");

        assertThat(result.exitCode()).isZero();
        assertThat(b.requestsOf(CreatePodRequest.class)).hasSize(1);
    }

    @Test
    void followsTheLeaderHintWithTheSameRequestId() {
        a.actAsStandbyOf(b.address());

        Cli.Result result = Cli.against(a.address(), "run", "--", "true");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo(FakeScheduler.POD_ID + "\n");
        String firstTry = a.requestsOf(CreatePodRequest.class).get(0).getRequestId();
        assertThat(b.requestsOf(CreatePodRequest.class)).singleElement()
                .satisfies(retry -> assertThat(retry.getRequestId()).isEqualTo(firstTry).isNotEmpty());
    }

    @Test
    void aBatchFollowsTheLeaderHintWithTheSameRequestIdForEveryPod() {
        a.actAsStandbyOf(b.address());

        Cli.Result result = Cli.against(a.address(), "run", "--count", "3", "--", "true");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout().lines()).hasSize(3);
        CreatePodsRequest firstTry = a.requestsOf(CreatePodsRequest.class).get(0);
        assertThat(b.requestsOf(CreatePodsRequest.class)).singleElement().isEqualTo(firstTry);
    }

    @Test
    void killRetriesCarryTheSameRequestIdToo() {
        Cli.against(b.address(), "run", "--", "true");
        a.actAsStandbyOf(b.address());

        Cli.Result result = Cli.against(a.address(), "kill", FakeScheduler.POD_ID);

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo(FakeScheduler.POD_ID + "\n");
        assertThat(b.requestsOf(DeletePodRequest.class).get(0).getRequestId())
                .isEqualTo(a.requestsOf(DeletePodRequest.class).get(0).getRequestId());
    }

    @Test
    void followsTheLeaderOnlyOnce() {
        a.actAsStandbyOf(b.address());
        b.actAsStandbyOf(a.address());

        Cli.Result result = Cli.against(a.address(), "get", FakeScheduler.POD_ID);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).isEqualTo("error: not leader; leader is " + a.address() + "\n");
        assertThat(a.requestsOf(GetPodRequest.class)).hasSize(1);
        assertThat(b.requestsOf(GetPodRequest.class)).hasSize(1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
