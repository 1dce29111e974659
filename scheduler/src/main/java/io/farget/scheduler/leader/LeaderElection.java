package io.farget.scheduler.leader;

import io.farget.placement.PlacementEngine;
import io.farget.scheduler.state.ClusterReader;
import io.farget.scheduler.state.LastKnownState;
import io.farget.scheduler.state.ZkLayout;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * a newer leader fences our writes, or on close. The selector requeues us afterwards, behind the
 * replicas already waiting, so a replica that keeps losing its connection (long GC pauses, a flaky
 * link) does not win the lock straight back: leadership does not flap between two sick replicas.
 *
 * <p>Stepping down leaves the term's state with {@link LastKnownState}: reads go on from it while
 * ZooKeeper is out of reach.
 */
public final class LeaderElection implements Leadership, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

    private final CuratorFramework client;
    private volatile String address;
    private final TermSettings settings;
    private final PlacementEngine engine;
    private final ClusterReader reader;
    private final LastKnownState lastKnown;
    /** When the ZooKeeper connection was last seen going away; null while connected. */
    private volatile Instant disconnectedSince;
    private final AtomicReference<LeaderTerm> current = new AtomicReference<>();
    private final LeaderSelector selector;
    /** Ours, so close() can wait for the selector to release its lock while ZooKeeper is still open. */
    private final ExecutorService selectorThread;
    private volatile boolean closing;

    public LeaderElection(CuratorFramework client, TermSettings settings, PlacementEngine engine, LastKnownState lastKnown) {
        this.client = client;
        this.settings = settings;
        this.engine = engine;
        this.reader = new ClusterReader(client);
        this.lastKnown = lastKnown;
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
            // Naming ourselves while we do not lead: a previous incarnation of this replica (killed,
            // restarted on the same address) whose session has yet to expire. An election is due.
            return reader.leaderAddress().filter(leader -> !leader.equals(address));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public Optional<ZooKeeperOutage> zooKeeperOutage() {
        if (client.getZookeeperClient().isConnected()) {
            return Optional.empty();
        }
        Instant since = disconnectedSince;
        Duration lasted = since == null ? Duration.ZERO : Duration.between(since, Instant.now());
        return Optional.of(new ZooKeeperOutage(client.getZookeeperClient().getCurrentConnectionString(), lasted));
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
            lastKnown.remember(term.state().pods(), term.state().nodes());
            term.close();
        }
    }

    private final class Listener implements LeaderSelectorListener {
        @Override
        public void takeLeadership(CuratorFramework c) throws Exception {
            if (closing) {
                return;
            }
            TakeoverPhases phases = TakeoverPhases.lockAcquired(Clock.systemUTC());
            CountDownLatch over = new CountDownLatch(1);
            LeaderTerm term;
            try {
                term = LeaderTerm.start(client, address, settings, engine, () -> {
                    current.set(null); // stop serving at once; this thread closes the term
                    over.countDown();
                }, phases);
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
                lastKnown.remember(term.state().pods(), term.state().nodes());
                term.close();
            }
        }

        @Override
        public void stateChanged(CuratorFramework c, ConnectionState newState) {
            if (newState.isConnected()) {
                if (disconnectedSince != null) {
                    log.info("ZooKeeper connection {} after {} ms", newState,
                            Duration.between(disconnectedSince, Instant.now()).toMillis());
                }
                disconnectedSince = null;
            } else if (disconnectedSince == null) {
                disconnectedSince = Instant.now();
                log.warn("ZooKeeper connection {}: writes are refused until it is back", newState);
            }
            if (c.getConnectionStateErrorPolicy().isErrorState(newState)) {
                stopActing("ZooKeeper connection " + newState);
                throw new CancelLeadershipException();
            }
        }
    }
}
