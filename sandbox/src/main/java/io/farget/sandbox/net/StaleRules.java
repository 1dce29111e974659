package io.farget.sandbox.net;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the NAT rules the CNI plugins left for pods that no longer exist, in {@code iptables-save -t nat}
 * output, and writes the {@code iptables-restore --noflush} script that removes them. The plugins tag
 * every rule they add with the comment {@code name: "<network>" id: "<container>"}: the bridge's
 * masquerade jump from POSTROUTING into its {@code CNI-<hash>} chain, portmap's jump from
 * {@code CNI-HOSTPORT-DNAT} into its {@code CNI-DN-<hash>} chain. The shared {@code CNI-HOSTPORT-*}
 * chains stay: they are the plugins' own and empty without pods. Pure.
 */
public final class StaleRules {
    private static final Pattern OWNER = Pattern.compile("name: \\\\\"([^\\\\\"]+)\\\\\" id: \\\\\"([^\\\\\"]+)\\\\\"");
    private static final Pattern JUMP = Pattern.compile(" -j (\\S+)");

    private StaleRules() {}

    /** The containers of {@code network} that have rules in the dump. */
    public static Set<String> owners(String iptablesSave, String network) {
        Set<String> ids = new LinkedHashSet<>();
        for (String line : iptablesSave.split("\n")) {
            Matcher owner = OWNER.matcher(line);
            if (line.startsWith("-A ") && owner.find() && owner.group(1).equals(network)) {
                ids.add(owner.group(2));
            }
        }
        return ids;
    }

    /** The restore script removing the rules and per-pod chains of containers {@code stale} accepts; empty when none. */
    public static String removalScript(String iptablesSave, String network, Predicate<String> stale) {
        Set<String> chains = new LinkedHashSet<>();
        StringBuilder deletes = new StringBuilder();
        List<String> lines = List.of(iptablesSave.split("\n"));
        for (String line : lines) {
            Matcher owner = OWNER.matcher(line);
            if (!line.startsWith("-A ") || !owner.find() || !owner.group(1).equals(network) || !stale.test(owner.group(2))) {
                continue;
            }
            Matcher jump = JUMP.matcher(line);
            if (jump.find() && isPodChain(jump.group(1))) {
                chains.add(jump.group(1));
            }
        }
        for (String line : lines) {
            Matcher owner = OWNER.matcher(line);
            if (line.startsWith("-A ") && owner.find() && owner.group(1).equals(network) && stale.test(owner.group(2))
                    && !chains.contains(line.split(" ")[1])) {
                deletes.append("-D ").append(line.substring(3)).append('\n'); // rules inside a stale chain go with its flush
            }
        }
        if (deletes.isEmpty() && chains.isEmpty()) {
            return "";
        }
        StringBuilder script = new StringBuilder("*nat\n").append(deletes);
        chains.forEach(c -> script.append("-F ").append(c).append('\n'));
        chains.forEach(c -> script.append("-X ").append(c).append('\n'));
        return script.append("COMMIT\n").toString();
    }

    /** A chain the plugins made for one container (the bridge's CNI-<hash>, portmap's CNI-DN-<hash>). */
    static boolean isPodChain(String chain) {
        return chain.startsWith("CNI-") && !chain.startsWith("CNI-HOSTPORT-");
    }
}
