package io.farget.sandbox;

import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.PortMapping;
import io.farget.proto.v1.Volume;
import io.farget.proto.v1.VolumeMount;
import io.farget.sandbox.cgroup.CgroupLimits;
import io.farget.sandbox.image.CachedImage;
import io.farget.sandbox.net.HostPort;
import io.farget.sandbox.oci.OciContainer;
import io.farget.sandbox.oci.UserIds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a pod spec into what its sandbox runs ({@link PodPlan}), and refuses what this runtime cannot
 * run. A pod of one container without init containers owns its namespaces itself (the faster path);
 * any other pod gets a pause process holding network/ipc/uts, which its containers join. Pure: the
 * images and volume folders, found on disk beforehand, come in as arguments.
 */
final class PodTranslator {
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** Not a DNS label, so never a container's name: the pause's bundle, cgroup leaf and runc id suffix. */
    static final String PAUSE = "_pause";
    static final List<String> PAUSE_COMMAND = List.of("sleep", "infinity");
    /** The pause's own leaf: it sleeps, but runc's init runs in that cgroup first and needs room to start. */
    static final long PAUSE_CPU_MILLIS = 100;
    static final long PAUSE_MEMORY_BYTES = 16L << 20;
    static final String NETWORK_NONE = "none";
    /** The pod's network: its own namespace on the pod network ("" or "pod"), or loopback only ("none"). */
    static final Set<String> NETWORKS = Set.of("", "pod", NETWORK_NONE);

    private PodTranslator() {}

    /** The pod's one container as it runs on the faster path (kept for callers of the first version). */
    static OciContainer mainContainer(SandboxRequest request, RuncConfig config) throws SandboxException {
        return plan(request, config, Map.of(), Map.of()).containers().get(0).oci();
    }

    /**
     * @param images the unpacked image of each reference the pod's containers name
     * @param volumeSources the host folder behind each of the pod's volumes
     */
    static PodPlan plan(SandboxRequest request, RuncConfig config, Map<String, CachedImage> images,
                        Map<String, Path> volumeSources) throws SandboxException {
        PodSpec spec = request.spec();
        checkSupported(spec);
        String podId = request.podId();
        boolean networked = joinsPodNetwork(spec, config);
        boolean pause = networked || needsPause(spec);
        List<ContainerPlan> inits = new ArrayList<>();
        for (ContainerSpec c : spec.getInitContainersList()) {
            inits.add(container(request, config, c, true, pause, images, volumeSources));
        }
        List<ContainerPlan> mains = new ArrayList<>();
        for (ContainerSpec c : spec.getContainersList()) {
            mains.add(container(request, config, c, false, pause, images, volumeSources));
        }
        OciContainer pauseContainer = pause ? pauseContainer(spec, config, podId) : null;
        return new PodPlan(podId, pauseContainer, inits, mains, podLimits(spec, config, pause), networked,
                networked ? hostPorts(spec) : List.of());
    }

    static boolean needsPause(PodSpec spec) {
        return spec.getContainersCount() > 1 || spec.getInitContainersCount() > 0;
    }

    /**
     * Whether the pod gets an address on the host's pod network: only where the agent has one (else
     * every pod keeps its own loopback-only namespace, as before) and the pod did not ask for none.
     * Its namespace must outlive container restarts, so such a pod always has a pause process.
     */
    static boolean joinsPodNetwork(PodSpec spec, RuncConfig config) {
        return config.cni() != null && !NETWORK_NONE.equals(spec.getNetwork());
    }

    /** Every container's ports with a host port, in spec order. */
    static List<HostPort> hostPorts(PodSpec spec) {
        List<HostPort> ports = new ArrayList<>();
        for (ContainerSpec c : spec.getContainersList()) {
            for (PortMapping p : c.getPortsList()) {
                if (p.getHostPort() != 0) {
                    ports.add(new HostPort(p.getHostPort(), p.getContainerPort(), p.getProtocol()));
                }
            }
        }
        return ports;
    }

    /**
     * What the pod's cgroup allows: init containers run alone before the others, so the larger of the
     * biggest init container and the containers' sum (as Kubernetes counts a pod), plus the pause's room.
     */
    static CgroupLimits podLimits(PodSpec spec, RuncConfig config, boolean pause) {
        long cpu = 0;
        long memory = 0;
        for (ContainerSpec c : spec.getContainersList()) {
            cpu += c.getResources().getCpuMillis();
            memory += c.getResources().getMemoryBytes();
        }
        for (ContainerSpec c : spec.getInitContainersList()) {
            cpu = Math.max(cpu, c.getResources().getCpuMillis());
            memory = Math.max(memory, c.getResources().getMemoryBytes());
        }
        return new CgroupLimits(cpu, memory + (pause ? PAUSE_MEMORY_BYTES : 0), config.pidsLimit());
    }

    private static OciContainer pauseContainer(PodSpec spec, RuncConfig config, String podId) {
        return new OciContainer(spec.getName(), PAUSE_COMMAND, Map.of("PATH", DEFAULT_PATH), "/", PAUSE_CPU_MILLIS,
                PAUSE_MEMORY_BYTES, 16, config.cgroupPath(podId, PAUSE), UserIds.NOBODY, List.of(), null, null);
    }

