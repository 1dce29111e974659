package io.farget.scheduler.agent;

import com.google.common.util.concurrent.MoreExecutors;
import io.farget.proto.v1.AgentServiceGrpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * Runs a leader's agent streams on the transport's own threads. Their handlers only queue messages
 * for the leader loop ({@link AgentSession}), so handing each message to gRPC's executor first buys
 * nothing and costs a thread wake-up per message: thousands a second with thousands of agents.
 * Every other call (which may wait on ZooKeeper), and an agent stream a standby turns away (it reads
 * the leader's address from ZooKeeper), keeps gRPC's executor.
 */
public final class AgentStreamExecutor implements ServerCallExecutorSupplier {
    private final BooleanSupplier leads;

    /** @param leads whether this replica leads now (a standby's answer to an agent reads ZooKeeper) */
    public AgentStreamExecutor(BooleanSupplier leads) {
        this.leads = leads;
    }

    @Override
    public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata metadata) {
        boolean agentStream = AgentServiceGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName());
        return agentStream && leads.getAsBoolean() ? MoreExecutors.directExecutor() : null; // null: gRPC's executor
    }
}
