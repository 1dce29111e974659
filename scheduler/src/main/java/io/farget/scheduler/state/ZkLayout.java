package io.farget.scheduler.state;

import io.farget.common.PodIds;
import io.farget.common.ZkPaths;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the scheduler keeps its state under {@code /farget}. Pods are spread over buckets named by
 * the first two characters of their id, so no single getChildren answer outgrows ZooKeeper's 1 MiB
 * jute.maxbuffer even at 100,000 pods (about 100 pods per bucket).
 */
public final class ZkLayout {
    public static final String ROOT = ZkPaths.ROOT;
    public static final String LEADER = ZkPaths.LEADER;
    public static final String SCHEDULERS = ZkPaths.SCHEDULERS;
    public static final String PODS = ROOT + "/pods";
    public static final String NODES = ROOT + "/nodes";
    /** Children named by client request id, data = the pod id it created. Looked up, never listed. */
    public static final String REQUESTS = ROOT + "/requests";
    /** Its version is the leadership epoch: every leader write checks it. */
    public static final String EPOCH = ROOT + "/epoch";
    public static final String ELECTION = ROOT + "/election";
    private static final int BUCKET_PREFIX = 2;

    private ZkLayout() {}

    public static String bucketOf(String podId) {
        return PODS + "/" + podId.substring(0, Math.min(BUCKET_PREFIX, podId.length()));
    }

    /** Every bucket a generated pod id can fall in: 1,024, one per two-character prefix. */
    public static List<String> allBuckets() {
        List<String> buckets = new ArrayList<>(PodIds.ALPHABET.length() * PodIds.ALPHABET.length());
        for (char first : PodIds.ALPHABET.toCharArray()) {
            for (char second : PodIds.ALPHABET.toCharArray()) {
                buckets.add(PODS + "/" + first + second);
            }
        }
        return buckets;
    }

    public static String pod(String podId) {
        return bucketOf(podId) + "/" + podId;
    }

    public static String node(String nodeId) {
        return NODES + "/" + nodeId;
    }

    public static String request(String requestId) {
        return REQUESTS + "/" + requestId;
    }

    public static String scheduler(String address) {
        return SCHEDULERS + "/" + address;
    }
}
