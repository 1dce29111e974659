package io.farget.placement.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.farget.placement.model.GpuRequest;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The compiled table (classes, sorted sweep, memo) gives the fragmentation of the definition, written
 * out plainly here, for every host state; asking again (a memo hit, or a slot taken by another state
 * in between) gives the same value.
 */
class FragmentationTablePropertiesTest {
    private static final List<String> MODELS = List.of("T4", "V100", "A100", "P100");

    record State(long cpu, long memory, String model, int[] free) {}

    record Case(WorkloadProfile profile, List<State> states) {}

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<GpuRequest> gpu = Arbitraries.oneOf(Arbitraries.integers().between(1, 999).map(GpuRequest::share),
                Arbitraries.integers().between(1, 8).map(GpuRequest::whole));
        Arbitrary<WorkloadProfile.PodType> type = Combinators.combine(Arbitraries.longs().between(0, 64_000),
                        Arbitraries.longs().between(0, 256), gpu,
                        Arbitraries.of(Set.<String>of(), Set.of("T4"), Set.of("V100", "A100"), Set.of("Z")),
                        Arbitraries.doubles().between(0.001, 1).ofScale(4))
                .as((cpu, mem, g, models, w) -> new WorkloadProfile.PodType(cpu, mem, g, models, w));
        Arbitrary<int[]> free = Arbitraries.integers().between(0, 1000)
                .map(f -> f > 900 ? 1000 : f) // many whole free devices, as on real hosts
                .array(int[].class).ofMinSize(0).ofMaxSize(16);
        Arbitrary<State> state = Combinators.combine(Arbitraries.longs().between(0, 64_000), Arbitraries.longs().between(0, 256),
                Arbitraries.of(MODELS), free).as(State::new);
        return Combinators.combine(type.list().ofMaxSize(30), state.list().ofMinSize(1).ofMaxSize(40))
                .as((types, states) -> new Case(new WorkloadProfile(types), states));
    }

    @Property(tries = 300)
    void matchesTheDefinitionAndRepeatsItself(@ForAll("cases") Case c) {
        FragmentationTable table = new FragmentationTable(c.profile());
        for (int round = 0; round < 2; round++) {
            for (State s : c.states()) {
                double got = table.fragmentation(s.cpu(), s.memory(), table.modelId(s.model()), s.free().clone(), s.free().length);
                assertThat(got).isCloseTo(definition(c.profile(), s), within(1e-6));
            }
        }
    }

    /** Expected free GPU milli the next pod could not use: all of it if it does not fit, else the slices smaller than its share. */
    private static double definition(WorkloadProfile profile, State s) {
        long total = 0;
        int whole = 0;
        int max = 0;
        for (int f : s.free()) {
            total += f;
            whole += f == 1000 ? 1 : 0;
            max = Math.max(max, f);
        }
        double expected = 0;
        for (WorkloadProfile.PodType t : profile.types()) {
            boolean access = t.gpuModels().isEmpty() || t.gpuModels().contains(s.model());
            boolean gpuFits = t.gpu().fractional() ? max >= t.gpu().milliEach() : whole >= t.gpu().count();
            boolean fits = access && gpuFits && t.cpuMillis() <= s.cpu() && t.memoryBytes() <= s.memory();
            long fragment = 0;
            for (int f : s.free()) {
                fragment += !fits || f < t.gpu().milliEach() ? f : 0;
            }
            expected += t.weight() * fragment;
        }
        return expected;
    }
}
