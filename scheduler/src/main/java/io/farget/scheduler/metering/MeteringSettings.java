package io.farget.scheduler.metering;

import java.time.Duration;

/**
 * How the scheduler meters and bills.
 *
 * @param rateCard      prices and the billing minimum
 * @param flushInterval how often the leader writes changed ledger shards to ZooKeeper: finished
 *                      attempts at every flush
 * @param runningFlushInterval how often each running attempt's entry is written: its counters change
 *                      at every sample, and rewriting them all at every flush (16 MB at 100,000
 *                      pods) would cost ZooKeeper more than the rest of the scheduler. Nothing is lost
 *                      by waiting: agents resend cumulative counters to a new leader.
 * @param shards        active shard nodes: the most nodes one flush writes for running pods
 * @param metricsHost   address the Prometheus /metrics endpoint listens on
 * @param metricsPort   its port; 0 picks a free one, negative turns it off
 */
public record MeteringSettings(RateCard rateCard, Duration flushInterval, Duration runningFlushInterval, int shards,
                                String metricsHost, int metricsPort) {
    public static final int DEFAULT_METRICS_PORT = 9470;

    public static MeteringSettings defaults() {
        return new MeteringSettings(RateCard.DEFAULT, Duration.ofSeconds(10), Duration.ofSeconds(60), 64, "127.0.0.1", -1);
    }

    public MeteringSettings withRateCard(RateCard card) {
        return new MeteringSettings(card, flushInterval, runningFlushInterval, shards, metricsHost, metricsPort);
    }

    public MeteringSettings withFlushInterval(Duration interval) {
        return new MeteringSettings(rateCard, interval, runningFlushInterval, shards, metricsHost, metricsPort);
    }

    public MeteringSettings withRunningFlushInterval(Duration interval) {
        return new MeteringSettings(rateCard, flushInterval, interval, shards, metricsHost, metricsPort);
    }

    /** Flushes it takes to write every running attempt once: each flush writes that share of the active shards. */
    int flushRounds() {
        return (int) Math.max(1, runningFlushInterval.toMillis() / Math.max(1, flushInterval.toMillis()));
    }

    public MeteringSettings withShards(int count) {
        return new MeteringSettings(rateCard, flushInterval, runningFlushInterval, count, metricsHost, metricsPort);
    }

    public MeteringSettings withMetrics(String host, int port) {
        return new MeteringSettings(rateCard, flushInterval, runningFlushInterval, shards, host, port);
    }
}
