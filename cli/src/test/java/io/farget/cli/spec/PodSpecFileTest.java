package io.farget.cli.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.farget.proto.v1.Arch;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.RestartPolicy;
import org.junit.jupiter.api.Test;

class PodSpecFileTest {
    @Test
    void readsEveryField() {
        PodSpec spec = PodSpecFile.parse("""
                name: job
                arch: aarch64
                restart: on-failure
                labels: {team: data, tier: 2}
                containers:
                  - name: main
                    image: busybox:1
                    command: [sleep]
                    args: [10]
                    env: {PORT: 8080, MODE: fast}
                    workingDir: /tmp
                    resources: {cpu: 500m, memory: 1Gi}
                """);

        assertThat(spec.getName()).isEqualTo("job");
        assertThat(spec.getArch()).isEqualTo(Arch.ARCH_AARCH64);
        assertThat(spec.getRestart()).isEqualTo(RestartPolicy.RESTART_POLICY_ON_FAILURE);
        assertThat(spec.getLabelsMap()).containsEntry("team", "data").containsEntry("tier", "2");
        ContainerSpec main = spec.getContainers(0);
        assertThat(main.getCommandList()).containsExactly("sleep", "10");
        assertThat(main.getEnvMap()).containsEntry("PORT", "8080").containsEntry("MODE", "fast");
        assertThat(main.getWorkingDir()).isEqualTo("/tmp");
        assertThat(main.getResources().getCpuMillis()).isEqualTo(500);
        assertThat(main.getResources().getMemoryBytes()).isEqualTo(1L << 30);
    }

    @Test
    void acceptsKubernetesStyleEnvListsAndRestartNames() {
        PodSpec spec = PodSpecFile.parse("""
                {"name": "x", "restart": "OnFailure",
                 "containers": [{"command": ["true"], "env": [{"name": "A", "value": "1"}]}]}
                """);

        assertThat(spec.getRestart()).isEqualTo(RestartPolicy.RESTART_POLICY_ON_FAILURE);
        assertThat(spec.getContainers(0).getEnvMap()).containsEntry("A", "1");
    }

    @Test
    void fillsInDefaultResourcesPerField() {
        PodSpec spec = PodSpecFile.parse("""
                name: x
                containers:
                  - command: ["true"]
                  - command: ["true"]
                    resources: {cpu: 2}
                """);

        assertThat(spec.getContainers(0).getResources().getCpuMillis()).isEqualTo(SpecDefaults.CPU_MILLIS);
        assertThat(spec.getContainers(0).getResources().getMemoryBytes()).isEqualTo(SpecDefaults.MEMORY_BYTES);
        assertThat(spec.getContainers(1).getResources().getCpuMillis()).isEqualTo(2000);
        assertThat(spec.getContainers(1).getResources().getMemoryBytes()).isEqualTo(SpecDefaults.MEMORY_BYTES);
    }

    @Test
    void readsVolumesMountsPortsAndUsers() {
        PodSpec spec = PodSpecFile.parse("""
                name: x
                network: none
                terminationGracePeriodSeconds: 2.5
                volumes:
                  - {name: scratch, emptyDir: {medium: Memory, sizeLimit: 16Mi}}
                  - {name: data, hostPath: {path: /srv/data, readWrite: true}}
                containers:
                  - command: ["true"]
                    securityContext: {runAsUser: 1000, runAsGroup: 100}
                    ports: [{containerPort: 53, protocol: UDP}]
                    volumeMounts: [{name: data, mountPath: /data, readOnly: true}]
                """);

        assertThat(spec.getNetwork()).isEqualTo("none");
        assertThat(spec.getTerminationGracePeriodMillis()).isEqualTo(2500);
        assertThat(spec.getVolumes(0).getEmptyDir().getMemory()).isTrue();
        assertThat(spec.getVolumes(0).getEmptyDir().getSizeLimitBytes()).isEqualTo(16L << 20);
        assertThat(spec.getVolumes(1).getHostPath().getPath()).isEqualTo("/srv/data");
        assertThat(spec.getVolumes(1).getHostPath().getReadWrite()).isTrue();
        ContainerSpec c = spec.getContainers(0);
        assertThat(c.getUser()).isEqualTo("1000:100");
        assertThat(c.getPorts(0).getContainerPort()).isEqualTo(53);
        assertThat(c.getPorts(0).getHostPort()).isZero();
        assertThat(c.getPorts(0).getProtocol()).isEqualTo("udp");
        assertThat(c.getVolumeMounts(0).getReadOnly()).isTrue();
    }

