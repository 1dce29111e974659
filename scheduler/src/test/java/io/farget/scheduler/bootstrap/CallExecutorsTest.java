package io.farget.scheduler.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.MoreExecutors;
import io.farget.proto.v1.AgentServiceGrpc;
import io.farget.proto.v1.PodServiceGrpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class CallExecutorsTest {
    private final AtomicBoolean leads = new AtomicBoolean(true);
    private final CallExecutors executors = new CallExecutors(leads::get);

    @Test
    void aLeadersAgentStreamsRunOnTheTransportThread() {
        assertThat(executors.getExecutor(callOf(AgentServiceGrpc.getConnectMethod()), new Metadata()))
                .isSameAs(MoreExecutors.directExecutor());
    }

    @Test
    void aLeadersCreatesRunOnTheTransportThreadForTheyOnlyQueueWork() {
        assertThat(executors.getExecutor(callOf(PodServiceGrpc.getCreatePodMethod()), new Metadata()))
                .isSameAs(MoreExecutors.directExecutor());
        assertThat(executors.getExecutor(callOf(PodServiceGrpc.getCreatePodsMethod()), new Metadata()))
                .isSameAs(MoreExecutors.directExecutor());
    }

    @Test
    void otherClientCallsKeepGrpcsExecutorForTheyMayWaitOnZooKeeperOrTheLoop() {
        assertThat(executors.getExecutor(callOf(PodServiceGrpc.getDeletePodMethod()), new Metadata())).isNull();
        assertThat(executors.getExecutor(callOf(PodServiceGrpc.getListPodsMethod()), new Metadata())).isNull();
    }

    @Test
    void aStandbyTurnsCallsAwayOnGrpcsExecutorForItReadsTheLeaderFromZooKeeper() {
        leads.set(false);
        assertThat(executors.getExecutor(callOf(AgentServiceGrpc.getConnectMethod()), new Metadata())).isNull();
        assertThat(executors.getExecutor(callOf(PodServiceGrpc.getCreatePodMethod()), new Metadata())).isNull();
    }

    private static <Q, R> ServerCall<Q, R> callOf(MethodDescriptor<Q, R> method) {
        return new ServerCall<>() {
            @Override
            public void request(int numMessages) {}

            @Override
            public void sendHeaders(Metadata headers) {}

            @Override
            public void sendMessage(R message) {}

            @Override
            public void close(Status status, Metadata trailers) {}

            @Override
            public boolean isCancelled() {
                return false;
            }

            @Override
            public MethodDescriptor<Q, R> getMethodDescriptor() {
                return method;
            }
        };
    }
}
