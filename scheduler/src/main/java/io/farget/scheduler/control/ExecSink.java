package io.farget.scheduler.control;

import com.google.protobuf.ByteString;
import io.farget.common.FargetException;

/** Where a relayed exec's output goes (a client's Exec stream). */
public interface ExecSink {
    void stdout(ByteString data);

    void stderr(ByteString data);

    void exited(int exitCode);

    void fail(FargetException why);
}