    @Test
    void namesBadVolumesAndPorts() {
        assertRejected("name: x\nvolumes: [{name: v}]\n", "volumes[0]: needs a source");
        assertRejected("name: x\nvolumes: [{name: v, emptyDir: {medium: Disk}}]\n", "volumes[0].emptyDir.medium: 'Disk'");
        assertRejected("name: x\ncontainers: [{command: [a], ports: [{containerPort: http}]}]\n",
                "containers[0].ports[0].containerPort: must be a whole number");
        assertRejected("name: x\ncontainers: [{command: [a], volumeMounts: [{name: v, readOnly: yes please}]}]\n",
                "containers[0].volumeMounts[0].readOnly: must be true or false");
    }

    @Test
    void passesAnExplicitZeroOnForTheSchedulerToJudge() {
        PodSpec spec = PodSpecFile.parse("{\"name\": \"x\", \"containers\": [{\"command\": [\"true\"], \"resources\": {\"cpu\": 0}}]}");

        assertThat(spec.getContainers(0).getResources().getCpuMillis()).isZero();
    }

    @Test
    void namesFieldsItCannotCarryYet() {
        assertRejected("name: x\naffinity: {}\ncontainers: [{command: [\"true\"]}]\n",
                "affinity: not supported yet");
        assertRejected("name: x\ninitContainers: [{command: [\"true\"], readinessProbe: {}}]\ncontainers: []\n",
                "initContainers[0].readinessProbe: not supported yet");
        assertRejected("name: x\ncontainers: [{command: [\"true\"], securityContext: {privileged: true}}]\n",
                "containers[0].securityContext.privileged: not supported yet");
        assertRejected("name: x\nvolumes: [{name: v, secret: {}}]\n", "volumes[0].secret: not supported yet");
    }

    @Test
    void namesUnknownFields() {
        assertThatThrownBy(() -> PodSpecFile.parse("apiVersion: v1\nkind: Pod\n"))
                .hasMessageStartingWith("apiVersion: unknown field");
        assertThatThrownBy(() -> PodSpecFile.parse("name: x\ncontainers: [{command: [a], resources: {cpus: 1}}]\n"))
                .hasMessageStartingWith("containers[0].resources.cpus: unknown field");
    }

    @Test
    void namesValuesOfTheWrongShape() {
        assertRejected("name: x\ncontainers: [{command: \"echo hi\"}]\n", "containers[0].command: must be a list of strings");
        assertRejected("name: x\ncontainers: {command: [a]}\n", "containers: must be a list of containers");
        assertRejected("name: x\ncontainers: [{command: [a], resources: {memory: lots}}]\n",
                "containers[0].resources.memory: 'lots' is not a size");
        assertRejected("name: x\narch: sparc\ncontainers: []\n", "arch: 'sparc' is not an architecture");
        assertRejected("name: x\nrestart: sometimes\n", "restart: 'sometimes' is not never, on-failure or always");
        assertRejected("- just\n- a list\n", "must be a map of fields");
    }

    @Test
    void reportsSyntaxErrorsWithTheirLine() {
        assertThatThrownBy(() -> PodSpecFile.parse("name: x\ncontainers: [\n  {command: [a]\n"))
                .hasMessageStartingWith("not valid YAML")
                .hasMessageContaining("line");
        assertThatThrownBy(() -> PodSpecFile.parse("{\"name\": }"))
                .hasMessageStartingWith("not valid JSON");
        assertThatThrownBy(() -> PodSpecFile.parse("name: a\nname: b\n"))
                .hasMessageContaining("name");
        assertThatThrownBy(() -> PodSpecFile.parse(""))
                .hasMessage("the file holds no pod spec");
    }

    private static void assertRejected(String text, String message) {
        assertThatThrownBy(() -> PodSpecFile.parse(text)).isInstanceOf(SpecException.class).hasMessageStartingWith(message);
    }
}
