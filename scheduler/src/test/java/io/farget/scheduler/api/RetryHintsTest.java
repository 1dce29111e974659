package io.farget.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.RetryInfo;
import io.farget.common.FargetException;
import io.farget.common.GrpcErrors;
import io.farget.common.NotLeaderException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.farget.scheduler.leader.ZooKeeperOutage;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryHintsTest {
    @Test
    void noLeaderYetCarriesARetryInfoAndKeepsCodeAndMessage() throws Exception {
        NotLeaderException electing = new NotLeaderException(null);

        StatusRuntimeException marked = RetryHints.mark(electing, GrpcErrors.toStatus(electing));

        assertThat(marked.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(marked.getStatus().getDescription()).isEqualTo("not leader; no leader is elected yet");
        com.google.rpc.Status details = StatusProto.fromThrowable(marked);
        assertThat(details.getDetailsList()).hasSize(1);
        assertThat(details.getDetails(0).unpack(RetryInfo.class).getRetryDelay().getNanos()).isEqualTo(200_000_000);
    }

    @Test
    void aConnectionLostMomentsAgoIsWorthARetryButAnOutageIsNot() {
        ZooKeeperOutage switching = new ZooKeeperOutage("zk1:2181,zk2:2181", Duration.ofMillis(300));
        ZooKeeperOutage outage = new ZooKeeperOutage("zk1:2181,zk2:2181", Duration.ofSeconds(5));

        StatusRuntimeException soon = RetryHints.mark(switching, GrpcErrors.toStatus(switching));
        StatusRuntimeException down = RetryHints.mark(outage, GrpcErrors.toStatus(outage));

        assertThat(soon.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(StatusProto.fromThrowable(soon).getDetailsList()).hasSize(1);
        assertThat(down.getStatus().getDescription()).startsWith("ZooKeeper unavailable: this scheduler has had no connection to"
                + " zk1:2181,zk2:2181 for 5.0 s");
        assertThat(StatusProto.fromThrowable(down).getDetailsList()).isEmpty();
    }

    @Test
    void aRedirectAndAZooKeeperOutageCarryNone() {
        NotLeaderException redirect = new NotLeaderException("127.0.0.1:7070");
        FargetException outage = FargetException.unavailable("ZooKeeper unavailable: no connection");

        StatusRuntimeException redirected = RetryHints.mark(redirect, GrpcErrors.toStatus(redirect));
        StatusRuntimeException refused = RetryHints.mark(outage, GrpcErrors.toStatus(outage));

        assertThat(StatusProto.fromThrowable(redirected).getDetailsList()).isEmpty();
        assertThat(GrpcErrors.leaderHint(redirected)).isEqualTo("127.0.0.1:7070");
        assertThat(StatusProto.fromThrowable(refused).getDetailsList()).isEmpty();
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }
}
