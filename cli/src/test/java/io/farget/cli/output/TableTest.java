package io.farget.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.farget.cli.view.NodeView;
import io.farget.cli.view.PodView;
import io.farget.cli.view.ResourcesView;
import io.farget.cli.view.StatusView;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableTest {
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    @Test
    void alignsColumnsThreeSpacesApartWithoutTrailingBlanks() {
        String text = Table.withHeaders("ID", "NAME", "X").row("a", "longer-name", 1).row("bbbb", "n", null).render();

        assertThat(text).isEqualTo("""
                ID     NAME          X
                a      longer-name   1
                bbbb   n             -
                """);
    }

    @Test
    void refusesRowsOfTheWrongWidth() {
        assertThatThrownBy(() -> Table.withHeaders("A", "B").row("only one")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void podsTableHasTheContractColumns() {
        PodView pod = new PodView("abcdefghijkl", "web", "SUCCEEDED", "node-1", null, null, 0,
                NOW.minusSeconds(330), null, null, null, new ResourcesView(new BigDecimal("0.35"), 96L << 20),
                "any", "never", Map.of(), 1, List.of(), List.of());

        assertThat(Tables.pods(List.of(pod), NOW)).isEqualTo("""
                ID             NAME   PHASE       NODE     CPU    MEMORY   AGE     EXIT
                abcdefghijkl   web    SUCCEEDED   node-1   0.35   96Mi     5m30s   0
                """);
    }

    @Test
    void podTableShowsTheAddress() {
        PodView pod = new PodView("abcdefghijkl", "web", "RUNNING", "node-1", "10.88.0.7", null,
                null, NOW.minusSeconds(5), null, null, null, new ResourcesView(new BigDecimal("0.1"), 64L << 20),
                "any", "never", Map.of(), 1, List.of(), List.of());

        assertThat(Tables.pod(pod, NOW)).isEqualTo("""
                ID             NAME   PHASE     NODE     IP          CPU   MEMORY   AGE   EXIT   REASON
                abcdefghijkl   web    RUNNING   node-1   10.88.0.7   0.1   64Mi     5s    -      -
                """);
    }

    @Test
    void nodesTableShowsAllocationOverCapacity() {
        NodeView node = new NodeView("n1", "alpha", "x86_64", "READY", new ResourcesView(new BigDecimal("2"), 4L << 30),
                new ResourcesView(new BigDecimal("0.5"), 512L << 20), 3, "0.1.0", null);

        assertThat(Tables.nodes(List.of(node))).isEqualTo("""
                ID   HOSTNAME   ARCH     STATE   CPU(alloc/cap)   MEMORY(alloc/cap)   PODS
                n1   alpha      x86_64   READY   0.5/2            512Mi/4Gi           3
                """);
    }

    @Test
    void statusIsOneFactPerLine() {
        StatusView status = new StatusView("127.0.0.1:7070",
                List.of(new StatusView.SchedulerView("127.0.0.1:7070", "leader")), "ok",
                Map.of("READY", 1), Map.of(), 7);

        assertThat(Tables.status(status)).isEqualTo("""
                Leader:      127.0.0.1:7070 (epoch 7)
                Schedulers:  127.0.0.1:7070 leader
                ZooKeeper:   ok
                Nodes:       READY 1
                Pods:        none
                """);
    }
}
