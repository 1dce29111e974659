package io.farget.agent.connect;

import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollChannelOption;
import java.time.Duration;

/**
 * How quickly the agent gives up on a link to the leader that stopped carrying packets.
 *
 * <p>Left to TCP's defaults, a connection through a cut cable stays "open" for about fifteen minutes,
 * and once the cable is back the first segment waits out a retransmission backoff that has grown
 * with the length of the cut: seconds during which the leader's kills for pods it has already moved
 * elsewhere sit undelivered, and both copies run. gRPC keepalive cannot help: it refuses pings
 * closer than 10 s apart. So the kernel is told instead: data the leader has not acknowledged
 * within {@link #UNACKNOWLEDGED} ends the connection ({@code TCP_USER_TIMEOUT}; the agent heartbeats,
 * so there is always data in flight), the connector redials on a fresh connection, and a dial that
 * gets no answer gives up after {@link #CONNECT} instead of Netty's 30 s, so the first attempt after
 * the link heals comes within one short backoff.
 */
public final class LinkTimeouts {
    /** Well past any round trip of a working network, well short of the 6 s before a silent node's pods move elsewhere by default. */
    public static final Duration UNACKNOWLEDGED = Duration.ofSeconds(5);
    /** One SYN retransmission (at 1 s) fits; a dial into a dead link is abandoned after that. */
    public static final Duration CONNECT = Duration.ofSeconds(2);

    private LinkTimeouts() {}

    /**
     * Applies both timeouts to a channel on Netty's default transport. {@code TCP_USER_TIMEOUT} needs
     * the epoll transport (Linux x86_64 and aarch64, bundled with gRPC); elsewhere only the connect
     * timeout applies.
     */
    public static NettyChannelBuilder apply(NettyChannelBuilder builder) {
        builder.withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT.toMillis());
        if (Epoll.isAvailable()) {
            builder.withOption(EpollChannelOption.TCP_USER_TIMEOUT, (int) UNACKNOWLEDGED.toMillis());
        }
        return builder;
    }
}
