package io.farget.agent.logs;

import io.farget.proto.v1.LogData;

/** Where log chunks go. The service sends only while the sink is ready, so nothing piles up. */
public interface LogSink {
    boolean isReady();

    /** The stream is gone: the request ends without another word. */
    boolean isClosed();

    void send(LogData data);
}
