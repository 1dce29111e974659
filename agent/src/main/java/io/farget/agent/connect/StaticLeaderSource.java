package io.farget.agent.connect;

import java.util.List;

/**
 * A configured list of scheduler addresses, tried in turn. Standbys redirect to the leader (the
 * connector follows that), so any live replica in the list leads the agent home.
 */
public final class StaticLeaderSource implements LeaderSource {
    private final List<String> addresses;
    private int next;

    public StaticLeaderSource(List<String> addresses) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("at least one scheduler address is required");
        }
        this.addresses = List.copyOf(addresses);
    }

    @Override
    public synchronized String next() {
        String address = addresses.get(next);
        next = (next + 1) % addresses.size();
        return address;
    }
}
