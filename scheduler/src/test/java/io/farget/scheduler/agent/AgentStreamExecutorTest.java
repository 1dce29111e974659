package io.farget.scheduler.agent;

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

class AgentStreamExecutorTest {
    private final AtomicBoolean leads = new AtomicBoolean(true);
    private final AgentStreamExecutor executors = new AgentStreamExecutor(leads::get);

    @Test
    void aLeadersAgentStreamsRunOnTheTransportThread() {
        assertThat(executors.getExecutor(callOf(AgentServiceGrpc.getConnectMethod()), new Metadata()))
                .isSameAs(MoreExecutors.directExecutor());
    }

    @Test
    void clientCallsKeepGrpcsExecutorForTheyMayWaitOnZooKeeper() {
        assertThat(executors.getExecutor(callOf(PodServiceGrpc.getCreatePodMethod()), new Metadata())).isNull();
    }

    @Test
    void aStandbyTurnsAgentsAwayOnGrpcsExecutorForItReadsTheLeaderFromZooKeeper() {
        leads.set(false);
        assertThat(executors.getExecutor(callOf(AgentServiceGrpc.getConnectMethod()), new Metadata())).isNull();
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
