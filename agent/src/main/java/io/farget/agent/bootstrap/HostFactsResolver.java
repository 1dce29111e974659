package io.farget.agent.bootstrap;

import io.farget.agent.capacity.HostFacts;
import io.farget.agent.capacity.GpuProbe;
import io.farget.agent.capacity.HostProbe;
import io.farget.common.ResourceMath;
import io.farget.proto.v1.GpuInfo;

/** The facts an agent registers with: measured and minus the reserve, unless the config overrides them; labels and GPUs. */
final class HostFactsResolver {
    private HostFactsResolver() {}

    static HostFacts resolve(AgentConfig config) {
        boolean fullyOverridden = config.hostname() != null && config.arch() != null && config.capacity() != null;
        HostFacts base = fullyOverridden
                // Hollow agents: skip OSHI, which is slow to ask thousands of times.
                ? new HostFacts(config.hostname(), System.getProperty("os.name") + " " + System.getProperty("os.version"),
                        config.arch(), config.capacity())
                : new HostProbe().probe().minusReserve(ResourceMath.of(config.reserveCpuMillis(), config.reserveMemoryBytes()));
        // Hollow agents (fully overridden) pretend to be other machines: they have no GPUs to look
        // for, only the ones their config gives them.
        GpuInfo gpus = config.gpus() != null ? config.gpus() : fullyOverridden ? null : GpuProbe.probe();
        return base.withOverrides(config.hostname(), config.arch(), config.capacity())
                .withPlacementAttributes(config.labels(), gpus);
    }
}
