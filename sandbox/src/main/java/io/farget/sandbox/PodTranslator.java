package io.farget.sandbox;

import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.PodSpec;
import io.farget.sandbox.oci.OciContainer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a pod spec into what its sandbox runs, and refuses what this runtime cannot run yet.
 * Today a pod is one image-less container that owns all its namespaces; multi-container pods will
 * add a pause container owning net/ipc/uts and containers joining it (no hostname of their own).
 */
final class PodTranslator {
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private PodTranslator() {}

    static OciContainer mainContainer(SandboxRequest request, RuncConfig config) throws SandboxException {
        PodSpec spec = request.spec();
        checkSupported(spec);
        ContainerSpec c = spec.getContainers(0);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", DEFAULT_PATH); // a container's own PATH replaces it below
        env.putAll(new java.util.TreeMap<>(c.getEnvMap()));
        String cwd = c.getWorkingDir().isEmpty() ? "/" : c.getWorkingDir();
        return new OciContainer(spec.getName(), c.getCommandList(), env, cwd, c.getResources().getCpuMillis(),
                c.getResources().getMemoryBytes(), config.pidsLimit(), config.cgroupPath(request.podId()));
    }

    static void checkSupported(PodSpec spec) throws SandboxException {
        if (spec.getContainersCount() == 0) {
            throw new SandboxException("the pod has no container");
        }
        if (spec.getContainersCount() > 1) {
            throw new SandboxException("multi-container pods are not supported yet");
        }
        if (spec.getInitContainersCount() > 0) {
            throw new SandboxException("init containers are not supported yet");
        }
        if (!spec.getContainers(0).getImage().isEmpty()) {
            throw new SandboxException("images are not supported yet (container '" + spec.getContainers(0).getName()
                    + "' asks for " + spec.getContainers(0).getImage() + ")");
        }
    }

    static String containerName(PodSpec spec) {
        String name = spec.getContainers(0).getName();
        return name.isEmpty() ? "main" : name;
    }
}
