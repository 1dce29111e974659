package io.farget.scheduler.metering;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus counters of what pods used and what they are billed, read from the leader's ledger
 * when scraped (a standby reports zeros: only the leader holds the ledger). Totals are computed
 * once per scrape, not once per counter.
 */
public final class MeteringMetrics {
    private static final Duration FRESH_FOR = Duration.ofMillis(500);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Supplier<Optional<Metering>> metering;
    private final RateCard rates;
    private final Clock clock;
    private Totals cached = Totals.NONE;
    private Instant cachedAt = Instant.MIN;

    record Totals(double cpuSeconds, double memoryByteSeconds, double billedVcpuSeconds, double billedGbSeconds,
                  double cost, double entries, double ledgerTransactions, double ledgerOperations) {
        static final Totals NONE = new Totals(0, 0, 0, 0, 0, 0, 0, 0);
    }

    public MeteringMetrics(Supplier<Optional<Metering>> metering, RateCard rates, Clock clock) {
        this.metering = metering;
        this.rates = rates;
        this.clock = clock;
        counter("farget_usage_cpu_seconds", "CPU time pods used", Totals::cpuSeconds);
        counter("farget_usage_memory_byte_seconds", "Memory pods used, integrated over time", Totals::memoryByteSeconds);
        counter("farget_billed_vcpu_seconds", "Reserved vCPU times billed seconds", Totals::billedVcpuSeconds);
        counter("farget_billed_gb_seconds", "Reserved GiB times billed seconds", Totals::billedGbSeconds);
        counter("farget_billed_cost", "Cost of the billed amounts at the rate card (" + rates.currency() + ")", Totals::cost);
        counter("farget_ledger_zk_transactions", "ZooKeeper multi-ops the ledger wrote in this term", Totals::ledgerTransactions);
        counter("farget_ledger_zk_writes", "ZooKeeper node writes the ledger made in this term", Totals::ledgerOperations);
        Gauge.builder("farget_ledger_entries", this, m -> m.totals().entries())
                .description("Pod attempts in the usage ledger").register(registry);
    }

    private void counter(String name, String description, ToDoubleFunction<Totals> value) {
        FunctionCounter.builder(name, this, m -> value.applyAsDouble(m.totals()))
                .description(description).register(registry); // units are in the names, as Prometheus likes
    }

    /** The metrics in Prometheus' text format. */
    public String scrape() {
        return registry.scrape();
    }

    private synchronized Totals totals() {
        Instant now = clock.instant();
        if (Duration.between(cachedAt, now).compareTo(FRESH_FOR) < 0) {
            return cached;
        }
        cached = metering.get().map(m -> compute(m, now)).orElse(Totals.NONE);
        cachedAt = now;
        return cached;
    }

    private Totals compute(Metering m, Instant now) {
        var all = m.ledger().entries();
        var records = new UsageQuery(rates, now, null, null).records(all, UsageQuery.Grouping.POD);
        double cpu = 0;
        double memory = 0;
        BigDecimal vcpu = BigDecimal.ZERO;
        BigDecimal gb = BigDecimal.ZERO;
        BigDecimal cost = BigDecimal.ZERO;
        for (var r : records) {
            cpu += r.getUsage().getCpuNanos() / 1e9;
            memory += r.getUsage().getMemoryByteSeconds();
            vcpu = vcpu.add(new BigDecimal(r.getBilledVcpuSeconds()));
            gb = gb.add(new BigDecimal(r.getBilledGbSeconds()));
            cost = cost.add(new BigDecimal(r.getCost()));
        }
        return new Totals(cpu, memory, vcpu.doubleValue(), gb.doubleValue(), cost.doubleValue(), all.size(),
                m.store().transactions(), m.store().operations());
    }
}
