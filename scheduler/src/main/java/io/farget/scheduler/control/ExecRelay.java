package io.farget.scheduler.control;

import com.google.protobuf.ByteString;
import io.farget.common.ErrorCode;
import io.farget.common.FargetException;
import io.farget.proto.v1.ExecExit;
import io.farget.proto.v1.ExecInput;
import io.farget.proto.v1.ExecOutput;
import io.farget.proto.v1.ExecStart;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.SchedulerMessage;
import io.farget.proto.v1.TerminalSize;
import io.farget.scheduler.node.NodeConnections;
import io.farget.scheduler.state.ClusterState;
import java.util.UUID;

/**
 * Relays an exec between a client and the agent of the pod's node, as {@link LogRelay} does logs:
 * ExecStart and stdin go down the node's stream, output and the exit come back to the client.
 * Thread-safe; no pod state is touched.
 */
public final class ExecRelay {
    private final ClusterState state;
    private final NodeConnections connections;
    private final OpenRelays<ExecSink> open = new OpenRelays<>();

    public ExecRelay(ClusterState state, NodeConnections connections) {
        this.state = state;
        this.connections = connections;
    }

    /**
     * Starts the command; returns the exec id that stdin and cancels name.
     *
     * @throws FargetException NOT_FOUND for an unknown pod, FAILED_PRECONDITION for a pod not running,
     *                         INVALID_ARGUMENT for an unknown container or no command, UNAVAILABLE when its node is not connected
     */
    public String open(ExecStart start, ExecSink sink) {
        Pod pod = state.pod(start.getPodId()).orElseThrow(() -> FargetException.notFound("pod " + start.getPodId()));
        if (pod.getStatus().getPhase() != PodPhase.POD_PHASE_RUNNING) {
            throw new FargetException(ErrorCode.FAILED_PRECONDITION, "pod " + pod.getId() + " is not running");
        }
        if (start.getCommandCount() == 0) {
            throw FargetException.invalid("command", "exec needs a command");
        }
        String name = start.getContainer().isEmpty() ? pod.getSpec().getContainers(0).getName() : start.getContainer();
        if (pod.getSpec().getContainersList().stream().noneMatch(c -> c.getName().equals(name))) {
            throw FargetException.invalid("container", "pod " + pod.getId() + " has no container '" + name + "'");
        }
        String nodeId = pod.getStatus().getNodeId();
        String execId = UUID.randomUUID().toString();
        open.put(execId, nodeId, sink);
        boolean sent = connections.send(nodeId, SchedulerMessage.newBuilder()
                .setExecStart(start.toBuilder().setExecId(execId).setContainer(name)));
        if (!sent) {
            open.remove(execId);
            throw FargetException.unavailable("node " + nodeId + " of pod " + pod.getId() + " is not connected");
        }
        return execId;
    }

    public void stdin(String execId, ByteString data, boolean eof) {
        OpenRelays.Entry<ExecSink> o = open.get(execId);
        if (o != null) {
            connections.send(o.nodeId(), SchedulerMessage.newBuilder()
                    .setExecInput(ExecInput.newBuilder().setExecId(execId).setData(data).setEof(eof)));
        }
    }

    /** The client's terminal changed size: the agent resizes the command's terminal. */
    public void resize(String execId, TerminalSize size) {
        OpenRelays.Entry<ExecSink> o = open.get(execId);
        if (o != null) {
            connections.send(o.nodeId(), SchedulerMessage.newBuilder()
                    .setExecInput(ExecInput.newBuilder().setExecId(execId).setResize(size)));
        }
    }

    /** The client went away: the agent stops the command. */
    public void cancel(String execId) {
        OpenRelays.Entry<ExecSink> o = open.remove(execId);
        if (o != null) {
            connections.send(o.nodeId(), SchedulerMessage.newBuilder()
                    .setExecInput(ExecInput.newBuilder().setExecId(execId).setCancel(true)));
        }
    }

    public void output(String nodeId, ExecOutput output) {
        OpenRelays.Entry<ExecSink> o = open.get(output.getExecId());
        if (o == null || !o.nodeId().equals(nodeId)) {
            return;
        }
        if (!output.getStdout().isEmpty()) {
            o.sink().stdout(output.getStdout());
        }
        if (!output.getStderr().isEmpty()) {
            o.sink().stderr(output.getStderr());
        }
    }

    public void exited(String nodeId, ExecExit exit) {
        OpenRelays.Entry<ExecSink> o = open.get(exit.getExecId());
        if (o == null || !o.nodeId().equals(nodeId)) {
            return;
        }
        open.remove(exit.getExecId());
        if (exit.getError().isEmpty()) {
            o.sink().exited(exit.getExitCode());
        } else {
            o.sink().fail(new FargetException(ErrorCode.FAILED_PRECONDITION, exit.getError()));
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
