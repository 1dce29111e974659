package io.farget.scheduler.control;

import io.farget.common.ErrorCode;
import io.farget.common.FargetException;
import io.farget.proto.v1.LogCancel;
import io.farget.proto.v1.LogData;
import io.farget.proto.v1.LogRequest;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.SchedulerMessage;
import io.farget.scheduler.node.NodeConnections;
import io.farget.scheduler.state.ClusterState;
import java.util.UUID;

/**
 * Relays a pod's logs from its agent to a client: a LogRequest goes down the node's stream, the
 * LogData chunks coming back go to the client until eof. Thread-safe; no pod state is touched.
 */
public final class LogRelay {
    private final ClusterState state;
    private final NodeConnections connections;
    private final OpenRelays<LogSink> open = new OpenRelays<>();

    public LogRelay(ClusterState state, NodeConnections connections) {
        this.state = state;
        this.connections = connections;
    }

    /**
     * Starts relaying; returns the request id to {@link #cancel} with.
     *
     * @throws FargetException NOT_FOUND for an unknown pod, FAILED_PRECONDITION for a pod never
     *                         placed, UNAVAILABLE when its node is not connected
     */
    public String open(String podId, String container, boolean follow, LogSink sink) {
        return open(io.farget.proto.v1.GetLogsRequest.newBuilder().setPodId(podId).setContainer(container).setFollow(follow).build(), sink);
    }

    /** As {@link #open(String, String, boolean, LogSink)}, with the request's tail and since too. */
    public String open(io.farget.proto.v1.GetLogsRequest request, LogSink sink) {
        String podId = request.getPodId();
        String container = request.getContainer();
        boolean follow = request.getFollow();
        Pod pod = state.pod(podId).orElseThrow(() -> FargetException.notFound("pod " + podId));
        String nodeId = pod.getStatus().getNodeId();
        if (nodeId.isEmpty()) {
            throw new FargetException(ErrorCode.FAILED_PRECONDITION,
                    "pod " + podId + " has not run on any node yet");
        }
        String name = container.isEmpty() ? pod.getSpec().getContainers(0).getName() : container;
        if (pod.getSpec().getContainersList().stream().noneMatch(c -> c.getName().equals(name))
                && pod.getSpec().getInitContainersList().stream().noneMatch(c -> c.getName().equals(name))) {
            throw FargetException.invalid("container", "pod " + podId + " has no container '" + name + "'");
        }
        String requestId = UUID.randomUUID().toString();
        open.put(requestId, nodeId, sink);
        LogRequest.Builder down = LogRequest.newBuilder().setRequestId(requestId).setPodId(podId).setContainer(name)
                .setFollow(follow).setTailLines(Math.max(0, request.getTailLines()));
        if (request.hasSince()) {
            down.setSince(request.getSince());
        }
        boolean sent = connections.send(nodeId, SchedulerMessage.newBuilder().setLogRequest(down));
        if (!sent) {
            open.remove(requestId);
            throw FargetException.unavailable("node " + nodeId + " of pod " + podId + " is not connected");
        }
        return requestId;
    }

    /** The client went away: tell the agent to stop sending. */
    public void cancel(String requestId) {
        OpenRelays.Entry<LogSink> o = open.remove(requestId);
        if (o != null) {
            connections.send(o.nodeId(), SchedulerMessage.newBuilder()
                    .setLogCancel(LogCancel.newBuilder().setRequestId(requestId)));
        }
    }

    public void deliver(String nodeId, LogData data) {
        OpenRelays.Entry<LogSink> o = open.get(data.getRequestId());
        if (o == null || !o.nodeId().equals(nodeId)) {
            return;
        }
        if (!data.getData().isEmpty()) {
            o.sink().chunk(data.getData());
        }
        if (data.getEof()) {
            open.remove(data.getRequestId());
            if (data.getError().isEmpty()) {
                o.sink().end();
            } else {
                o.sink().fail(FargetException.unavailable("logs unavailable: " + data.getError()));
            }
        }
    }

    /** The node's stream closed: its relays cannot finish. */
    public void nodeGone(String nodeId) {
        open.nodeGone(nodeId);
    }

    public void closeAll(FargetException why) {
        open.closeAll(why);
    }
}
