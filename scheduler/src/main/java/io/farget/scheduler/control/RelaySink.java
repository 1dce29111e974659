package io.farget.scheduler.control;

import io.farget.common.FargetException;

/** The client end of something relayed from an agent (log bytes, an exec's output): it can be failed. */
public interface RelaySink {
    void fail(FargetException why);
}
