package io.farget.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServerAddressTest {
    @Test
    void parsesListsOfHostsAndPorts() {
        assertThat(ServerAddress.parseList("127.0.0.1:7070, localhost:7071,[::1]:7072,"))
                .containsExactly(new ServerAddress("127.0.0.1", 7070), new ServerAddress("localhost", 7071),
                        new ServerAddress("::1", 7072));
        assertThat(new ServerAddress("::1", 7072)).hasToString("[::1]:7072");
    }

    @Test
    void saysWhatIsWrong() {
        assertThatThrownBy(() -> ServerAddress.parse("localhost")).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> ServerAddress.parse("localhost:http")).hasMessageContaining("numeric port");
        assertThatThrownBy(() -> ServerAddress.parse("h:70000")).hasMessageContaining("between 1 and 65535");
        assertThatThrownBy(() -> ServerAddress.parse("::1:7070")).hasMessageContaining("[::1]:7070");
        assertThatThrownBy(() -> ServerAddress.parseList(" , ")).hasMessageContaining("no server address");
    }
}
