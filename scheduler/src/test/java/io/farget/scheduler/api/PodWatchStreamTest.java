package io.farget.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodEvent;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodStatus;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodWatchStreamTest {
    /** A client stream whose room the test controls, as gRPC flow control would. */
    private static final class Client extends ServerCallStreamObserver<PodEvent> {
        final List<Pod> received = new ArrayList<>();
        Throwable error;
        boolean ready = true;
        Runnable onReady;

        void makeRoom() {
            ready = true;
            onReady.run();
        }

        @Override public boolean isReady() { return ready; }
        @Override public void setOnReadyHandler(Runnable handler) { onReady = handler; }
        @Override public void onNext(PodEvent event) { received.add(event.getPod()); }
        @Override public void onError(Throwable t) { error = t; }
        @Override public void onCompleted() {}
        @Override public boolean isCancelled() { return false; }
        @Override public void setOnCancelHandler(Runnable handler) {}
        @Override public void setCompression(String compression) {}
        @Override public void disableAutoInboundFlowControl() {}
        @Override public void request(int count) {}
        @Override public void setMessageCompression(boolean enable) {}
    }

    private static Pod pod(String id, PodPhase phase) {
        return Pod.newBuilder().setId(id).setStatus(PodStatus.newBuilder().setPhase(phase)).build();
    }

    @Test
    void aReadyClientGetsEveryChangeInOrder() {
        Client client = new Client();
        PodWatchStream watch = new PodWatchStream(client, "", Runnable::run);

        watch.changed(pod("a", PodPhase.POD_PHASE_PENDING));
        watch.changed(pod("b", PodPhase.POD_PHASE_PENDING));
        watch.changed(pod("a", PodPhase.POD_PHASE_RUNNING));

        assertThat(client.received).extracting(Pod::getId).containsExactly("a", "b", "a");
        assertThat(client.received.get(2).getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_RUNNING);
    }

    @Test
    void aClientWithoutRoomHoldsOneNewestVersionPerPodUntilItHasRoom() {
        Client client = new Client();
        client.ready = false;
        PodWatchStream watch = new PodWatchStream(client, "", Runnable::run);

        for (int i = 0; i < 1000; i++) {
            watch.changed(pod("a", i % 2 == 0 ? PodPhase.POD_PHASE_PENDING : PodPhase.POD_PHASE_RUNNING));
            watch.changed(pod("b", PodPhase.POD_PHASE_SCHEDULED));
        }
        assertThat(client.received).isEmpty();

        client.makeRoom();
        assertThat(client.received).extracting(Pod::getId).containsExactly("a", "b");
        assertThat(client.received.get(0).getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_RUNNING);
    }

    @Test
    void onlyTheWantedPodIsSent() {
        Client client = new Client();
        PodWatchStream watch = new PodWatchStream(client, "b", Runnable::run);

        watch.changed(pod("a", PodPhase.POD_PHASE_PENDING));
        watch.changed(pod("b", PodPhase.POD_PHASE_PENDING));

        assertThat(client.received).extracting(Pod::getId).containsExactly("b");
    }

    @Test
    void theEndOfLeadershipEndsTheStreamAfterWhatWasQueued() {
        Client client = new Client();
        client.ready = false;
        PodWatchStream watch = new PodWatchStream(client, "", Runnable::run);
        watch.changed(pod("a", PodPhase.POD_PHASE_RUNNING));
        watch.closed();
        assertThat(client.error).isNull();

        client.makeRoom();
        watch.changed(pod("late", PodPhase.POD_PHASE_RUNNING)); // after the end: never sent

        assertThat(client.received).extracting(Pod::getId).containsExactly("a");
        assertThat(Status.fromThrowable(client.error).getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION); // not the leader: the client watches again
    }
}