    private static ContainerPlan container(SandboxRequest request, RuncConfig config, ContainerSpec c, boolean init,
                                           boolean pause, Map<String, CachedImage> images, Map<String, Path> volumeSources)
            throws SandboxException {
        String name = c.getName().isEmpty() ? "main" : c.getName();
        CachedImage image = c.getImage().isEmpty() ? null : images.get(c.getImage());
        if (!c.getImage().isEmpty() && image == null) {
            throw new SandboxException("image " + c.getImage() + " of container '" + name + "' is not available");
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", DEFAULT_PATH); // the image's or the container's own PATH replaces it below
        if (image != null) {
            for (String entry : image.config().env()) {
                int eq = entry.indexOf('=');
                if (eq > 0) {
                    env.put(entry.substring(0, eq), entry.substring(eq + 1));
                }
            }
        }
        env.putAll(new TreeMap<>(c.getEnvMap()));
        String cwd = !c.getWorkingDir().isEmpty() ? c.getWorkingDir()
                : image != null && !image.config().workingDir().isEmpty() ? image.config().workingDir() : "/";
        List<OciContainer.VolumeBind> binds = new ArrayList<>();
        for (VolumeMount m : c.getVolumeMountsList()) {
            Volume volume = volume(request.spec(), m.getName()).orElseThrow();
            boolean hostReadOnly = volume.hasHostPath() && !volume.getHostPath().getReadWrite();
            binds.add(new OciContainer.VolumeBind(m.getMountPath(), volumeSources.get(m.getName()), m.getReadOnly() || hostReadOnly));
        }
        String runcId = pause ? request.podId() + "." + name : request.podId();
        OciContainer oci = new OciContainer(pause ? null : request.spec().getName(), c.getCommandList(), env, cwd,
                c.getResources().getCpuMillis(), c.getResources().getMemoryBytes(), config.pidsLimit(),
                config.cgroupPath(request.podId(), name), user(c, image, config), binds, null,
                image == null ? null : image.rootfs());
        return new ContainerPlan(name, runcId, init, oci);
    }

    /** The container's own user, else the image's, else nobody (runAsNonRootDefault) or root. */
    static UserIds user(ContainerSpec c, CachedImage image, RuncConfig config) throws SandboxException {
        if (!c.getUser().isEmpty()) {
            return UserIds.parseNumeric(c.getUser()).orElseThrow(() -> new SandboxException(
                    "container '" + c.getName() + "': user '" + c.getUser() + "' must be uid or uid:gid in digits"));
        }
        if (image != null && image.user() != null) {
            return image.user();
        }
        return config.runAsNonRootDefault() ? UserIds.NOBODY : UserIds.ROOT;
    }

    static void checkSupported(PodSpec spec) throws SandboxException {
        if (spec.getContainersCount() == 0) {
            throw new SandboxException("the pod has no container");
        }
        if (!NETWORKS.contains(spec.getNetwork())) {
            throw new SandboxException("network '" + spec.getNetwork() + "' is not one of \"pod\" (the default) or \"none\"");
        }
        checkPorts(spec);
        Set<String> volumeNames = new HashSet<>();
        for (Volume v : spec.getVolumesList()) {
            if (!volumeNames.add(v.getName())) {
                throw new SandboxException("volume '" + v.getName() + "' is defined twice");
            }
            if (!v.hasEmptyDir() && !v.hasHostPath()) {
                throw new SandboxException("volume '" + v.getName() + "' has no source (emptyDir or hostPath)");
            }
        }
        List<ContainerSpec> all = new ArrayList<>(spec.getInitContainersList());
        all.addAll(spec.getContainersList());
        for (ContainerSpec c : all) {
            for (VolumeMount m : c.getVolumeMountsList()) {
                if (!volumeNames.contains(m.getName())) {
                    throw new SandboxException("container '" + c.getName() + "' mounts volume '" + m.getName()
                            + "', which the pod does not define");
                }
                if (!m.getMountPath().startsWith("/") || m.getMountPath().equals("/") || m.getMountPath().contains("..")) {
                    throw new SandboxException("container '" + c.getName() + "': mount path '" + m.getMountPath()
                            + "' must be an absolute path below /");
                }
            }
        }
    }

    private static void checkPorts(PodSpec spec) throws SandboxException {
        Set<String> published = new HashSet<>();
        for (ContainerSpec c : spec.getContainersList()) {
            for (PortMapping p : c.getPortsList()) {
                String protocol = p.getProtocol().isEmpty() ? "tcp" : p.getProtocol().toLowerCase(java.util.Locale.ROOT);
                if (p.getContainerPort() < 1 || p.getContainerPort() > 65535 || p.getHostPort() < 0 || p.getHostPort() > 65535) {
                    throw new SandboxException("container '" + c.getName() + "': ports must be 1-65535 (host port 0: not published)");
                }
                if (!protocol.equals("tcp") && !protocol.equals("udp")) {
                    throw new SandboxException("container '" + c.getName() + "': protocol '" + p.getProtocol() + "' is not tcp or udp");
                }
                if (p.getHostPort() != 0 && !published.add(p.getHostPort() + "/" + protocol)) {
                    throw new SandboxException("host port " + p.getHostPort() + "/" + protocol + " is published twice");
                }
            }
        }
    }

    static Optional<Volume> volume(PodSpec spec, String name) {
        return spec.getVolumesList().stream().filter(v -> v.getName().equals(name)).findFirst();
    }

    static String containerName(PodSpec spec) {
        String name = spec.getContainers(0).getName();
        return name.isEmpty() ? "main" : name;
    }
}
