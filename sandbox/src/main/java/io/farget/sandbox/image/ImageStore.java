package io.farget.sandbox.image;

import io.farget.sandbox.oci.UserIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Images on one host: pulled by skopeo into ONE content-addressed OCI layout (blobs verified and
 * shared by all images), unpacked by umoci ONCE per manifest digest into a cached root file system
 * that every pod of that image uses read-only, and removed least-recently-used first when the cache
 * grows past its disk budget (never while a pod uses them).
 *
 * <p>A reference pulled once is not pulled again while its image stays cached (pull if not present).
 * Concurrent acquisitions of one reference share one pull. Writes to the layout (pulls, removals) take
 * turns, since skopeo rewrites its index.json; nothing here runs under a pod's lock.
 */
public final class ImageStore {
    private static final Logger log = LoggerFactory.getLogger(ImageStore.class);
    private static final Duration PULL_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration UNPACK_TIMEOUT = Duration.ofMinutes(5);
    private static final String LAST_USED = "last-used";
    /** Mount points runc needs in a root; made at unpack time so runc never writes into the shared cache for them. */
    private static final List<String> MOUNT_POINTS = List.of("proc", "sys", "dev", "tmp");

    private final OciLayout layout;
    private final Path unpackedDir;
    private final long budgetBytes;
    private final Path authFile;
    private final String hostArch;
    private final Clock clock;
    private final Map<String, CachedImage> byReference = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<CachedImage>> pulling = new ConcurrentHashMap<>();
    /** Which pods use which digests: an image in use is never collected. */
    private final Map<String, Set<String>> digestsByPod = new HashMap<>();
    private final Map<String, String> pullingFor = new ConcurrentHashMap<>();
    private final Map<String, Long> pullBaseline = new ConcurrentHashMap<>();
    private final Object layoutLock = new Object();
    private final AtomicInteger unpacks = new AtomicInteger();

    /**
     * @param dir holds {@code layout/} (the OCI layout) and {@code unpacked/<digest>/rootfs}
     * @param authFile a docker-style config.json for registry credentials, or null
     * @param hostArch OCI's name of this host's architecture (amd64, arm64)
     */
    public ImageStore(Path dir, long budgetBytes, Path authFile, String hostArch, Clock clock) {
        this.layout = new OciLayout(dir.resolve("layout"));
        this.unpackedDir = dir.resolve("unpacked");
        this.budgetBytes = budgetBytes;
        this.authFile = authFile;
        this.hostArch = hostArch;
        this.clock = clock;
    }

