package io.farget.scheduler.bootstrap;

import java.time.Duration;
import java.util.Optional;
import org.apache.curator.RetryPolicy;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * How the scheduler's ZooKeeper client is tuned, all derived from the session timeout so that the
 * parts agree: a dead leader's session expires after the timeout; a live replica rides out a
 * switch to another ensemble member (its connection timeout); and one operation never retries for
 * longer than a client would wait for its answer.
 */
record ZkSessionSettings(int sessionTimeoutMillis, int connectionTimeoutMillis) {
    /** Connection timeout as a share of the session timeout, within these bounds. */
    private static final int MIN_CONNECTION_TIMEOUT_MILLIS = 1_000;
    private static final int MAX_CONNECTION_TIMEOUT_MILLIS = 5_000;

    static ZkSessionSettings forSessionTimeout(Duration sessionTimeout) {
        int session = Math.toIntExact(sessionTimeout.toMillis());
        if (session <= 0) {
            throw new IllegalArgumentException("the ZooKeeper session timeout must be positive");
        }
        int connection = Math.max(MIN_CONNECTION_TIMEOUT_MILLIS, Math.min(MAX_CONNECTION_TIMEOUT_MILLIS, session * 2 / 3));
        return new ZkSessionSettings(session, connection);
    }

    /**
     * A short retry: two more tries 100 and 200 ms apart (each waiting at most the connection
     * timeout for a connection). Longer outages are answered with UNAVAILABLE, not waited out.
     */
    RetryPolicy retryPolicy() {
        return new ExponentialBackoffRetry(100, 2, 500);
    }

    /**
     * What to tell the operator when ZooKeeper granted a different session timeout than asked for:
     * servers clamp it to [2, 20] x their tickTime, and a longer session means a slower failover.
     */
    Optional<String> negotiationWarning(int negotiatedMillis) {
        if (negotiatedMillis <= sessionTimeoutMillis) {
            return Optional.empty();
        }
        return Optional.of("ZooKeeper granted a " + negotiatedMillis + " ms session instead of the " + sessionTimeoutMillis
                + " ms asked for: its tickTime allows sessions of 2 to 20 ticks only, so a dead leader is replaced that much"
                + " later. Set tickTime=" + suggestedTickTime() + " (or minSessionTimeout=" + sessionTimeoutMillis
                + ") in the ensemble's zoo.cfg");
    }

    /** A tickTime that grants our session with expiry at most a sixth of it late: ZooKeeper expires sessions on tick boundaries. */
    int suggestedTickTime() {
        return Math.max(100, Math.min(1_000, sessionTimeoutMillis / 6 / 100 * 100));
    }
}
