package io.farget.scheduler.state;

import io.farget.common.ErrorCode;
import io.farget.common.FargetException;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.Pod;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The leader's writes of pods, nodes and request ids; each one fenced by the leader's epoch. */
public final class ClusterWriter {
    private static final Logger log = LoggerFactory.getLogger(ClusterWriter.class);
    private final CuratorFramework client;
    private final FencedWriter fence;
    private final Set<String> knownBuckets = ConcurrentHashMap.newKeySet();
    private final PodEncoder encoder = new PodEncoder();

    public ClusterWriter(CuratorFramework client, FencedWriter fence) {
        this.client = client;
        this.fence = fence;
    }

    /**
     * Creates, at takeover, every pod bucket that does not exist yet (in a few multi-ops), so that no
     * pod's creation waits for one of its own: that was one more ZooKeeper round trip and disk sync,
     * 2-4 ms, on the start of most pods of a young cluster and of the first pods per bucket after
     * every takeover. Best effort: a bucket still missing is created when its first pod comes.
     */
    public void prepareBuckets() {
        List<String> missing;
        try {
            Set<String> existing = new HashSet<>();
            for (String child : client.getChildren().forPath(ZkLayout.PODS)) {
                existing.add(ZkLayout.PODS + "/" + child);
            }
            missing = ZkLayout.allBuckets().stream().filter(b -> !existing.contains(b)).toList();
            knownBuckets.addAll(existing);
        } catch (Exception e) {
            log.warn("Cannot list pod buckets, each will be created with its first pod: {}", e.toString());
            return;
        }
        for (int from = 0; from < missing.size(); from += FencedWriter.MAX_BATCH_OPS) {
            List<String> batch = missing.subList(from, Math.min(missing.size(), from + FencedWriter.MAX_BATCH_OPS));
            try {
                List<CuratorOp> creates = new ArrayList<>(batch.size());
                for (String bucket : batch) {
                    creates.add(client.transactionOp().create().forPath(bucket, new byte[0]));
                }
                client.transaction().forOperations(creates); // unfenced: an empty bucket is harmless whoever creates it
                knownBuckets.addAll(batch);
            } catch (Exception e) {
                log.debug("Creating {} pod buckets in one go failed ({}); they will be created with their first pods", batch.size(),
                        e.toString());
            }
        }
        log.debug("Pod buckets ready: {} created", missing.size());
    }

    public long epoch() {
        return fence.epoch();
    }

    /**
     * Creates the pod and, in the same multi-op, its request id. Nothing is created twice: when the
     * request id was already used, returns the id of the pod that first request created.
     */
    public Optional<String> createPod(Pod pod) {
        ensureBucket(ZkLayout.bucketOf(pod.getId()));
        List<ZkWrite> writes = new ArrayList<>(2);
        writes.add(new ZkWrite.Create(ZkLayout.pod(pod.getId()), encoder.encode(pod), CreateMode.PERSISTENT));
        boolean hasRequest = !pod.getRequestId().isEmpty();
        if (hasRequest) {
            writes.add(new ZkWrite.Create(ZkLayout.request(pod.getRequestId()),
                    pod.getId().getBytes(StandardCharsets.UTF_8), CreateMode.PERSISTENT));
        }
        try {
            fence.commit(writes);
            return Optional.empty();
        } catch (KeeperException.NodeExistsException e) {
            encoder.forget(pod.getId());
            if (hasRequest && failedAt(e, 2)) {
                return Optional.of(readRequest(pod.getRequestId()));
            }
            throw new FargetException(ErrorCode.INTERNAL, "pod id " + pod.getId() + " already exists", e);
        } catch (KeeperException e) {
            encoder.forget(pod.getId());
            throw FargetException.unavailable("ZooKeeper refused to create pod " + pod.getId() + ": " + e.code());
        }
    }

    /**
     * Creates many pods, each with its request id, in as few fenced multi-ops as their size allows
     * (one ZooKeeper round trip and disk sync per batch instead of per pod). A batch that hits an
     * existing node (a request id used before) is created again one pod at a time. Returns, per pod
     * in order, empty when it was created, or the id of the pod its request id created first.
     */
    public List<Optional<String>> createPods(List<Pod> pods) {
        List<Optional<String>> out = new ArrayList<>(pods.size());
        int from = 0;
        while (from < pods.size()) {
            int to = from;
            int bytes = 0;
            while (to < pods.size() && 2 * (to - from) + 2 <= FencedWriter.MAX_BATCH_OPS
                    && (to == from || bytes + pods.get(to).getSerializedSize() <= FencedWriter.MAX_BATCH_BYTES / 2)) {
                bytes += pods.get(to).getSerializedSize();
                to++;
            }
            List<Pod> batch = pods.subList(from, to);
            List<ZkWrite> writes = new ArrayList<>(batch.size() * 2);
            for (Pod pod : batch) {
                ensureBucket(ZkLayout.bucketOf(pod.getId()));
                writes.add(new ZkWrite.Create(ZkLayout.pod(pod.getId()), encoder.encode(pod), CreateMode.PERSISTENT));
                if (!pod.getRequestId().isEmpty()) {
                    writes.add(new ZkWrite.Create(ZkLayout.request(pod.getRequestId()),
                            pod.getId().getBytes(StandardCharsets.UTF_8), CreateMode.PERSISTENT));
                }
            }
            try {
                fence.commit(writes);
                batch.forEach(p -> out.add(Optional.empty()));
            } catch (KeeperException.NodeExistsException e) {
                batch.forEach(p -> out.add(createPod(p)));
            } catch (KeeperException e) {
                batch.forEach(p -> encoder.forget(p.getId()));
                throw FargetException.unavailable("ZooKeeper refused to create " + batch.size() + " pods: " + e.code());
            }
            from = to;
        }
        return out;
    }

