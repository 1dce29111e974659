package io.farget.scheduler.metering;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.farget.proto.v1.LedgerEntry;
import io.farget.proto.v1.LedgerShard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Writes a shard's records as the bytes of a {@link LedgerShard} without building the entries.
 * A flush rewrites every running pod's entry (its counters moved), but its facts (labels and
 * all) rarely change. Protocol Buffers parse the concatenation of two encodings of one message as
 * their merge, and facts and counters set disjoint fields, so an entry is written as its cached
 * facts' bytes followed by its counters' bytes. Parsing the result gives exactly the entries
 * {@link LedgerRecord#toEntry} makes (tested).
 */
final class ShardEncoding {
    private static final int ENTRIES_FIELD = LedgerShard.ENTRIES_FIELD_NUMBER;

    private ShardEncoding() {}

    static byte[] encode(Collection<LedgerRecord> records) {
        List<byte[]> facts = new ArrayList<>(records.size());
        List<LedgerEntry> counters = new ArrayList<>(records.size());
        int total = 0;
        for (LedgerRecord record : records) {
            byte[] f = record.encodedFacts();
            LedgerEntry c = record.counters();
            int length = f.length + c.getSerializedSize();
            total += CodedOutputStream.computeTagSize(ENTRIES_FIELD) + CodedOutputStream.computeUInt32SizeNoTag(length) + length;
            facts.add(f);
            counters.add(c);
        }
        byte[] out = new byte[total];
        CodedOutputStream stream = CodedOutputStream.newInstance(out);
        try {
            for (int i = 0; i < facts.size(); i++) {
                byte[] f = facts.get(i);
                LedgerEntry c = counters.get(i);
                stream.writeTag(ENTRIES_FIELD, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                stream.writeUInt32NoTag(f.length + c.getSerializedSize()); // sizes are memoized by the message
                stream.writeRawBytes(f);
                c.writeTo(stream);
            }
            stream.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("ledger shard sizes were computed wrong", e); // a bug, never I/O: it is an array
        }
        return out;
    }
}
