package io.farget.bench.cluster;

import io.farget.agent.connect.Dialer;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Channels for a hollow fleet: each agent gets a channel (its own TCP connection and stream), all
 * on one Netty event loop group, whose threads also run the streams' callbacks. An agent shutting
 * its channel down leaves the group running; it stops with the fleet.
 */
final class SharedDialer implements Dialer, AutoCloseable {
    private final EventLoopGroup loops;

    SharedDialer(int eventLoops) {
        this.loops = new NioEventLoopGroup(eventLoops, threads("hollow-netty"));
    }

    @Override
    public ManagedChannel dial(String address) {
        return NettyChannelBuilder.forTarget(address)
                .usePlaintext()
                .eventLoopGroup(loops)
                .channelType(NioSocketChannel.class)
                // The agent's stream callbacks only queue work (launches go to its command executor),
                // so they run on the event loop: no thread wake-up per message across the fleet.
                .directExecutor()
                .build();
    }

    @Override
    public void close() {
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    static ThreadFactory threads(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
