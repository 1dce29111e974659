package io.farget.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogConfiguratorTest {
    private final LoggerContext context = new LoggerContext();

    @AfterEach
    void cleanUp() {
        System.clearProperty("farget.log.level");
        context.stop();
    }

    @Test
    void logsOneLinePerEventOnStderrWithLibrariesAtWarn() {
        assertThat(configure()).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        assertThat(root.getAppender("STDERR")).isInstanceOfSatisfying(ConsoleAppender.class, stderr -> {
            assertThat(stderr.isStarted()).isTrue();
            assertThat(stderr.getTarget()).isEqualTo("System.err");
        });
        assertThat(context.getLogger("org.apache.zookeeper").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.grpc.netty").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.farget.agent").getEffectiveLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void fargetLogsAtTheLevelTheDaemonsSet() {
        System.setProperty("farget.log.level", "INFO");
        configure();

        assertThat(context.getLogger("io.farget.scheduler.Leader").getEffectiveLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("org.apache.curator").getEffectiveLevel()).isEqualTo(Level.WARN);
    }

    private ExecutionStatus configure() {
        LogConfigurator configurator = new LogConfigurator();
        configurator.setContext(context);
        return configurator.configure(context);
    }
}
