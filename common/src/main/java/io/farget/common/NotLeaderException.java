package io.farget.common;

/** Raised by a standby scheduler for calls only the leader may serve; names the leader if known. */
public final class NotLeaderException extends FargetException {
    private static final long serialVersionUID = 1L;

    private final String leaderAddress;

    public NotLeaderException(String leaderAddress) {
        super(ErrorCode.NOT_LEADER, leaderAddress == null
                ? "not leader; no leader is elected yet"
                : "not leader; leader is " + leaderAddress);
        this.leaderAddress = leaderAddress;
    }

    /** HOST:PORT of the current leader, or null when none is known. */
    public String leaderAddress() {
        return leaderAddress;
    }
}
