package io.farget.scheduler.state;

import org.apache.zookeeper.CreateMode;

/** One operation of a fenced multi-op; plain data, so batches can be sized before they are sent. */
public sealed interface ZkWrite {
    String path();

    /** Bytes this write adds to a multi-op request, roughly. */
    int weight();

    record Create(String path, byte[] data, CreateMode mode) implements ZkWrite {
        public int weight() {
            return path.length() + data.length;
        }
    }

    record Update(String path, byte[] data) implements ZkWrite {
        public int weight() {
            return path.length() + data.length;
        }
    }

    record Delete(String path) implements ZkWrite {
        public int weight() {
            return path.length();
        }
    }
}
