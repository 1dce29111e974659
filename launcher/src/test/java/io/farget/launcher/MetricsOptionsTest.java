package io.farget.launcher;

import io.farget.scheduler.bootstrap.EmbeddedZooKeeper;
import static org.assertj.core.api.Assertions.assertThat;

import io.farget.scheduler.bootstrap.SchedulerServer;
import io.farget.scheduler.metering.MeteringSettings;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --metrics-port} of {@code farget scheduler} and {@code farget dev}: on by default, 0 turns it off, and it serves. */
class MetricsOptionsTest {
    @TempDir
    Path dir;

    private static SchedulerCommand scheduler(String... args) {
        SchedulerCommand command = new SchedulerCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void metricsAreOnByDefaultAtTheirPortAndZeroTurnsThemOff() {
        assertThat(scheduler("--zk", "127.0.0.1:1").config().metering().metricsPort()).isEqualTo(MeteringSettings.DEFAULT_METRICS_PORT);
        assertThat(scheduler("--zk", "127.0.0.1:1", "--metrics-port", "0").config().metering().metricsPort()).isNegative();
        DevCommand dev = new DevCommand();
        new CommandLine(dev).parseArgs();
        assertThat(dev.metrics.apply(MeteringSettings.defaults(), dev.bindHost))
                .extracting(MeteringSettings::metricsHost, MeteringSettings::metricsPort)
                .containsExactly("127.0.0.1", MeteringSettings.DEFAULT_METRICS_PORT);
    }

    @Test
    void aSchedulerStartedFromTheOptionsServesPrometheusMetrics() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir.resolve("zk"))) {
            SchedulerCommand command = scheduler("--zk", zk.connectString(), "--port", "0", "--bind", "127.0.0.1",
                    "--metrics-port", String.valueOf(port), "--data-dir", dir.resolve("scheduler").toString());
            try (SchedulerServer server = SchedulerServer.start(command.config())) {
                server.awaitLeadership(Duration.ofSeconds(30));
                HttpResponse<String> scrape = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());

                assertThat(server.metricsPort()).isEqualTo(port);
                assertThat(scrape.statusCode()).isEqualTo(200);
                assertThat(scrape.body()).contains("farget_usage_cpu_seconds", "farget_billed_vcpu_seconds");
            }
        }
    }
}
