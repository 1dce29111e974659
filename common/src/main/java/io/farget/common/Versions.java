package io.farget.common;

/** The version of this build, as the jar manifest states it. */
public final class Versions {
    private Versions() {}

    public static String current() {
        String v = Versions.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
