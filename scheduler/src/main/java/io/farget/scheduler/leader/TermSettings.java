package io.farget.scheduler.leader;

import io.farget.scheduler.metering.MeteringSettings;
import java.time.Clock;
import java.time.Duration;

/** What a leadership term needs to know from the configuration. */
public record TermSettings(Clock clock, Duration heartbeatInterval, Duration nodeNotReadyAfter, Duration usageInterval,
                           MeteringSettings metering, FailureSettings failures, Duration finishedPodRetention) {
    /** How long finished pods stay readable before the leader removes them; like ECS, which shows stopped tasks for an hour. */
    public static final Duration DEFAULT_FINISHED_POD_RETENTION = Duration.ofHours(1);

    public TermSettings(Clock clock, Duration heartbeatInterval, Duration nodeNotReadyAfter, Duration usageInterval,
                        MeteringSettings metering, FailureSettings failures) {
        this(clock, heartbeatInterval, nodeNotReadyAfter, usageInterval, metering, failures, DEFAULT_FINISHED_POD_RETENTION);
    }

    public TermSettings(Clock clock, Duration heartbeatInterval, Duration nodeNotReadyAfter, Duration usageInterval,
                        MeteringSettings metering) {
        this(clock, heartbeatInterval, nodeNotReadyAfter, usageInterval, metering, FailureSettings.defaults());
    }

    public TermSettings(Clock clock, Duration heartbeatInterval, Duration nodeNotReadyAfter, Duration usageInterval) {
        this(clock, heartbeatInterval, nodeNotReadyAfter, usageInterval, MeteringSettings.defaults());
    }
}
