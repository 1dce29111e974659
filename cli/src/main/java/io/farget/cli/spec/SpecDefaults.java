package io.farget.cli.spec;

/** What a container reserves when its spec (or {@code farget run}) does not say. */
public final class SpecDefaults {
    public static final long CPU_MILLIS = 250;
    public static final long MEMORY_BYTES = 128L << 20;

    private SpecDefaults() {}
}
