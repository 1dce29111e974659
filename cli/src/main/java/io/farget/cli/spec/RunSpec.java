package io.farget.cli.spec;

import io.farget.proto.v1.Arch;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.Resources;
import io.farget.proto.v1.RestartPolicy;
import java.util.List;
import java.util.Map;

/**
 * What {@code farget run} asks for, with its defaults applied; null means "not given". The one
 * container takes the pod's name, as {@code kubectl run} does.
 */
public record RunSpec(
        String name,
        Long cpuMillis,
        Long memoryBytes,
        Arch arch,
        String image,
        Map<String, String> env,
        RestartPolicy restart,
        List<String> command) {

    public PodSpec toPodSpec() {
        String podName = name != null ? name : PodNames.fromCommand(command.isEmpty() ? null : command.get(0));
        ContainerSpec container = ContainerSpec.newBuilder()
                .setName(podName)
                .setImage(image == null ? "" : image)
                .addAllCommand(command)
                .putAllEnv(env == null ? Map.of() : env)
                .setResources(Resources.newBuilder()
                        .setCpuMillis(cpuMillis != null ? cpuMillis : SpecDefaults.CPU_MILLIS)
                        .setMemoryBytes(memoryBytes != null ? memoryBytes : SpecDefaults.MEMORY_BYTES))
                .build();
        return PodSpec.newBuilder()
                .setName(podName)
                .setArch(arch != null ? arch : Arch.ARCH_ANY)
                .setRestart(restart != null ? restart : RestartPolicy.RESTART_POLICY_NEVER)
                .addContainers(container)
                .build();
    }
}
