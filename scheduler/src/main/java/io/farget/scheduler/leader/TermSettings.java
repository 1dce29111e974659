package io.farget.scheduler.leader;

import io.farget.scheduler.metering.MeteringSettings;
import java.time.Clock;
import java.time.Duration;

/** What a leadership term needs to know from the configuration. */
public record TermSettings(Clock clock, Duration heartbeatInterval, Duration nodeNotReadyAfter, Duration usageInterval,
                           MeteringSettings metering, FailureSettings failures) {

    public TermSettings(Clock clock, Duration heartbeatInterval, Duration nodeNotReadyAfter, Duration usageInterval,
                        MeteringSettings metering) {
        this(clock, heartbeatInterval, nodeNotReadyAfter, usageInterval, metering, FailureSettings.defaults());
    }

    public TermSettings(Clock clock, Duration heartbeatInterval, Duration nodeNotReadyAfter, Duration usageInterval) {
        this(clock, heartbeatInterval, nodeNotReadyAfter, usageInterval, MeteringSettings.defaults());
    }
}