    public void savePods(Collection<Pod> pods) {
        List<ZkWrite> writes = new ArrayList<>(pods.size());
        for (Pod pod : pods) {
            writes.add(new ZkWrite.Update(ZkLayout.pod(pod.getId()), encoder.encode(pod)));
        }
        commit(writes, "pods");
    }

    /**
     * Deletes finished pods and their request ids, fenced, in batches. A batch that meets a node
     * already gone is deleted again one pod at a time, skipping what is gone. Batched here, not by
     * {@link FencedWriter#commitInBatches}, so that a pod and its request id share a transaction
     * (but in that one-at-a-time retry): a request id left behind its deleted pod would answer a
     * retried create with a pod that is not there.
     */
    public void deletePods(Collection<Pod> pods) {
        List<ZkWrite> batch = new ArrayList<>();
        List<Pod> inBatch = new ArrayList<>();
        for (Pod pod : pods) {
            if (batch.size() + 2 > FencedWriter.MAX_BATCH_OPS) {
                deleteBatch(inBatch, batch);
                batch = new ArrayList<>();
                inBatch = new ArrayList<>();
            }
            batch.addAll(deletesOf(pod));
            inBatch.add(pod);
        }
        deleteBatch(inBatch, batch);
    }

    private static List<ZkWrite> deletesOf(Pod pod) {
        List<ZkWrite> deletes = new ArrayList<>(2);
        deletes.add(new ZkWrite.Delete(ZkLayout.pod(pod.getId())));
        if (!pod.getRequestId().isEmpty()) {
            deletes.add(new ZkWrite.Delete(ZkLayout.request(pod.getRequestId())));
        }
        return deletes;
    }

    private void deleteBatch(List<Pod> pods, List<ZkWrite> deletes) {
        if (deletes.isEmpty()) {
            return;
        }
        try {
            fence.commit(deletes);
        } catch (KeeperException.NoNodeException gone) {
            for (Pod pod : pods) {
                for (ZkWrite delete : deletesOf(pod)) {
                    try {
                        fence.commit(List.of(delete));
                    } catch (KeeperException.NoNodeException alreadyGone) {
                        // deleted before (a takeover in the middle of a batch)
                    } catch (KeeperException e) {
                        throw FargetException.unavailable("ZooKeeper refused to delete " + delete.path() + ": " + e.code());
                    }
                }
            }
        } catch (KeeperException e) {
            throw FargetException.unavailable("ZooKeeper refused to delete " + pods.size() + " finished pods: " + e.code());
        } finally {
            pods.forEach(p -> encoder.forget(p.getId()));
        }
    }

    /** Saves nodes; {@code existing} says which are already stored (create vs update). */
    public void saveNodes(Collection<Node> nodes, Set<String> existing) {
        List<ZkWrite> writes = new ArrayList<>(nodes.size());
        for (Node node : nodes) {
            String path = ZkLayout.node(node.getId());
            writes.add(existing.contains(node.getId())
                    ? new ZkWrite.Update(path, node.toByteArray())
                    : new ZkWrite.Create(path, node.toByteArray(), CreateMode.PERSISTENT));
        }
        commit(writes, "nodes");
    }

    /** Replaces whatever {@code /farget/leader} says with our address, as an ephemeral of our session. */
    public void publishLeader(String address) {
        List<ZkWrite> writes = new ArrayList<>(2);
        try {
            if (client.checkExists().forPath(ZkLayout.LEADER) != null) {
                writes.add(new ZkWrite.Delete(ZkLayout.LEADER));
            }
        } catch (Exception e) {
            throw FargetException.unavailable("cannot read " + ZkLayout.LEADER + ": " + e);
        }
        writes.add(new ZkWrite.Create(ZkLayout.LEADER, address.getBytes(StandardCharsets.UTF_8), CreateMode.EPHEMERAL));
        commit(writes, "leader address");
    }

    private void commit(List<ZkWrite> writes, String what) {
        try {
            fence.commitInBatches(writes);
        } catch (KeeperException e) {
            throw FargetException.unavailable("ZooKeeper refused to save " + what + ": " + e.code() + " " + e.getPath());
        }
    }

    private void ensureBucket(String bucket) {
        if (knownBuckets.contains(bucket)) {
            return;
        }
        try {
            // Unfenced, but an empty bucket folder is harmless whoever creates it.
            client.create().creatingParentsIfNeeded().forPath(bucket, new byte[0]);
        } catch (KeeperException.NodeExistsException exists) {
            // fine
        } catch (Exception e) {
            throw FargetException.unavailable("cannot create " + bucket + ": " + e);
        }
        knownBuckets.add(bucket);
    }

    private String readRequest(String requestId) {
        try {
            return new String(client.getData().forPath(ZkLayout.request(requestId)), StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw FargetException.unavailable("cannot read request " + requestId + ": " + e);
        }
    }

    /** Whether operation {@code index} of the multi-op (0 = the epoch check) is the one that failed. */
    private static boolean failedAt(KeeperException e, int index) {
        List<OpResult> results = e.getResults();
        return results != null && results.size() > index
                && results.get(index) instanceof OpResult.ErrorResult error
                && error.getErr() == KeeperException.Code.NODEEXISTS.intValue();
    }
}
