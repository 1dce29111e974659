package io.farget.scheduler.metering;

import java.time.Duration;

/**
 * How the scheduler meters and bills.
 *
 * @param rateCard      prices and the billing minimum
 * @param flushInterval how often the leader writes changed ledger shards to ZooKeeper
 * @param shards        active shard nodes: the most nodes one flush writes for running pods
 * @param metricsHost   address the Prometheus /metrics endpoint listens on
 * @param metricsPort   its port; 0 picks a free one, negative turns it off
 */
public record MeteringSettings(RateCard rateCard, Duration flushInterval, int shards, String metricsHost, int metricsPort) {
    public static final int DEFAULT_METRICS_PORT = 9470;

    public static MeteringSettings defaults() {
        return new MeteringSettings(RateCard.DEFAULT, Duration.ofSeconds(10), 64, "127.0.0.1", -1);
    }

    public MeteringSettings withRateCard(RateCard card) {
        return new MeteringSettings(card, flushInterval, shards, metricsHost, metricsPort);
    }

    public MeteringSettings withFlushInterval(Duration interval) {
        return new MeteringSettings(rateCard, interval, shards, metricsHost, metricsPort);
    }

    public MeteringSettings withShards(int count) {
        return new MeteringSettings(rateCard, flushInterval, count, metricsHost, metricsPort);
    }

    public MeteringSettings withMetrics(String host, int port) {
        return new MeteringSettings(rateCard, flushInterval, shards, host, port);
    }
}
