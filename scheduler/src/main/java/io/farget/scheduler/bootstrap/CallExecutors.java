package io.farget.scheduler.bootstrap;

import com.google.common.util.concurrent.MoreExecutors;
import io.farget.proto.v1.AgentServiceGrpc;
import io.farget.proto.v1.PodServiceGrpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * Runs on the transport's own threads the calls of a leader whose handlers never wait: agent
 * streams (their handlers queue messages for the leader loop) and pod creates (validated, then
 * queued for the loop, answered later from another thread). Handing each to gRPC's executor first
 * buys nothing and costs a thread wake-up per message, thousands a second at fleet scale.
 * Every other call (which may wait on ZooKeeper or the loop) keeps gRPC's executor, and so do all
 * calls of a standby: it turns them away naming the leader, which it reads from ZooKeeper.
 */
public final class CallExecutors implements ServerCallExecutorSupplier {
    private static final Set<String> NEVER_WAIT = Set.of(
            PodServiceGrpc.getCreatePodMethod().getFullMethodName(),
            PodServiceGrpc.getCreatePodsMethod().getFullMethodName());

    private final BooleanSupplier leads;

    /** @param leads whether this replica leads now */
    public CallExecutors(BooleanSupplier leads) {
        this.leads = leads;
    }

    @Override
    public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata metadata) {
        return neverWaits(call.getMethodDescriptor()) && leads.getAsBoolean() ? MoreExecutors.directExecutor() : null; // null: gRPC's
    }

    private static boolean neverWaits(MethodDescriptor<?, ?> method) {
        return AgentServiceGrpc.SERVICE_NAME.equals(method.getServiceName()) || NEVER_WAIT.contains(method.getFullMethodName());
    }
}
