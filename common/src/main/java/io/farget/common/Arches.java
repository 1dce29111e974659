package io.farget.common;

import io.farget.proto.v1.Arch;
import java.util.Locale;

/** Architecture names as users write them ({@code x86_64}, {@code aarch64}, {@code any}) and as the JVM reports them. */
public final class Arches {
    private Arches() {}

    /** Parses a user's architecture; accepts the common aliases amd64 and arm64. */
    public static Arch parse(String text) {
        if (text == null || text.isBlank()) {
            return Arch.ARCH_ANY;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "any" -> Arch.ARCH_ANY;
            case "x86_64", "amd64", "x86-64" -> Arch.ARCH_X86_64;
            case "aarch64", "arm64" -> Arch.ARCH_AARCH64;
            default -> throw new IllegalArgumentException("'" + text + "' is not an architecture (x86_64, aarch64 or any)");
        };
    }

    /** The architecture of a JVM's {@code os.arch}; OSHI's microarchitecture is unreliable on VMs. */
    public static Arch fromOsArch(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x86-64" -> Arch.ARCH_X86_64;
            case "aarch64", "arm64" -> Arch.ARCH_AARCH64;
            default -> throw new IllegalStateException("unsupported host architecture: " + osArch);
        };
    }

    public static Arch ofThisHost() {
        return fromOsArch(System.getProperty("os.arch"));
    }

    /** The name users see: x86_64, aarch64 or any. */
    public static String name(Arch arch) {
        return switch (arch) {
            case ARCH_X86_64 -> "x86_64";
            case ARCH_AARCH64 -> "aarch64";
            case ARCH_ANY, ARCH_UNSPECIFIED, UNRECOGNIZED -> "any";
        };
    }

    /** Whether a pod asking for {@code wanted} may run on a node of {@code node}. */
    public static boolean compatible(Arch wanted, Arch node) {
        return wanted == Arch.ARCH_ANY || wanted == Arch.ARCH_UNSPECIFIED || wanted == node;
    }
}
