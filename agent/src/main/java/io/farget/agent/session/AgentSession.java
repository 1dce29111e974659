package io.farget.agent.session;

import io.farget.agent.capacity.HostFacts;
import io.farget.agent.connect.AgentStream;
import io.farget.agent.connect.StreamHandler;
import io.farget.agent.logs.LogService;
import io.farget.agent.logs.LogSink;
import io.farget.agent.report.ReportLoop;
import io.farget.agent.report.ReportSink;
import io.farget.agent.state.AgentCheckpoint;
import io.farget.agent.task.PodEvents;
import io.farget.agent.task.PodSupervisor;
import io.farget.proto.v1.AgentMessage;
import io.farget.proto.v1.Heartbeat;
import io.farget.proto.v1.LogData;
import io.farget.proto.v1.PodReport;
import io.farget.proto.v1.PodUsageSample;
import io.farget.proto.v1.Register;
import io.farget.proto.v1.Registered;
import io.farget.proto.v1.SchedulerMessage;
import io.farget.proto.v1.UsageReport;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of the conversation with the leader: registers on every new stream, fences
 * commands by epoch, hands each command to the part that does it, and routes everything the
 * agent says to the current stream. Between streams, reports are dropped on purpose: the next
 * Register carries every pod's latest state.
 */
public final class AgentSession implements StreamHandler, PodEvents, ReportSink {
    private static final Logger log = LoggerFactory.getLogger(AgentSession.class);
    static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(2);
    static final Duration DEFAULT_USAGE = Duration.ofSeconds(10);

    private final String nodeId;
    private final HostFacts host;
    private final String version;
    private final EpochFence fence;
    private final ScheduledExecutorService timer;
    private final Executor workers;
    private final Clock clock;
    private PodSupervisor pods;
    private LogService logs;

    // Guarded by this.
    private AgentStream stream;
    private ReportLoop reports;

    public AgentSession(String nodeId, HostFacts host, String version, AgentCheckpoint checkpoint,
                        ScheduledExecutorService timer, Executor workers, Clock clock) {
        this.nodeId = nodeId;
        this.host = host;
        this.version = version;
        this.fence = new EpochFence(checkpoint);
        this.timer = timer;
        this.workers = workers;
        this.clock = clock;
    }

    /** Completes the wiring: the supervisor and log service need this session as their event sink first. */
    public void serve(PodSupervisor pods, LogService logs) {
        this.pods = pods;
        this.logs = logs;
    }

    @Override
    public void opened(AgentStream newStream) {
        synchronized (this) {
            stopReports();
            stream = newStream;
        }
        Register register = Register.newBuilder()
                .setNodeId(nodeId)
                .setHostname(host.hostname())
                .setArch(host.arch())
                .setCapacity(host.capacity())
                .setOs(host.os())
                .setAgentVersion(version)
                .setHighestEpochSeen(fence.highest())
                .addAllPods(pods.currentReports())
                .build();
        newStream.register(AgentMessage.newBuilder().setRegister(register));
    }

    @Override
    public void received(SchedulerMessage message) {
        if (!fence.admit(message.getEpoch())) {
            log.info("Dropped {} from epoch {}: a newer leader (epoch {}) is in charge",
                    message.getBodyCase(), message.getEpoch(), fence.highest());
            return;
        }
        switch (message.getBodyCase()) {
            case REGISTERED -> registered(message.getRegistered());
            case LAUNCH -> pods.launch(message.getLaunch());
            case KILL -> pods.kill(message.getKill());
            case LOG_REQUEST -> logs.serve(message.getLogRequest(), logSink());
            case LOG_CANCEL -> logs.cancel(message.getLogCancel().getRequestId());
            case BODY_NOT_SET -> log.debug("Ignoring an empty message from the leader");
        }
    }

    private void registered(Registered registered) {
        Duration heartbeat = orDefault(registered.getHeartbeatIntervalMillis(), DEFAULT_HEARTBEAT);
        Duration usage = orDefault(registered.getUsageIntervalMillis(), DEFAULT_USAGE);
        log.info("Registered as {} (heartbeat every {} ms, usage every {} ms)", nodeId, heartbeat.toMillis(), usage.toMillis());
        synchronized (this) {
            stopReports();
            reports = ReportLoop.start(timer, workers, pods, clock, heartbeat, usage, this);
        }
    }

    private static Duration orDefault(long millis, Duration fallback) {
        return millis > 0 ? Duration.ofMillis(millis) : fallback;
    }

    @Override
    public void closed(AgentStream oldStream) {
        synchronized (this) {
            if (stream != oldStream) {
                return; // a newer stream is already open
            }
            stream = null;
            stopReports();
        }
        logs.cancelAll();
    }

    /** Stops everything periodic; the connector is closed separately. */
    public synchronized void close() {
        stopReports();
        stream = null;
    }

    private void stopReports() {
        if (reports != null) {
            reports.close();
            reports = null;
        }
    }

    private synchronized AgentStream current() {
        return stream;
    }

    private void send(AgentMessage.Builder message) {
        AgentStream s = current();
        if (s != null) {
            s.send(message);
        }
    }

    @Override
    public void report(PodReport report) {
        send(AgentMessage.newBuilder().setPodReport(report));
    }

    @Override
    public void usage(PodUsageSample sample) {
        send(AgentMessage.newBuilder().setUsage(UsageReport.newBuilder().addSamples(sample)));
    }

    @Override
    public void heartbeat(Heartbeat heartbeat) {
        send(AgentMessage.newBuilder().setHeartbeat(heartbeat));
    }

    @Override
    public void usage(UsageReport report) {
        send(AgentMessage.newBuilder().setUsage(report));
    }

    /** Log chunks go to the stream the request came on, and stop with it. */
    private LogSink logSink() {
        AgentStream requestStream = current();
        return new LogSink() {
            @Override
            public boolean isReady() {
                return requestStream != null && requestStream.isReady();
            }

            @Override
            public boolean isClosed() {
                return requestStream == null || requestStream.isClosed();
            }

            @Override
            public void send(LogData data) {
                if (requestStream != null) {
                    requestStream.send(AgentMessage.newBuilder().setLogData(data));
                }
            }
        };
    }
}
