package io.farget.sandbox.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.farget.sandbox.linux.LibC;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives pods an address on the host's bridge and publishes their host ports, through the CNI plugins
 * called by hand: bridge (with host-local addresses) then portmap on ADD, the reverse on DEL.
 *
 * <p>State under {@link CniSettings#stateDir()}: {@code netns/<podId>} pins each pod's namespace,
 * {@code pods/<podId>.json} keeps what ADD was given and returned (DEL needs both, also after a
 * crash), {@code networks/} holds host-local's leases. {@link #collectGarbage} releases what pods that
 * no longer exist left behind: leases, port forwards, masquerade chains, pins.
 */
public final class PodNetwork {
    private static final Logger log = LoggerFactory.getLogger(PodNetwork.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A pod on the network: its address and where its namespace is pinned. */
    public record Attachment(String podId, String address, Path netns) {}

    private final CniSettings settings;
    private final HostNamespace host;
    private final CniPlugins plugins;
    private final NetnsPin pins;

    public PodNetwork(CniSettings settings, LibC libc) {
        this.settings = settings;
        this.host = new HostNamespace(settings.hostNetns());
        this.plugins = new CniPlugins(settings.pluginDir(), host);
        this.pins = new NetnsPin(libc, settings.stateDir().resolve("netns"));
    }

    public CniSettings settings() {
        return settings;
    }

    /**
     * Makes the pod's network namespace (loopback up, nothing else) and pins it, before any of the
     * pod's processes exist: the pause joins it by path while {@link #attachInBackground} wires it.
     * {@link #detach} releases it like any other pin.
     */
    public Path createNamespace(String podId) throws CniException {
        return pins.create(podId);
    }

    /**
     * {@link #attach(String, Path, List)} on a thread of its own, so the caller can start the pod's
     * pause process meanwhile. A thread per call, not a pool: a CNI ADD never waits for other work, and
     * pod starts (which bound how many run at once) are few at a time.
     */
    public CompletableFuture<Attachment> attachInBackground(String podId, Path netns, List<HostPort> ports) {
        CompletableFuture<Attachment> done = new CompletableFuture<>();
        Thread adder = new Thread(() -> {
            try {
                done.complete(attach(podId, netns, ports));
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "cni-add-" + podId);
        adder.setDaemon(true);
        adder.start();
        return done;
    }

    /**
     * Puts the namespace of {@code pausePid} on the bridge (interface eth0) and forwards {@code ports}
     * into it. On failure nothing of it is left behind.
     */
    public Attachment attach(String podId, int pausePid, List<HostPort> ports) throws CniException {
        return attach(podId, pins.pin(podId, pausePid), ports);
    }

    /**
     * Puts the pinned namespace {@code netns} on the bridge (interface eth0) and forwards {@code ports}
     * into it. On failure nothing of it is left behind, the pin included.
     */
    public Attachment attach(String podId, Path netns, List<HostPort> ports) throws CniException {
        try {
            writeRecord(podId, ports, null); // before ADD: a crash in between still leaves a trail to DEL
            JsonNode result = plugins.call("ADD", podId, netns.toString(), CniConfigs.bridge(settings));
            writeRecord(podId, ports, result);
            if (!ports.isEmpty()) {
                plugins.call("ADD", podId, netns.toString(), CniConfigs.portmap(settings, ports, result));
            }
            String address = CniConfigs.firstAddress(result);
            if (address == null) {
                throw new CniException("CNI bridge gave pod " + podId + " no IPv4 address");
            }
            log.debug("pod {}: address {} on {}{}", podId, address, settings.bridge(), ports.isEmpty() ? "" : ", host ports " + ports);
            return new Attachment(podId, address, netns);
        } catch (CniException | IOException | RuntimeException e) {
            detach(podId);
            throw e instanceof CniException ce ? ce : new CniException("cannot attach pod " + podId + ": " + e, e);
        }
    }

    /**
     * The address {@link #attach} gave the pod, read back from its record: how an agent that adopts a
     * running pod after a restart learns it. Empty when the pod has no complete attachment here.
     */
    public Optional<String> recordedAddress(String podId) {
        Path file = recordFile(podId);
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            JsonNode result = MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8)).path("result");
            return Optional.ofNullable(result.isObject() ? CniConfigs.firstAddress(result) : null);
        } catch (IOException e) {
            log.warn("pod {}: cannot read its network record: {}", podId, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Releases everything {@link #attach} made for the pod: port forwards first (portmap DEL), then
     * the interface, masquerade rules and address (bridge DEL), then the pin. Idempotent; best effort
     * (each step runs even if an earlier one failed; failures are logged).
     */
    public void detach(String podId) {
        Path record = recordFile(podId);
        boolean pinned;
        try {
            pinned = pins.pinned(podId);
        } catch (IOException e) {
            pinned = false;
        }
        if (!Files.exists(record) && !pinned) {
            return;
        }
        String netns = pinned ? pins.fileOf(podId).toString() : ""; // without it the plugins free what they can
        List<HostPort> ports = List.of();
        JsonNode result = null;
        try {
            if (Files.exists(record)) {
                JsonNode saved = MAPPER.readTree(Files.readString(record, StandardCharsets.UTF_8));
                ports = ports(saved.path("ports"));
                result = saved.hasNonNull("result") ? saved.get("result") : null;
            }
        } catch (IOException e) {
            log.warn("pod {}: cannot read its CNI record {}: {}", podId, record, e.getMessage());
        }
        deleteQuietly(podId, netns, CniConfigs.portmap(settings, ports, result));
        ObjectNode bridge = CniConfigs.bridge(settings);
        if (result != null) {
            bridge.set("prevResult", result);
        }
        deleteQuietly(podId, netns, bridge);
        try {
            pins.unpin(podId);
            Files.deleteIfExists(record);
        } catch (IOException e) {
            log.warn("pod {}: cannot remove its network namespace pin: {}", podId, e.getMessage());
        }
        log.debug("pod {}: detached from {}", podId, settings.bridge());
    }

    /**
     * Releases the network state of every pod {@code live} does not accept: pods with a record or a
     * pin, host-local leases, and NAT rules tagged with their id. Run at agent start, before pods start.
     */
    public void collectGarbage(Predicate<String> live) {
        Set<String> stale = new TreeSet<>();
        stale.addAll(namesIn(settings.stateDir().resolve("pods"), ".json"));
        stale.addAll(namesIn(settings.stateDir().resolve("netns"), ""));
        stale.addAll(leaseOwners());
        stale.removeIf(live);
        for (String podId : stale) {
            log.info("pod {}: releasing the network state it left behind", podId);
            detach(podId);
            if (!Files.exists(recordFile(podId))) {
                deleteQuietly(podId, "", CniConfigs.bridge(settings)); // a lease without a record: host-local frees it by id
            }
        }
        removeStaleRules(live);
    }

    private void removeStaleRules(Predicate<String> live) {
        try {
            HostNamespace.Result dump = host.run(List.of("iptables-save", "-t", "nat"), java.util.Map.of(), "");
            if (!dump.ok()) {
                log.warn("cannot list NAT rules: {}", dump.stderr().strip());
                return;
            }
            String script = StaleRules.removalScript(dump.stdout(), CniSettings.NETWORK_NAME, live.negate());
            if (script.isEmpty()) {
                return;
            }
            log.info("removing NAT rules of pods that no longer exist: {}",
                    StaleRules.owners(dump.stdout(), CniSettings.NETWORK_NAME).stream().filter(live.negate()).toList());
            HostNamespace.Result restored = host.run(List.of("iptables-restore", "--noflush"), java.util.Map.of(), script);
            if (!restored.ok()) {
                log.warn("cannot remove stale NAT rules: {}", restored.stderr().strip());
            }
        } catch (IOException e) {
            log.warn("cannot clean NAT rules: {}", e.getMessage());
        }
    }

    /** Container ids holding host-local leases: each lease file is named by the address and holds the id first. */
    private Set<String> leaseOwners() {
        Set<String> owners = new TreeSet<>();
        Path leases = settings.stateDir().resolve("networks").resolve(CniSettings.NETWORK_NAME);
        if (!Files.isDirectory(leases)) {
            return owners;
        }
        try (Stream<Path> files = Files.list(leases)) {
            for (Path file : files.filter(f -> Character.isDigit(f.getFileName().toString().charAt(0))).toList()) {
                String first = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
                if (!first.isEmpty()) {
                    owners.add(first);
                }
            }
        } catch (IOException e) {
            log.warn("cannot read address leases in {}: {}", leases, e.getMessage());
        }
        return owners;
    }

    private void deleteQuietly(String podId, String netns, JsonNode config) {
        try {
            plugins.call("DEL", podId, netns, config);
        } catch (CniException e) {
            log.warn("pod {}: {}", podId, e.getMessage());
        }
    }

    private void writeRecord(String podId, List<HostPort> ports, JsonNode result) throws IOException {
        ObjectNode record = MAPPER.createObjectNode();
        ArrayNode list = record.putArray("ports");
        for (HostPort p : ports) {
            list.addObject().put("hostPort", p.hostPort()).put("containerPort", p.containerPort()).put("protocol", p.protocol());
        }
        record.set("result", result);
        Path file = recordFile(podId);
        Files.createDirectories(file.getParent());
        Files.writeString(file, MAPPER.writeValueAsString(record), StandardCharsets.UTF_8);
    }

    private static List<HostPort> ports(JsonNode list) {
        List<HostPort> ports = new ArrayList<>();
        for (JsonNode p : list) {
            ports.add(new HostPort(p.path("hostPort").asInt(), p.path("containerPort").asInt(), p.path("protocol").asText()));
        }
        return ports;
    }

    private Path recordFile(String podId) {
        return settings.stateDir().resolve("pods").resolve(podId + ".json");
    }

    private static Set<String> namesIn(Path dir, String suffix) {
        Set<String> names = new TreeSet<>();
        if (!Files.isDirectory(dir)) {
            return names;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(suffix))
                    .forEach(n -> names.add(n.substring(0, n.length() - suffix.length())));
        } catch (IOException e) {
            log.warn("cannot list {}: {}", dir, e.getMessage());
        }
        return names;
    }
}
