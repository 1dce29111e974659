package io.farget.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.LabelSelector;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.Resources;
import io.farget.proto.v1.SpreadRule;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class PlacementSpecsTest {
    private static PodSpec valid() {
        return PodSpec.newBuilder().setName("train")
                .addContainers(ContainerSpec.newBuilder().addCommand("true").setResources(ResourceMath.of(250, 64L << 20)))
                .build();
    }

    private static PodSpec withResources(UnaryOperator<Resources.Builder> change) {
        PodSpec spec = valid();
        ContainerSpec c = spec.getContainers(0);
        return spec.toBuilder().setContainers(0, c.toBuilder().setResources(change.apply(c.getResources().toBuilder()))).build();
    }

    @Test
    void acceptsEveryPlacementField() {
        PodSpec spec = withResources(r -> r.setGpu(2).setEphemeralStorageBytes(1 << 30).putExtended("example.com/fpga", 1)).toBuilder()
                .setPriority(100)
                .addNodeSelector(LabelSelector.newBuilder().setKey("zone").setOperator(LabelSelector.Operator.OPERATOR_IN).addValues("a"))
                .addNodeSelector(LabelSelector.newBuilder().setKey("ssd").setOperator(LabelSelector.Operator.OPERATOR_EXISTS))
                .addGpuModels("A100")
                .setSpread(SpreadRule.newBuilder().setLabelKey("app").setMaxPerHost(2))
                .build();
        assertThat(PodSpecs.validateAndNormalize(spec).getPriority()).isEqualTo(100);
    }

    @Test
    void namesTheBadField() {
        assertInvalid(withResources(r -> r.setGpu(-1)), "containers[0].resources.gpu: ");
        assertInvalid(withResources(r -> r.setGpuMilli(1500)), "containers[0].resources.gpuMilli: must be 0-1000");
        assertInvalid(withResources(r -> r.setGpu(1).setGpuMilli(500)), "containers[0].resources.gpuMilli: ");
        assertInvalid(withResources(r -> r.setEphemeralStorageBytes(-1)), "containers[0].resources.ephemeralStorage");
        assertInvalid(withResources(r -> r.putExtended("fpga", 1)), "containers[0].resources.extended.fpga");
        assertInvalid(valid().toBuilder().addNodeSelector(LabelSelector.newBuilder().setKey("zone")
                .setOperator(LabelSelector.Operator.OPERATOR_IN)).build(), "nodeSelector[0].values: ");
        assertInvalid(valid().toBuilder().addNodeSelector(LabelSelector.newBuilder().setKey("bad key")).build(), "nodeSelector[0].key: ");
        assertInvalid(valid().toBuilder().addAntiAffinity(LabelSelector.newBuilder().setKey("app")
                .setOperator(LabelSelector.Operator.OPERATOR_EXISTS).addValues("x")).build(), "antiAffinity[0].values: ");
        assertInvalid(valid().toBuilder().setSpread(SpreadRule.newBuilder().setLabelKey("app")).build(), "spread.maxPerHost: ");
        assertInvalid(valid().toBuilder().addGpuModels(" ").build(), "gpuModels[0]: ");
    }

    @Test
    void aPodAsksForWholeGpusOrOneShare() {
        PodSpec twoShares = withResources(r -> r.setGpuMilli(250)).toBuilder()
                .addContainers(ContainerSpec.newBuilder().setName("b").addCommand("true")
                        .setResources(ResourceMath.of(100, 64L << 20).toBuilder().setGpuMilli(250)))
                .build();
        assertInvalid(twoShares, "containers.resources.gpuMilli: ");
    }

    private static void assertInvalid(PodSpec spec, String message) {
        assertThatThrownBy(() -> PodSpecs.validateAndNormalize(spec)).isInstanceOf(FargetException.class).hasMessageStartingWith(message);
    }
}
