package io.farget.scheduler.state;

import io.farget.common.ErrorCode;
import io.farget.common.FargetException;

/** A write was refused because a newer leader has bumped the epoch: this replica must stop acting. */
public final class FencedOutException extends FargetException {
    private static final long serialVersionUID = 1L;

    public FencedOutException(long epoch) {
        super(ErrorCode.NOT_LEADER, "leadership epoch " + epoch + " is over; a newer leader has taken over");
    }
}
