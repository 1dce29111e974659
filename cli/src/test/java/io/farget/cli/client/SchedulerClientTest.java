package io.farget.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.farget.cli.CliFailure;
import io.farget.cli.support.FakeScheduler;
import io.farget.common.FargetException;
import io.farget.proto.v1.ListNodesRequest;
import io.farget.proto.v1.ListNodesResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchedulerClientTest {
    private FakeScheduler scheduler;

    @BeforeEach
    void start() throws Exception {
        scheduler = FakeScheduler.start();
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.close();
    }

    @Test
    void aSchedulerThatDoesNotAnswerRunsIntoTheDeadline() {
        scheduler.silent = true;

        try (SchedulerClient client = new SchedulerClient(List.of(ServerAddress.parse(scheduler.address())))) {
            assertThatThrownBy(() -> client.call(Duration.ofMillis(300), this::listNodes))
                    .isInstanceOf(CliFailure.class)
                    .hasMessage("scheduler at " + scheduler.address() + " did not answer within 300 ms");
        }
    }

    @Test
    void aSchedulerThatSaysItIsUnavailableIsQuotedNotCalledUnreachable() {
        scheduler.failWith(FargetException.unavailable("ZooKeeper is unreachable"));

        try (SchedulerClient client = new SchedulerClient(List.of(ServerAddress.parse(scheduler.address())))) {
            assertThatThrownBy(() -> client.call(Duration.ofSeconds(5), this::listNodes))
                    .isInstanceOf(CliFailure.class)
                    .hasMessage("ZooKeeper is unreachable");
        }
    }

    @Test
    void reusesOneChannelPerServerAcrossCalls() {
        try (SchedulerClient client = new SchedulerClient(List.of(ServerAddress.parse(scheduler.address())))) {
            client.call(Duration.ofSeconds(5), this::listNodes);
            client.call(Duration.ofSeconds(5), this::listNodes);
        }

        assertThat(scheduler.requestsOf(ListNodesRequest.class)).hasSize(2);
    }

    private ListNodesResponse listNodes(Stubs stubs) {
        return stubs.nodes().listNodes(ListNodesRequest.getDefaultInstance());
    }
}
