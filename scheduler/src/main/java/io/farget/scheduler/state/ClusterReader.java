package io.farget.scheduler.state;

import com.google.protobuf.InvalidProtocolBufferException;
import io.farget.common.FargetException;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.Pod;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.BackgroundCallback;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Reads the stored state straight from ZooKeeper: what a new leader loads at takeover and what a
 * standby answers reads with. Bulk loads pipeline their getData calls instead of waiting on each.
 */
public final class ClusterReader {
    private static final int WINDOW = 2_000;
    private static final long LOAD_TIMEOUT_SECONDS = 60;

    private final CuratorFramework client;

    public ClusterReader(CuratorFramework client) {
        this.client = client;
    }

    public List<Pod> loadPods() {
        List<String> buckets = children(ZkLayout.PODS).stream().map(b -> ZkLayout.PODS + "/" + b).toList();
        // Up to 1024 buckets: listed in one pipelined round, not one round trip each (takeover time).
        List<String> paths = pipelined(buckets, (bucket, event) -> event.getChildren().stream().map(id -> bucket + "/" + id).toList(),
                (client, path, callback) -> client.getChildren().inBackground(callback).forPath(path))
                .stream().flatMap(List::stream).toList();
        return readAll(paths, Pod::parseFrom);
    }

    public List<Node> loadNodes() {
        List<String> paths = children(ZkLayout.NODES).stream().map(ZkLayout::node).toList();
        return readAll(paths, Node::parseFrom);
    }

    public Optional<Pod> readPod(String podId) {
        if (podId.length() < 2 || podId.contains("/")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Pod.parseFrom(client.getData().forPath(ZkLayout.pod(podId))));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw unavailable(e);
        }
    }

    /** HOST:PORT of the current leader, if one is elected. */
    public Optional<String> leaderAddress() {
        try {
            return Optional.of(new String(client.getData().forPath(ZkLayout.LEADER), StandardCharsets.UTF_8));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw unavailable(e);
        }
    }

    /** HOST:PORT of every live scheduler replica. */
    public List<String> schedulers() {
        return children(ZkLayout.SCHEDULERS).stream().sorted().toList();
    }

    public long epoch() {
        return EpochFence.current(client);
    }

    private List<String> children(String path) {
        try {
            Stat stat = client.checkExists().forPath(path);
            return stat == null ? List.of() : client.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (Exception e) {
            throw unavailable(e);
        }
    }

    private <T> List<T> readAll(List<String> paths, Parser<T> parser) {
        return pipelined(paths, (path, event) -> parser.parse(event.getData()),
                (client, path, callback) -> client.getData().inBackground(callback).forPath(path));
    }

    /**
     * Runs {@code request} for every path with at most {@link #WINDOW} in flight, and gathers what
     * {@code result} makes of each answer. Paths deleted meanwhile are skipped.
     */
    private <T> List<T> pipelined(List<String> paths, Result<T> result, Request request) {
        ConcurrentLinkedQueue<T> out = new ConcurrentLinkedQueue<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        for (int from = 0; from < paths.size(); from += WINDOW) {
            List<String> window = paths.subList(from, Math.min(paths.size(), from + WINDOW));
            CountDownLatch done = new CountDownLatch(window.size());
            for (String path : window) {
                try {
                    request.send(client, path, (c, event) -> {
                        try {
                            if (event.getResultCode() == KeeperException.Code.OK.intValue()) {
                                out.add(result.of(path, event));
                            } else if (event.getResultCode() != KeeperException.Code.NONODE.intValue()) {
                                failure.compareAndSet(null, KeeperException.create(KeeperException.Code.get(event.getResultCode()), path));
                            }
                        } catch (InvalidProtocolBufferException e) {
                            failure.compareAndSet(null, e);
                        } finally {
                            done.countDown();
                        }
                    });
                } catch (Exception e) {
                    throw unavailable(e);
                }
            }
            try {
                if (!done.await(LOAD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw FargetException.unavailable("timed out reading state from ZooKeeper");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw FargetException.unavailable("interrupted while reading state from ZooKeeper");
            }
            if (failure.get() != null) {
                throw unavailable(failure.get());
            }
        }
        return new ArrayList<>(out);
    }

    private static FargetException unavailable(Exception e) {
        return FargetException.unavailable("ZooKeeper read failed: " + e);
    }

    @FunctionalInterface
    private interface Parser<T> {
        T parse(byte[] data) throws InvalidProtocolBufferException;
    }

    @FunctionalInterface
    private interface Result<T> {
        T of(String path, CuratorEvent event) throws InvalidProtocolBufferException;
    }

    @FunctionalInterface
    private interface Request {
        void send(CuratorFramework client, String path, BackgroundCallback callback) throws Exception;
    }
}
