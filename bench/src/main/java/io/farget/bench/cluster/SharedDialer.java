package io.farget.bench.cluster;

import io.farget.agent.connect.Dialer;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Channels for a hollow fleet: each agent gets a channel (its own TCP connection and stream), all
 * on one Netty event loop group and one callback executor. An agent shutting its channel down leaves
 * them running; they stop with the fleet.
 */
final class SharedDialer implements Dialer, AutoCloseable {
    private final EventLoopGroup loops;
    private final ExecutorService callbacks;

    SharedDialer(int eventLoops, int callbackThreads) {
        this.loops = new NioEventLoopGroup(eventLoops, threads("hollow-netty"));
        this.callbacks = Executors.newFixedThreadPool(callbackThreads, threads("hollow-grpc"));
    }

    @Override
    public ManagedChannel dial(String address) {
        return NettyChannelBuilder.forTarget(address)
                .usePlaintext()
                .eventLoopGroup(loops)
                .channelType(NioSocketChannel.class)
                .executor(callbacks)
                .build();
    }

    @Override
    public void close() {
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        callbacks.shutdownNow();
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
