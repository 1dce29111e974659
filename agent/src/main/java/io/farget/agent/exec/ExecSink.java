package io.farget.agent.exec;

import io.farget.proto.v1.ExecExit;
import io.farget.proto.v1.ExecOutput;

/** Where an exec's output and its exit go (the stream the ExecStart came on). Must not block for long. */
public interface ExecSink {
    void output(ExecOutput output);

    void exit(ExecExit exit);
}
