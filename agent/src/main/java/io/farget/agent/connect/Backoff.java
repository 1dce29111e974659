package io.farget.agent.connect;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: 200 ms doubling to 1 s, each spread by up to ±20% so that a thousand agents
 * losing the same leader do not all knock on the next one in the same millisecond. Not thread-safe.
 */
public final class Backoff {
    public static final Duration INITIAL = Duration.ofMillis(200);
    /**
     * Short, because the wait after a healed partition is time a moved pod may run twice (the returning
     * agent learns of the move when it registers); a dial costs a standby or a closed port little. With
     * the 2 s dial timeout, a returning agent is back within about 2.2 s of the heal (a dial lost in the
     * cut fails within 1 s of it, since its SYN is sent again 1 s in, then one delay of at most 1.2 s);
     * at 2 s it was up to 3.4 s, and a chaos run saw a moved pod run twice for 4.25 s after a heal.
     */
    public static final Duration MAX = Duration.ofSeconds(1);
    static final double JITTER = 0.2;

    private final DoubleSupplier random;
    private long nextMillis = INITIAL.toMillis();

    /** @param random uniform in [0, 1) */
    public Backoff(DoubleSupplier random) {
        this.random = random;
    }

    /** The delay before the next attempt; grows until {@link #reset()}. */
    public Duration next() {
        long base = nextMillis;
        nextMillis = Math.min(MAX.toMillis(), nextMillis * 2);
        double spread = 1 + JITTER * (2 * random.getAsDouble() - 1);
        return Duration.ofMillis(Math.round(base * spread));
    }

    /** After a success: the next failure starts from the beginning again. */
    public void reset() {
        nextMillis = INITIAL.toMillis();
    }
}
