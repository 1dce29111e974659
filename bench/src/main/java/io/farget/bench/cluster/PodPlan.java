package io.farget.bench.cluster;

import io.farget.proto.v1.PodSpec;

/** Which pods a run submits, and when each is due. */
interface PodPlan {
    int size();

    PodSpec spec(int index);

    /** Whether pods have due times; if not, clients submit as fast as they are answered. */
    boolean paced();

    /** When pod {@code index} is due, in nanoseconds after the run's start (only when {@link #paced()}). */
    long dueAfterNanos(int index);

    /** The synthetic mix of {@link PodMix}, as fast as the clients go or at {@code rate} pods per second. */
    static PodPlan synthetic(int pods, double rate) {
        return new PodPlan() {
            @Override
            public int size() {
                return pods;
            }

            @Override
            public PodSpec spec(int index) {
                return PodMix.spec(index);
            }

            @Override
            public boolean paced() {
                return rate > 0;
            }

            @Override
            public long dueAfterNanos(int index) {
                return (long) (index * 1e9 / rate);
            }
        };
    }
}
