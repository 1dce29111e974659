package io.farget.agent.capacity;

import io.farget.common.Arches;
import io.farget.common.ResourceMath;
import oshi.SystemInfo;
import oshi.software.os.OperatingSystem;

/**
 * Measures this host with OSHI: logical CPUs, total memory, hostname and operating system. The
 * architecture comes from {@code os.arch}, because OSHI's microarchitecture reads "unknown" on VMs.
 */
public final class HostProbe {

    /** The whole host, before any reserve is taken off. */
    public HostFacts probe() {
        SystemInfo system = new SystemInfo();
        OperatingSystem os = system.getOperatingSystem();
        long cpuMillis = system.getHardware().getProcessor().getLogicalProcessorCount() * 1000L;
        long memoryBytes = system.getHardware().getMemory().getTotal();
        return new HostFacts(hostname(os), describe(os), Arches.ofThisHost(), ResourceMath.of(cpuMillis, memoryBytes));
    }

    /** The OS as people name it, e.g. "GNU/Linux Debian 12 (Bookworm)". */
    static String describe(OperatingSystem os) {
        String version = os.getVersionInfo() == null ? "" : os.getVersionInfo().toString();
        return (os.getFamily() + " " + version).trim();
    }

    private static String hostname(OperatingSystem os) {
        String name = os.getNetworkParams().getHostName();
        if (name == null || name.isBlank()) {
            name = System.getenv("HOSTNAME");
        }
        return name == null || name.isBlank() ? "localhost" : name;
    }
}