    /** Pulls and unpacks the image where needed and marks it used by {@code podId} until {@link #release}. */
    public CachedImage acquire(String reference, String podId) throws ImageException {
        ImageReference ref = ImageReference.parse(reference);
        CachedImage image = byReference.get(ref.text());
        boolean fresh = false;
        if (image == null || !Files.isDirectory(image.rootfs())) {
            CompletableFuture<CachedImage> mine = new CompletableFuture<>();
            CompletableFuture<CachedImage> running = pulling.putIfAbsent(ref.text(), mine);
            if (running == null) {
                pullingFor.put(podId, ref.text());
                try {
                    image = fetch(ref);
                    byReference.put(ref.text(), image);
                    mine.complete(image);
                    fresh = true;
                } catch (ImageException | RuntimeException e) {
                    mine.completeExceptionally(e);
                    throw e;
                } finally {
                    pulling.remove(ref.text(), mine);
                    pullingFor.remove(podId);
                }
            } else {
                pullingFor.put(podId, ref.text());
                try {
                    image = running.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof ImageException ie ? ie : new ImageException("pulling " + reference + " failed", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ImageException("interrupted while waiting for " + reference);
                } finally {
                    pullingFor.remove(podId);
                }
            }
        }
        markUsed(image, podId);
        if (fresh) {
            collectGarbage();
        }
        return image;
    }

    /** The pod no longer uses its images (they stay cached until the budget needs the room). */
    public void release(String podId) {
        synchronized (digestsByPod) {
            digestsByPod.remove(podId);
        }
    }

    /** "Pulling REF: 12.3 MiB" while a pull for this pod runs. */
    public Optional<String> progress(String podId) {
        String ref = pullingFor.get(podId);
        if (ref == null) {
            return Optional.empty();
        }
        long bytes = Math.max(0, DiskUsage.bytes(layout.dir()) - pullBaseline.getOrDefault(ref, 0L));
        return Optional.of(String.format("Pulling %s: %.1f MiB", ref, bytes / 1048576.0));
    }

    /** How many times an image was unpacked since this store was made (tests check the cache is reused). */
    public int unpackCount() {
        return unpacks.get();
    }

    private CachedImage fetch(ImageReference ref) throws ImageException {
        String digest;
        synchronized (layoutLock) {
            pullBaseline.put(ref.text(), DiskUsage.bytes(layout.dir()));
            try {
                pull(ref);
                digest = layout.manifestDigest(ref.storeTag())
                        .orElseThrow(() -> new ImageException("pulling " + ref.text() + " left no manifest in the store"));
            } catch (IOException e) {
                throw new ImageException("cannot pull " + ref.text() + ": " + e.getMessage(), e);
            } finally {
                pullBaseline.remove(ref.text());
            }
        }
        ImageConfig config;
        try {
            config = ImageConfig.parse(layout.config(digest));
        } catch (IOException e) {
            throw new ImageException("image " + ref.text() + " has no readable config: " + e.getMessage(), e);
        }
        if (!config.architecture().isEmpty() && !config.architecture().equals(hostArch)) {
            throw new ImageException("image " + ref.text() + " is built for " + config.architecture() + ", this host runs "
                    + hostArch);
        }
        if (!config.os().isEmpty() && !config.os().equals("linux")) {
            throw new ImageException("image " + ref.text() + " is built for " + config.os() + ", not linux");
        }
        Path rootfs = unpackOnce(ref, digest);
        return new CachedImage(ref.text(), digest, rootfs, config, resolveUser(ref, config.user(), rootfs));
    }

    private void pull(ImageReference ref) throws IOException, ImageException {
        Files.createDirectories(layout.dir());
        List<String> command = new ArrayList<>(List.of("skopeo", "copy", "--quiet", "--override-os", "linux",
                "--override-arch", hostArch));
        if (ref.plainHttp()) {
            command.add("--src-tls-verify=false");
        }
        if (authFile != null) {
            command.addAll(List.of("--authfile", authFile.toString()));
        }
        command.add(ref.source());
        command.add("oci:" + layout.dir() + ":" + ref.storeTag());
        long began = System.nanoTime();
        ExternalCommand.Result result = ExternalCommand.run(command, PULL_TIMEOUT);
        if (!result.ok()) {
            throw new ImageException("cannot pull " + ref.text() + ": " + result.lastLine());
        }
        log.info("image {}: pulled in {} ms", ref.text(), (System.nanoTime() - began) / 1_000_000);
    }

    /** One unpack per digest, even when two references name it: into a temporary folder, then renamed. */
    private Path unpackOnce(ImageReference ref, String digest) throws ImageException {
        Path dir = unpackedDir.resolve(digest.replace(':', '-'));
        Path rootfs = dir.resolve("rootfs");
        synchronized (layoutLock) { // umoci reads blobs a concurrent removal could take away
            if (Files.isDirectory(rootfs)) {
                return rootfs;
            }
            Path staging = unpackedDir.resolve(".staging-" + digest.replace(':', '-'));
            try {
                DiskUsage.deleteTree(staging);
                Files.createDirectories(staging);
                long began = System.nanoTime();
                ExternalCommand.Result result = ExternalCommand.run(List.of("umoci", "raw", "unpack", "--image",
                        layout.dir() + ":" + ref.storeTag(), staging.resolve("rootfs").toString()), UNPACK_TIMEOUT);
                if (!result.ok()) {
                    throw new ImageException("cannot unpack " + ref.text() + ": " + result.lastLine());
                }
                for (String mountPoint : MOUNT_POINTS) {
                    Path point = staging.resolve("rootfs").resolve(mountPoint);
                    if (!Files.exists(point, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.createDirectory(point);
                    }
                }
                Files.writeString(staging.resolve(LAST_USED), digest);
                Files.createDirectories(unpackedDir);
                Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
                unpacks.incrementAndGet();
                log.info("image {}: unpacked {} in {} ms", ref.text(), digest, (System.nanoTime() - began) / 1_000_000);
                return rootfs;
            } catch (IOException e) {
                throw new ImageException("cannot unpack " + ref.text() + ": " + e.getMessage(), e);
            }
        }
    }

    private static UserIds resolveUser(ImageReference ref, String user, Path rootfs) throws ImageException {
        if (user.isEmpty()) {
            return null;
        }
        Optional<UserIds> numeric = UserIds.parseNumeric(user);
        if (numeric.isPresent()) {
            return numeric.get();
        }
        String[] parts = user.split(":", 2);
        Optional<int[]> named = UserIds.parseNumeric(parts[0]).map(u -> new int[] {u.uid(), u.gid()})
                .or(() -> PasswdFile.user(PasswdFile.read(rootfs, "passwd"), parts[0]));
        if (named.isEmpty()) {
            throw new ImageException("image " + ref.text() + " runs as user '" + parts[0] + "', which its /etc/passwd lacks");
        }
        int gid = named.get()[1];
        if (parts.length == 2) {
            OptionalInt group = parts[1].matches("\\d+") ? OptionalInt.of(Integer.parseInt(parts[1]))
                    : PasswdFile.group(PasswdFile.read(rootfs, "group"), parts[1]);
            if (group.isEmpty()) {
                throw new ImageException("image " + ref.text() + " runs as group '" + parts[1] + "', which its /etc/group lacks");
            }
            gid = group.getAsInt();
        }
        return new UserIds(named.get()[0], gid);
    }

    private void markUsed(CachedImage image, String podId) {
        synchronized (digestsByPod) {
            digestsByPod.computeIfAbsent(podId, k -> new HashSet<>()).add(image.digest());
        }
        try {
            Files.setLastModifiedTime(image.rootfs().resolveSibling(LAST_USED), FileTime.from(clock.instant()));
        } catch (IOException e) {
            log.debug("cannot mark {} used: {}", image.digest(), e.getMessage());
        }
    }

    private Set<String> digestsInUse() {
        synchronized (digestsByPod) {
            Set<String> inUse = new HashSet<>();
            digestsByPod.values().forEach(inUse::addAll);
            return inUse;
        }
    }

    /** Removes unused images, least recently used first, until the cache fits its budget. */
    public void collectGarbage() {
        synchronized (layoutLock) {
            try {
                for (Path victim : evictionOrder()) {
                    long used = DiskUsage.bytes(unpackedDir) + DiskUsage.bytes(layout.dir());
                    if (used <= budgetBytes) {
                        return;
                    }
                    evict(victim);
                }
            } catch (IOException | ImageException e) {
                log.warn("image cache: garbage collection failed: {}", e.getMessage());
            }
        }
    }

    /** Unpacked images no pod uses, least recently used first. */
    private List<Path> evictionOrder() throws IOException {
        if (!Files.isDirectory(unpackedDir)) {
            return List.of();
        }
        Set<String> inUse = digestsInUse();
        try (Stream<Path> dirs = Files.list(unpackedDir)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve(LAST_USED)))
                    .filter(d -> !inUse.contains(digestOf(d)))
                    .sorted(Comparator.comparing(ImageStore::lastUsed))
                    .toList();
        }
    }

    private void evict(Path unpacked) throws IOException, ImageException {
        String digest = digestOf(unpacked);
        byReference.values().removeIf(image -> image.digest().equals(digest));
        DiskUsage.deleteTree(unpacked);
        for (String tag : layout.tagsOf(digest)) {
            umoci("rm", "--image", layout.dir() + ":" + tag);
        }
        umoci("gc", "--layout", layout.dir().toString());
        log.info("image cache: removed {} (over the budget of {} MiB)", digest, budgetBytes >> 20);
    }

    private static void umoci(String... args) throws IOException, ImageException {
        List<String> command = new ArrayList<>(List.of("umoci"));
        command.addAll(List.of(args));
        ExternalCommand.Result result = ExternalCommand.run(command, UNPACK_TIMEOUT);
        if (!result.ok()) {
            throw new ImageException("umoci " + args[0] + " failed: " + result.lastLine());
        }
    }

    private static String digestOf(Path unpacked) {
        return unpacked.getFileName().toString().replaceFirst("-", ":");
    }

    private static FileTime lastUsed(Path unpacked) {
        try {
            return Files.getLastModifiedTime(unpacked.resolve(LAST_USED));
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
