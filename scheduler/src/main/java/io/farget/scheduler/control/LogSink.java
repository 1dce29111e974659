package io.farget.scheduler.control;

import com.google.protobuf.ByteString;
import io.farget.common.FargetException;

/** Where relayed log bytes go (a client's GetLogs stream). */
public interface LogSink {
    void chunk(ByteString data);

    void end();

    void fail(FargetException why);
}
