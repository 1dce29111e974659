package io.farget.agent.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodReport;
import io.farget.proto.v1.PodUsage;
import io.farget.proto.v1.PodUsageSample;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The journal's file stays what it was: JSON whose messages read back with the JDK's plain base64. */
class UsageJournalFileTest {
    @Test
    void writesEachMessageAsStandardBase64OfItsProtobufUnderTheDocumentedFields() throws Exception {
        PodUsageSample sample = PodUsageSample.newBuilder().setPodId("p1").setAttempt(2)
                .setUsage(PodUsage.newBuilder().setSampleSeq(7).setCpuNanos(123_456_789L).setMemoryBytes(3L << 30)).build();
        PodReport report = PodReport.newBuilder().setPodId("p2").setAttempt(1).setPhase(PodPhase.POD_PHASE_SUCCEEDED)
                .setReason("a reason with \"quotes\" and ünïcode").build();
        Map<String, Encoded<?>> last = new LinkedHashMap<>();
        last.put("p1", Encoded.of(sample));
        Map<String, Encoded<?>> finals = new LinkedHashMap<>();
        finals.put("p2", Encoded.of(report));

        byte[] written = UsageJournalFile.write(new UsageJournalFile.Contents(
                List.of(Encoded.of(sample)), last, finals, Map.of("p1", 42L, "p2", 43L)));

        JsonNode root = new ObjectMapper().readTree(written);
        Base64.Decoder b64 = Base64.getDecoder();
        assertThat(PodUsageSample.parseFrom(b64.decode(root.get("pending").get(0).asText()))).isEqualTo(sample);
        assertThat(PodUsageSample.parseFrom(b64.decode(root.get("last").get("p1").asText()))).isEqualTo(sample);
        assertThat(PodReport.parseFrom(b64.decode(root.get("finals").get("p2").asText()))).isEqualTo(report);
        assertThat(root.get("touched").get("p2").asLong()).isEqualTo(43L);
        assertThat(root.get("last").get("p1").asText()).isEqualTo(Base64.getEncoder().encodeToString(sample.toByteArray()));
    }

    @Test
    void aMessageIsEncodedOnceAndItsBytesReusedByEveryWrite() {
        Encoded<PodUsageSample> kept = Encoded.of(PodUsageSample.newBuilder().setPodId("p1").build());

        assertThat(kept.bytes()).isSameAs(kept.bytes()).isEqualTo(kept.message().toByteArray());
    }
}
