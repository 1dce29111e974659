package io.farget.scheduler.api;

import io.farget.common.FargetException;
import io.farget.common.ResourceMath;
import io.farget.common.Timestamps;
import io.farget.proto.v1.GetUsageRequest;
import io.farget.proto.v1.GetUsageResponse;
import io.farget.proto.v1.LedgerEntry;
import io.farget.proto.v1.LedgerShard;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodUsageRecord;
import io.farget.proto.v1.UsageServiceGrpc;
import io.farget.scheduler.leader.Leadership;
import io.farget.scheduler.metering.LedgerStore;
import io.farget.scheduler.metering.RateCard;
import io.farget.scheduler.metering.Recommender;
import io.farget.scheduler.metering.UsageQuery;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * UsageService: what pods used and what they are billed, from the usage ledger (the leader's
 * memory, or ZooKeeper on a standby), in a window, grouped, with right-sizing advice on request.
 */
public final class UsageServiceEndpoint extends UsageServiceGrpc.UsageServiceImplBase {
    private final Leadership leadership;
    private final Reads reads;
    private final LedgerStore storedLedger;
    private final RateCard rates;
    private final Clock clock;

    public UsageServiceEndpoint(Leadership leadership, Reads reads, LedgerStore storedLedger, RateCard rates, Clock clock) {
        this.leadership = leadership;
        this.reads = reads;
        this.storedLedger = storedLedger;
        this.rates = rates;
        this.clock = clock;
    }

    @Override
    public void getUsage(GetUsageRequest request, StreamObserver<GetUsageResponse> observer) {
        Calls.unary(observer, () -> answer(request));
    }

    private GetUsageResponse answer(GetUsageRequest request) {
        UsageQuery.Grouping grouping = UsageQuery.Grouping.parse(request.getGroupBy());
        Instant since = Timestamps.toInstant(request.getSince());
        Instant until = Timestamps.toInstant(request.getUntil());
        UsageQuery query = new UsageQuery(rates, clock.instant(), since, until);
        ReadModel reads = this.reads.now();
        String podId = request.getPodId();
        Collection<LedgerEntry> entries = entries();
        List<Pod> pods;
        if (podId.isEmpty()) {
            pods = reads.pods().stream().sorted(Comparator.comparing(Pod::getId)).toList();
        } else {
            pods = List.of(reads.pod(podId).orElseThrow(() -> FargetException.notFound("pod " + podId)));
            entries = entries.stream().filter(e -> e.getPodId().equals(podId)).toList();
        }
        List<PodUsageRecord> records = new ArrayList<>(query.records(entries, grouping));
        if (grouping.equals(UsageQuery.Grouping.POD) && since == null && until == null) {
            Set<String> metered = entries.stream().map(LedgerEntry::getPodId).collect(Collectors.toSet());
            pods.stream().filter(p -> !metered.contains(p.getId())).map(this::unmetered).forEach(records::add);
            records.sort(Comparator.comparing(PodUsageRecord::getPodId));
        }
        GetUsageResponse.Builder response = GetUsageResponse.newBuilder().addAllRecords(records).setRateCard(rates.toProto());
        if (request.getRecommend()) {
            String labelKey = grouping.kind().equals("label") ? grouping.labelKey() : null;
            response.addAllRecommendations(Recommender.recommend(entries, labelKey, rates));
        }
        return response.build();
    }

    /** Leader: its ledger in memory. Standby: the stored shards (the newest copy of each attempt). */
    private Collection<LedgerEntry> entries() {
        return leadership.current().<Collection<LedgerEntry>>map(term -> term.metering().ledger().entries()).orElseGet(() -> {
            Map<String, LedgerEntry> newest = new HashMap<>();
            for (LedgerShard shard : storedLedger.load().values()) {
                for (LedgerEntry e : shard.getEntriesList()) {
                    newest.merge(e.getPodId() + "#" + e.getAttempt(), e,
                            (a, b) -> a.getUsage().getSampleSeq() >= b.getUsage().getSampleSeq() ? a : b);
                }
            }
            return newest.values();
        });
    }

    /** A pod that never started: nothing used, nothing billed. */
    private PodUsageRecord unmetered(Pod pod) {
        return PodUsageRecord.newBuilder()
                .setPodId(pod.getId())
                .setPodName(pod.getSpec().getName())
                .setNodeId(pod.getStatus().getNodeId())
                .setArch(pod.getSpec().getArch())
                .setReserved(ResourceMath.podSize(pod.getSpec()))
                .setUsage(pod.getUsage())
                .setStartedAt(pod.getStatus().getStartedAt())
                .setFinishedAt(pod.getStatus().getFinishedAt())
                .setPodCount(1)
                .setBilledVcpuSeconds("0")
                .setBilledGbSeconds("0")
                .setCost("0")
                .setCurrency(rates.currency())
                .putAllLabels(pod.getSpec().getLabelsMap())
                .build();
    }
}
