package io.farget.agent.session;

import io.farget.agent.capacity.HostFacts;
import io.farget.agent.connect.AgentStream;
import io.farget.agent.connect.StreamHandler;
import io.farget.agent.exec.ExecService;
import io.farget.agent.exec.ExecSink;
import io.farget.agent.logs.LogService;
import io.farget.agent.logs.LogSink;
import io.farget.agent.report.ReportLoop;
import io.farget.agent.report.ReportSink;
import io.farget.agent.report.UsageSampler;
import io.farget.agent.state.AgentCheckpoint;
import io.farget.agent.state.UsageJournal;
import io.farget.agent.task.PodEvents;
import io.farget.agent.task.PodSupervisor;
import io.farget.proto.v1.AgentMessage;
import io.farget.proto.v1.ExecExit;
import io.farget.proto.v1.ExecOutput;
import io.farget.proto.v1.ExecStart;
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
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of the conversation with the leader: registers on every new stream, fences
 * commands by epoch, hands each command to the part that does it, and routes everything the
 * agent says to the current stream. Between streams, status reports are dropped on purpose: the
 * next Register carries every pod's latest state (and the journaled final reports of pods a
 * restarted agent no longer holds). Usage samples taken between streams go to the on-disk
 * {@link UsageJournal} and are sent once a leader accepts the agent again.
 */
public final class AgentSession implements StreamHandler, PodEvents, ReportSink {
    private static final Logger log = LoggerFactory.getLogger(AgentSession.class);
    static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(2);
    static final Duration DEFAULT_USAGE = Duration.ofSeconds(10);
    static final int JOURNAL_CHUNK = 500;

    private final String nodeId;
    private final HostFacts host;
    private final String version;
    private final EpochFence fence;
    private final ScheduledExecutorService timer;
    private final Executor workers;
    private final Clock clock;
    private final UsageJournal journal;
    private PodSupervisor pods;
    private LogService logs;
    private ExecService execs;

    // Guarded by this.
    private AgentStream stream;
    private ReportLoop reports;
    private UsageSampler sampler;

    public AgentSession(String nodeId, HostFacts host, String version, AgentCheckpoint checkpoint,
                        ScheduledExecutorService timer, Executor workers, Clock clock, UsageJournal journal) {
        this.nodeId = nodeId;
        this.host = host;
        this.version = version;
        this.fence = new EpochFence(checkpoint);
        this.timer = timer;
        this.workers = workers;
        this.clock = clock;
        this.journal = journal;
    }

    /** Completes the wiring: the supervisor and log service need this session as their event sink first. */
    public void serve(PodSupervisor pods, LogService logs) {
        this.pods = pods;
        this.logs = logs;
    }

    /** Also serves exec requests (agents with a runtime that can exec). */
    public void serve(PodSupervisor pods, LogService logs, ExecService execs) {
        serve(pods, logs);
        this.execs = execs;
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
                .putAllLabels(host.labels())
                .setGpus(host.gpus())
                .setOs(host.os())
                .setAgentVersion(version)
                .setHighestEpochSeen(fence.highest())
                .addAllPods(pods.currentReports())
                .addAllPods(journal.finalReports(podId -> pods.find(podId).isPresent()))
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
            case EXEC_START -> startExec(message.getExecStart());
            case EXEC_INPUT -> {
                if (execs != null) {
                    execs.input(message.getExecInput());
                }
            }
            case BODY_NOT_SET -> log.debug("Ignoring an empty message from the leader");
        }
    }

    private void registered(Registered registered) {
        Duration heartbeat = orDefault(registered.getHeartbeatIntervalMillis(), DEFAULT_HEARTBEAT);
        Duration usage = orDefault(registered.getUsageIntervalMillis(), DEFAULT_USAGE);
        log.info("Registered as {} (heartbeat every {} ms, usage every {} ms)", nodeId, heartbeat.toMillis(), usage.toMillis());
        synchronized (this) {
            stopReports();
            reports = ReportLoop.start(timer, pods, clock, heartbeat, this);
            if (sampler == null || !sampler.every().equals(usage)) {
                if (sampler != null) {
                    sampler.close();
                }
                sampler = UsageSampler.start(timer, workers, pods, usage, this); // keeps sampling between streams
            }
        }
        sendJournaledUsage();
    }

    /** Samples taken while no leader listened, oldest first, in messages of bounded size. */
    private void sendJournaledUsage() {
        List<PodUsageSample> pending = journal.drainPending();
        for (int from = 0; from < pending.size(); from += JOURNAL_CHUNK) {
            send(AgentMessage.newBuilder().setUsage(UsageReport.newBuilder()
                    .addAllSamples(pending.subList(from, Math.min(pending.size(), from + JOURNAL_CHUNK)))));
        }
        if (!pending.isEmpty()) {
            log.info("Sent {} usage samples kept while the leader was unreachable", pending.size());
            journal.flush();
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
        if (execs != null) {
            execs.cancelAll();
        }
    }

    /** Stops everything periodic; the connector is closed separately. */
    public synchronized void close() {
        stopReports();
        if (sampler != null) {
            sampler.close();
            sampler = null;
        }
        journal.flush();
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

    /**
     * Sends a pod report. A report taken at a pod's start or end carries the sample taken with it:
     * that sample is journaled like any other (kept to send later when no leader listens) and
     * reaches the leader inside the report, not as a message of its own.
     */
    @Override
    public void report(PodReport report) {
        AgentStream s = current();
        if (report.getUsage().getSampleSeq() > 0) {
            journal.record(List.of(PodUsageSample.newBuilder().setPodId(report.getPodId()).setAttempt(report.getAttempt())
                    .setUsage(report.getUsage()).build()), s == null);
        }
        journal.reported(report);
        journal.flushIfAtRisk(); // a final report, or a sample no leader has, must survive the agent
        if (s != null) {
            s.send(AgentMessage.newBuilder().setPodReport(report));
        }
    }

    @Override
    public void heartbeat(Heartbeat heartbeat) {
        send(AgentMessage.newBuilder().setHeartbeat(heartbeat));
    }

    /** A sampling round: the one journal write per round, which also carries the pods' start and end samples since the last. */
    @Override
    public void usage(UsageReport report) {
        AgentStream s = current();
        journal.record(report.getSamplesList(), s == null); // on disk first: no leader, or it may vanish mid-send
        journal.flush();
        if (s != null) {
            s.send(AgentMessage.newBuilder().setUsage(report));
        }
    }

    private void startExec(ExecStart start) {
        AgentStream requestStream = current();
        if (execs == null) {
            send(AgentMessage.newBuilder().setExecExit(ExecExit.newBuilder().setExecId(start.getExecId()).setExitCode(-1)
                    .setError("this agent cannot exec")));
            return;
        }
        execs.start(start, new ExecSink() {
            @Override
            public void output(ExecOutput output) {
                if (requestStream != null) {
                    requestStream.send(AgentMessage.newBuilder().setExecOutput(output));
                }
            }

            @Override
            public void exit(ExecExit exit) {
                if (requestStream != null) {
                    requestStream.send(AgentMessage.newBuilder().setExecExit(exit));
                }
            }
        });
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
