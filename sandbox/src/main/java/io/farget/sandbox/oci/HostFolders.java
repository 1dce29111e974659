package io.farget.sandbox.oci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What an image-less pod borrows from the host, as found on this host: the top-level program and
 * library folders (a symbolic link on merged-/usr systems such as Debian 12, a folder elsewhere) and
 * which secret files exist that must be masked. Probed once; the spec builder stays pure.
 *
 * @param links top-level names that are symbolic links on the host, recreated inside the rootfs
 * @param binds top-level folders (beside /usr and /etc) bound read-only into the container
 * @param secrets host paths under /etc that must not show inside
 */
public record HostFolders(List<Link> links, List<String> binds, List<String> secrets) {
    /** Folders always bound read-only from the host. */
    public static final List<String> SYSTEM_FOLDERS = List.of("/usr", "/etc");
    static final List<String> TOP_LEVEL = List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");
    static final List<String> SECRETS = List.of("/etc/shadow", "/etc/shadow-", "/etc/gshadow", "/etc/gshadow-", "/etc/ssh");

    /** A symbolic link {@code name -> target} (target as the host has it, e.g. {@code usr/bin}). */
    public record Link(String name, String target) {}

    public HostFolders {
        links = List.copyOf(links);
        binds = List.copyOf(binds);
        secrets = List.copyOf(secrets);
    }

    /** Probes the host's real root. */
    public static HostFolders probe() {
        return probe(Path.of("/"));
    }

    /** Probes a tree laid out like a host root (tests pass a temporary folder). */
    public static HostFolders probe(Path hostRoot) {
        List<Link> links = new ArrayList<>();
        List<String> binds = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        try {
            for (String name : TOP_LEVEL) {
                Path path = hostRoot.resolve(name.substring(1));
                if (Files.isSymbolicLink(path)) {
                    links.add(new Link(name, Files.readSymbolicLink(path).toString()));
                } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    binds.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the host's top-level folders", e);
        }
        for (String secret : SECRETS) {
            if (Files.exists(hostRoot.resolve(secret.substring(1)), LinkOption.NOFOLLOW_LINKS)) {
                secrets.add(secret);
            }
        }
        return new HostFolders(links, binds, secrets);
    }
}
