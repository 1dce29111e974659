package io.farget.sandbox.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StaleRulesTest {
    /** iptables-save -t nat after bridge+portmap ADD for pod "gone" and bridge ADD for pod "live" (trimmed). */
    private static final String DUMP = """
            *nat
            :PREROUTING ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            :CNI-688c7414da5a439baa064d19 - [0:0]
            :CNI-1111 - [0:0]
            :CNI-DN-688c7414da5a439baa064 - [0:0]
            :CNI-HOSTPORT-DNAT - [0:0]
            -A PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT
            -A POSTROUTING -s 10.88.77.2/32 -m comment --comment "name: \\"farget-pods\\" id: \\"gone\\"" -j CNI-688c7414da5a439baa064d19
            -A POSTROUTING -s 10.88.77.3/32 -m comment --comment "name: \\"farget-pods\\" id: \\"live\\"" -j CNI-1111
            -A POSTROUTING -s 10.99.0.2/32 -m comment --comment "name: \\"other-net\\" id: \\"gone\\"" -j CNI-2222
            -A CNI-688c7414da5a439baa064d19 -d 10.88.77.0/24 -m comment --comment "name: \\"farget-pods\\" id: \\"gone\\"" -j ACCEPT
            -A CNI-DN-688c7414da5a439baa064 -d 127.0.0.1/32 -p tcp -m tcp --dport 18080 -j DNAT --to-destination 10.88.77.2:8080
            -A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \\"farget-pods\\" id: \\"gone\\"" -m multiport --dports 18080 -j CNI-DN-688c7414da5a439baa064
            COMMIT
            """;

    @Test
    void removesOnlyTheJumpsAndChainsOfGonePodsOfOurNetwork() {
        String script = StaleRules.removalScript(DUMP, "farget-pods", id -> !id.equals("live"));

        assertThat(script.lines().toList()).containsExactly(
                "*nat",
                "-D POSTROUTING -s 10.88.77.2/32 -m comment --comment \"name: \\\"farget-pods\\\" id: \\\"gone\\\"\" -j CNI-688c7414da5a439baa064d19",
                "-D CNI-HOSTPORT-DNAT -p tcp -m comment --comment \"dnat name: \\\"farget-pods\\\" id: \\\"gone\\\"\" -m multiport --dports 18080 -j CNI-DN-688c7414da5a439baa064",
                "-F CNI-688c7414da5a439baa064d19",
                "-F CNI-DN-688c7414da5a439baa064",
                "-X CNI-688c7414da5a439baa064d19",
                "-X CNI-DN-688c7414da5a439baa064",
                "COMMIT");
        assertThat(StaleRules.owners(DUMP, "farget-pods")).isEqualTo(Set.of("gone", "live"));
    }

    @Test
    void nothingStaleGivesNoScript() {
        assertThat(StaleRules.removalScript(DUMP, "farget-pods", id -> false)).isEmpty();
    }

    @Test
    void portmapGetsTheHostAddressOnlyWhenNotAllAddressesAndTheAddressComesFromTheResult() throws Exception {
        CniSettings settings = CniSettings.defaults(Path.of("/var/lib/farget/cni"));
        var ports = List.of(new HostPort(8080, 80, ""));

        assertThat(CniConfigs.portmap(settings, ports, null).at("/runtimeConfig/portMappings/0/hostIP").asText()).isEqualTo("127.0.0.1");
        assertThat(CniConfigs.portmap(settings.publishingOnAllAddresses(), ports, null).at("/runtimeConfig/portMappings/0").has("hostIP"))
                .isFalse();
        assertThat(CniConfigs.bridge(settings).at("/ipam/dataDir").asText()).isEqualTo("/var/lib/farget/cni/networks");
        var result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"ips\":[{\"address\":\"fd00::2/64\"},{\"address\":\"10.88.0.7/16\",\"gateway\":\"10.88.0.1\"}]}");
        assertThat(CniConfigs.firstAddress(result)).isEqualTo("10.88.0.7");
    }
}
