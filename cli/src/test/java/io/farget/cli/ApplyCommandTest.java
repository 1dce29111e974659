package io.farget.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.cli.support.Cli;
import io.farget.cli.support.FakeScheduler;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.CreatePodRequest;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.RestartPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApplyCommandTest {
    @TempDir
    Path dir;

    private FakeScheduler scheduler;

    @BeforeEach
    void start() throws Exception {
        scheduler = FakeScheduler.start();
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"web.yaml", "web.json"})
    void submitsTheContractExample(String name) throws IOException {
        Path file = copyResource(name);

        Cli.Result result = Cli.against(scheduler.address(), "apply", "-f", file.toString());

        assertThat(result.stderr()).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo(FakeScheduler.POD_ID + "\n");
        CreatePodRequest request = scheduler.requestsOf(CreatePodRequest.class).get(0);
        assertThat(request.getRequestId()).isNotEmpty();
        PodSpec spec = request.getSpec();
        assertThat(spec.getName()).isEqualTo("web");
        assertThat(spec.getArch()).isEqualTo(Arch.ARCH_ANY);
        assertThat(spec.getRestart()).isEqualTo(RestartPolicy.RESTART_POLICY_NEVER);
        assertThat(spec.getLabelsMap()).containsEntry("app", "web");
        assertThat(spec.getContainersList()).extracting(ContainerSpec::getName).containsExactly("server", "client");
        ContainerSpec server = spec.getContainers(0);
        assertThat(server.getImage()).isEqualTo("127.0.0.1:5000/demo/busybox:1");
        assertThat(server.getCommandList()).containsExactly("sh", "-c", "httpd -f -p 8080 -h /shared");
        assertThat(server.getEnvMap()).containsEntry("GREETING", "hello");
        assertThat(server.getResources().getCpuMillis()).isEqualTo(250);
        assertThat(server.getResources().getMemoryBytes()).isEqualTo(64L << 20);
        assertThat(spec.getContainers(1).getResources().getCpuMillis()).isEqualTo(100);
        ContainerSpec prepare = spec.getInitContainers(0);
        assertThat(prepare.getName()).isEqualTo("prepare");
        // No resources of its own: it runs within what the containers reserve.
        assertThat(prepare.getResources().getCpuMillis()).isEqualTo(350);
        assertThat(prepare.getResources().getMemoryBytes()).isEqualTo(96L << 20);
        assertThat(prepare.getVolumeMounts(0).getMountPath()).isEqualTo("/shared");
        assertThat(server.getPorts(0).getContainerPort()).isEqualTo(8080);
        assertThat(server.getPorts(0).getHostPort()).isEqualTo(18080);
        assertThat(server.getVolumeMounts(0).getName()).isEqualTo("shared");
        assertThat(spec.getVolumes(0).getName()).isEqualTo("shared");
        assertThat(spec.getVolumes(0).hasEmptyDir()).isTrue();
    }

    @Test
    void refusesAFieldItCannotCarryAndSendsNothing() throws IOException {
        Path file = dir.resolve("probe.yaml");
        Files.writeString(file, """
                name: web
                containers:
                  - name: server
                    command: [httpd]
                    livenessProbe: {httpGet: {port: 8080}}
                """);

        Cli.Result result = Cli.against(scheduler.address(), "apply", "-f", file.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEqualTo("error: " + file + ": containers[0].livenessProbe: not supported yet\n");
        assertThat(scheduler.requests).isEmpty();
    }

    @Test
    void namesAnUnknownField() throws IOException {
        Path file = dir.resolve("typo.json");
        Files.writeString(file, "{\"name\": \"web\", \"containers\": [{\"command\": [\"true\"], \"resourses\": {}}]}");

        Cli.Result result = Cli.against(scheduler.address(), "apply", "-f", file.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).startsWith("error: " + file + ": containers[0].resourses: unknown field");
        assertThat(result.stderrLines()).isEqualTo(1);
    }

    @Test
    void aMissingFileIsAFailure() {
        Cli.Result result = Cli.against(scheduler.address(), "apply", "-f", dir.resolve("nope.yaml").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).endsWith("nope.yaml: no such file\n");
    }

    @Test
    void withoutAFileItIsAUsageError() {
        assertThat(Cli.against(scheduler.address(), "apply").exitCode()).isEqualTo(2);
    }

    private Path copyResource(String name) throws IOException {
        Path file = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/specs/" + name)) {
            Files.copy(in, file);
        }
        return file;
    }
}
