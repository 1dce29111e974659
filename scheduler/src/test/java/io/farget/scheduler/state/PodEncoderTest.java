package io.farget.scheduler.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.DesiredState;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.PodStatus;
import io.farget.proto.v1.PodUsage;
import org.junit.jupiter.api.Test;

class PodEncoderTest {
    private final PodEncoder encoder = new PodEncoder();

    private static Pod pod(PodPhase phase) {
        PodSpec spec = PodSpec.newBuilder().setName("web")
                .addContainers(ContainerSpec.newBuilder().setName("app").setImage("nginx:1").putEnv("A", "1").putEnv("B", "2"))
                .putLabels("team", "blue").putLabels("tier", "front")
                .build();
        return Pod.newBuilder().setId("p1").setSpec(spec).setRequestId("r-1").setDesired(DesiredState.DESIRED_STATE_KILL)
                .setStatus(PodStatus.newBuilder().setPhase(phase).setNodeId("n1").setAttempt(2)
                        .setCreatedAt(Timestamp.newBuilder().setSeconds(1_700_000_000).setNanos(5)))
                .setUsage(PodUsage.newBuilder().setCpuNanos(250_000_000).setMemoryBytes(1 << 20))
                .build();
    }

    @Test
    void theBytesAreExactlyProtobufsOwn() {
        Pod running = pod(PodPhase.POD_PHASE_RUNNING);
        assertThat(encoder.encode(running)).isEqualTo(running.toByteArray());

        Pod bare = Pod.newBuilder().setId("p2").build(); // no spec, status, usage nor request id
        assertThat(encoder.encode(bare)).isEqualTo(bare.toByteArray());
        assertThat(encoder.encode(Pod.getDefaultInstance())).isEqualTo(Pod.getDefaultInstance().toByteArray());
    }

    @Test
    void aStatusChangeReusesTheSpecBytesAndStillEncodesTheNewStatus() {
        Pod running = pod(PodPhase.POD_PHASE_RUNNING);
        encoder.encode(running);
        Pod later = running.toBuilder()
                .setStatus(running.getStatus().toBuilder().setPhase(PodPhase.POD_PHASE_SCHEDULED).setReason("pulling")).build();
        assertThat(later.getSpec()).isSameAs(running.getSpec());

        assertThat(encoder.encode(later)).isEqualTo(later.toByteArray());
        assertThat(encoder.cachedSpecs()).isEqualTo(1);
    }

    @Test
    void aChangedSpecIsEncodedAgain() throws Exception {
        Pod running = pod(PodPhase.POD_PHASE_RUNNING);
        encoder.encode(running);
        Pod renamed = running.toBuilder().setSpec(running.getSpec().toBuilder().setName("api")).build();

        assertThat(Pod.parseFrom(encoder.encode(renamed)).getSpec().getName()).isEqualTo("api");
    }

    @Test
    void aFinishedPodOrOneNotStoredIsNoLongerKept() {
        encoder.encode(pod(PodPhase.POD_PHASE_RUNNING));
        Pod done = pod(PodPhase.POD_PHASE_SUCCEEDED);
        assertThat(encoder.encode(done)).isEqualTo(done.toByteArray());
        assertThat(encoder.cachedSpecs()).isZero();

        encoder.encode(pod(PodPhase.POD_PHASE_PENDING));
        encoder.forget("p1");
        assertThat(encoder.cachedSpecs()).isZero();
    }
}
