package io.farget.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * Farget's logging set-up, in code rather than in a logback.xml: parsing XML costs a process about
 * 700 classes (logback's Joran and the JDK's XML parser), some 4 MB of the agent's resident memory,
 * for five lines of configuration. Found by logback through {@code META-INF/services}.
 *
 * <p>One line per event on stderr. {@code io.farget} logs at the {@code farget.log.level} system
 * property (daemons set INFO before their first log line; WARN otherwise); the libraries log
 * warnings only. An operator's own {@code -Dlogback.configurationFile=...}, or a logback-test.xml on
 * a test class path, is honoured instead: this configurator then steps aside.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n";
    private static final Map<String, Level> LIBRARIES = Map.of(
            "org.apache.zookeeper", Level.WARN,
            "org.apache.curator", Level.WARN,
            "io.grpc", Level.WARN);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();

        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        LIBRARIES.forEach((name, level) -> context.getLogger(name).setLevel(level));
        context.getLogger("io.farget").setLevel(Level.toLevel(System.getProperty("farget.log.level"), Level.WARN));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
