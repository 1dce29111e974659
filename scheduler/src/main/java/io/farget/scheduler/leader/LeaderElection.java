package io.farget.scheduler.leader;

import io.farget.placement.PlacementEngine;
import io.farget.scheduler.state.ClusterReader;
import io.farget.scheduler.state.ZkLayout;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.CancelLeadershipException;
import org.apache.curator.framework.recipes.leader.LeaderSelector;
import org.apache.curator.framework.recipes.leader.LeaderSelectorListener;
import org.apache.curator.framework.state.ConnectionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Competes for leadership with Curator's LeaderSelector under /farget/election. While we lead, a
 * {@link LeaderTerm} runs; it ends at once when the ZooKeeper connection is SUSPENDED or LOST, when
 * a newer leader fences our writes, or on close. The selector requeues us afterwards.
 */
public final class LeaderElection implements Leadership, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

    private final CuratorFramework client;
    private volatile String address;
    private final TermSettings settings;
    private final PlacementEngine engine;
    private final ClusterReader reader;
    private final AtomicReference<LeaderTerm> current = new AtomicReference<>();
    private final LeaderSelector selector;
    /** Ours, so close() can wait for the selector to release its lock while ZooKeeper is still open. */
    private final ExecutorService selectorThread;
    private volatile boolean closing;

    public LeaderElection(CuratorFramework client, TermSettings settings, PlacementEngine engine) {
        this.client = client;
        this.settings = settings;
        this.engine = engine;
        this.reader = new ClusterReader(client);
        this.selectorThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "farget-leader-election");
            t.setDaemon(true);
            return t;
        });
        this.selector = new LeaderSelector(client, ZkLayout.ELECTION, selectorThread, new Listener());
        selector.autoRequeue();
    }

    /** Joins the election as {@code address} (HOST:PORT), known once the gRPC server is bound. */
    public void start(String address) {
        this.address = address;
        selector.setId(address);
        selector.start();
    }

    /** Waits until this replica leads; false when {@code timeout} passed first. */
    public boolean awaitLeadership(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (current) {
            while (current.get() == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(current, left);
            }
            return true;
        }
    }

    private void lead(LeaderTerm term) {
        synchronized (current) {
            current.set(term);
            current.notifyAll();
        }
    }

    @Override
    public Optional<LeaderTerm> current() {
        return Optional.ofNullable(current.get());
    }

    @Override
    public Optional<String> leaderAddress() {
        LeaderTerm term = current.get();
        if (term != null) {
            return Optional.of(address);
        }
        if (!client.getZookeeperClient().isConnected()) {
            return Optional.empty(); // answer now rather than wait out Curator's retries
        }
        try {
            return reader.leaderAddress();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public String address() {
        return address;
    }

    /** Stops leading (if we do) before leaving the election. */
    @Override
    public void close() {
        closing = true;
        stopActing("scheduler closing");
        selector.close();
        selectorThread.shutdown();
        try {
            if (!selectorThread.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("Leader election thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopActing(String why) {
        LeaderTerm term = current.getAndSet(null);
        if (term != null) {
            log.info("Stepping down as leader: {}", why);
            term.close();
        }
    }

    private final class Listener implements LeaderSelectorListener {
        @Override
        public void takeLeadership(CuratorFramework c) throws Exception {
            if (closing) {
                return;
            }
            CountDownLatch over = new CountDownLatch(1);
            LeaderTerm term;
            try {
                term = LeaderTerm.start(client, address, settings, engine, () -> {
                    current.set(null); // stop serving at once; this thread closes the term
                    over.countDown();
                });
            } catch (RuntimeException e) {
                log.warn("Could not take leadership: {}", e.getMessage());
                over.await(1, TimeUnit.SECONDS); // do not spin on a sick ZooKeeper
                return;
            }
            lead(term);
            if (closing) {
                over.countDown();
            }
            try {
                over.await();
                log.warn("Fenced out by a newer leader");
            } finally {
                current.compareAndSet(term, null);
                term.close();
            }
        }

        @Override
        public void stateChanged(CuratorFramework c, ConnectionState newState) {
            if (c.getConnectionStateErrorPolicy().isErrorState(newState)) {
                stopActing("ZooKeeper connection " + newState);
                throw new CancelLeadershipException();
            }
        }
    }
}
