package io.farget.scheduler.state;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.farget.common.PodPhases;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serializes pods for their znodes, the spec of each serialized once: a pod is stored again at
 * every status change (placed, starting, running, finished), and its spec, by far the largest part
 * (containers, env, labels maps), never changes. The bytes are exactly {@code pod.toByteArray()}:
 * protobuf writes fields in number order, and so does this, with the spec's bytes taken from a
 * cache kept per pod while the pod is not finished (a finished pod is seldom stored again).
 *
 * <p>Should {@link Pod} gain a field this class does not know, it falls back to
 * {@code toByteArray} for every pod rather than drop the field.
 */
final class PodEncoder {
    private static final boolean KNOWN_LAYOUT = knownLayout();

    /** A spec and its bytes: valid while the pod still holds this very spec object. */
    private record SpecBytes(PodSpec spec, ByteString bytes) {}

    private final Map<String, SpecBytes> specs = new ConcurrentHashMap<>();

    /** The pod's znode data, as {@code pod.toByteArray()} would give it. */
    byte[] encode(Pod pod) {
        if (!KNOWN_LAYOUT || !pod.getUnknownFields().asMap().isEmpty()) {
            return pod.toByteArray();
        }
        ByteString spec = pod.hasSpec() ? specBytes(pod) : null;
        byte[] out = new byte[size(pod, spec)];
        CodedOutputStream stream = CodedOutputStream.newInstance(out);
        try {
            if (!pod.getId().isEmpty()) {
                stream.writeString(Pod.ID_FIELD_NUMBER, pod.getId());
            }
            if (spec != null) {
                stream.writeBytes(Pod.SPEC_FIELD_NUMBER, spec); // a message field is length-delimited, like bytes
            }
            if (pod.hasStatus()) {
                stream.writeMessage(Pod.STATUS_FIELD_NUMBER, pod.getStatus());
            }
            if (pod.getDesiredValue() != 0) {
                stream.writeEnum(Pod.DESIRED_FIELD_NUMBER, pod.getDesiredValue());
            }
            if (pod.hasUsage()) {
                stream.writeMessage(Pod.USAGE_FIELD_NUMBER, pod.getUsage());
            }
            if (!pod.getRequestId().isEmpty()) {
                stream.writeString(Pod.REQUEST_ID_FIELD_NUMBER, pod.getRequestId());
            }
            stream.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("encoding pod " + pod.getId(), e); // a sizing bug: the array is exact
        }
        if (PodPhases.isTerminal(pod.getStatus().getPhase())) {
            specs.remove(pod.getId());
        }
        return out;
    }

    /** Drops what is kept for a pod that was not stored after all (its request id had made another). */
    void forget(String podId) {
        specs.remove(podId);
    }

    /** How many pods' specs are kept (tests). */
    int cachedSpecs() {
        return specs.size();
    }

    private ByteString specBytes(Pod pod) {
        SpecBytes cached = specs.get(pod.getId());
        if (cached != null && cached.spec() == pod.getSpec()) {
            return cached.bytes();
        }
        ByteString bytes = pod.getSpec().toByteString();
        specs.put(pod.getId(), new SpecBytes(pod.getSpec(), bytes));
        return bytes;
    }

    private static int size(Pod pod, ByteString spec) {
        int size = 0;
        if (!pod.getId().isEmpty()) {
            size += CodedOutputStream.computeStringSize(Pod.ID_FIELD_NUMBER, pod.getId());
        }
        if (spec != null) {
            size += CodedOutputStream.computeBytesSize(Pod.SPEC_FIELD_NUMBER, spec);
        }
        if (pod.hasStatus()) {
            size += CodedOutputStream.computeMessageSize(Pod.STATUS_FIELD_NUMBER, pod.getStatus());
        }
        if (pod.getDesiredValue() != 0) {
            size += CodedOutputStream.computeEnumSize(Pod.DESIRED_FIELD_NUMBER, pod.getDesiredValue());
        }
        if (pod.hasUsage()) {
            size += CodedOutputStream.computeMessageSize(Pod.USAGE_FIELD_NUMBER, pod.getUsage());
        }
        if (!pod.getRequestId().isEmpty()) {
            size += CodedOutputStream.computeStringSize(Pod.REQUEST_ID_FIELD_NUMBER, pod.getRequestId());
        }
        return size;
    }

    /** Whether {@link Pod} has exactly the fields written above. */
    private static boolean knownLayout() {
        List<Integer> numbers = Pod.getDescriptor().getFields().stream().map(FieldDescriptor::getNumber).toList();
        return numbers.equals(List.of(Pod.ID_FIELD_NUMBER, Pod.SPEC_FIELD_NUMBER, Pod.STATUS_FIELD_NUMBER,
                Pod.DESIRED_FIELD_NUMBER, Pod.USAGE_FIELD_NUMBER, Pod.REQUEST_ID_FIELD_NUMBER));
    }
}
