package io.farget.scheduler.leader;

import io.farget.common.ErrorCode;
import io.farget.common.FargetException;
import java.time.Duration;
import java.util.Locale;

/**
 * This replica has no ZooKeeper connection, so it can neither lead nor name a leader: writes are
 * refused with UNAVAILABLE at once. A connection lost only moments ago is most likely a switch to
 * another ensemble member (the one we used stopped), which heals within a connection timeout: such
 * a refusal tells clients to retry shortly; an older one tells them to give up.
 */
public final class ZooKeeperOutage extends FargetException {
    private static final long serialVersionUID = 1L;
    /** Disconnected for less than this: probably switching members, worth a retry. */
    public static final Duration SWITCH_GRACE = Duration.ofSeconds(2);

    private final Duration lasted;

    public ZooKeeperOutage(String connectString, Duration lasted) {
        super(ErrorCode.UNAVAILABLE, String.format(Locale.ROOT,
                "ZooKeeper unavailable: this scheduler has had no connection to %s for %.1f s; writes are refused until"
                        + " a ZooKeeper quorum answers again (reads show the last known state)",
                connectString, lasted.toMillis() / 1000.0));
        this.lasted = lasted;
    }

    /** Whether the connection went only moments ago, so a retry soon is likely to succeed. */
    public boolean mayHealSoon() {
        return lasted.compareTo(SWITCH_GRACE) < 0;
    }
}
