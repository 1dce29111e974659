package io.farget.sandbox.runc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecProcessSpecTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            {"ociVersion": "1.0.2", "process": {"terminal": false, "user": {"uid": 1000, "gid": 1000},
             "args": ["sleep", "60"], "env": ["PATH=/bin"], "cwd": "/work",
             "capabilities": {"bounding": ["CAP_KILL"]}, "noNewPrivileges": true},
             "root": {"path": "rootfs"}}
            """;

    @Test
    void keepsTheContainersProcessWithTheCommandATerminalAndItsSize() throws IOException {
        JsonNode process = JSON.readTree(ExecProcessSpec.of(CONFIG, List.of("sh", "-l"), 30, 100));

        assertThat(process.path("args")).containsExactly(JSON.readTree("\"sh\""), JSON.readTree("\"-l\""));
        assertThat(process.path("terminal").asBoolean()).isTrue();
        assertThat(process.path("consoleSize").path("height").asInt()).isEqualTo(30);
        assertThat(process.path("consoleSize").path("width").asInt()).isEqualTo(100);
        assertThat(process.path("user").path("uid").asInt()).isEqualTo(1000);
        assertThat(process.path("cwd").asText()).isEqualTo("/work");
        assertThat(process.path("noNewPrivileges").asBoolean()).isTrue();
        assertThat(process.path("capabilities").path("bounding").get(0).asText()).isEqualTo("CAP_KILL");
        assertThat(process.path("env").toString()).contains("PATH=/bin", "TERM=xterm");
    }

    @Test
    void anUnknownSizeIsLeftToTheKernelAndAnImagesTermIsKept() throws IOException {
        String withTerm = CONFIG.replace("\"PATH=/bin\"", "\"PATH=/bin\", \"TERM=vt100\"");

        JsonNode process = JSON.readTree(ExecProcessSpec.of(withTerm, List.of("sh"), 0, 0));

        assertThat(process.has("consoleSize")).isFalse();
        assertThat(process.path("env").toString()).contains("TERM=vt100").doesNotContain("xterm");
    }

    @Test
    void refusesAConfigWithoutAProcess() {
        assertThatThrownBy(() -> ExecProcessSpec.of("{\"root\": {}}", List.of("sh"), 0, 0)).isInstanceOf(IOException.class);
    }
}
