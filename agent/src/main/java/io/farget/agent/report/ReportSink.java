package io.farget.agent.report;

import io.farget.proto.v1.Heartbeat;
import io.farget.proto.v1.UsageReport;

/** Where periodic reports go. Must not block. */
public interface ReportSink {
    void heartbeat(Heartbeat heartbeat);

    void usage(UsageReport report);
}
