package io.farget.scheduler.control;

import com.google.protobuf.ByteString;

/** Where relayed log bytes go (a client's GetLogs stream). */
public interface LogSink extends RelaySink {
    void chunk(ByteString data);

    void end();

}
