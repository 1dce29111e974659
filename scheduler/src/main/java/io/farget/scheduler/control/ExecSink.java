package io.farget.scheduler.control;

import com.google.protobuf.ByteString;

/** Where a relayed exec's output goes (a client's Exec stream). */
public interface ExecSink extends RelaySink {
    void stdout(ByteString data);

    void stderr(ByteString data);

    void exited(int exitCode);

}
