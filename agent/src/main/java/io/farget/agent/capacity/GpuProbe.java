package io.farget.agent.capacity;

import io.farget.proto.v1.GpuInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds this host's NVIDIA GPUs with {@code nvidia-smi --query-gpu=name,memory.total
 * --format=csv,noheader} when that tool is on the PATH; none otherwise. A node's GPUs are reported
 * as one model (the first listed): placement treats the model as a host attribute.
 */
public final class GpuProbe {
    private static final Logger log = LoggerFactory.getLogger(GpuProbe.class);
    private static final long TIMEOUT_SECONDS = 10;

    private GpuProbe() {}

    /** The GPUs found, or an empty GpuInfo (count 0). Never fails: a broken driver means no GPUs, logged. */
    public static GpuInfo probe() {
        Optional<Path> tool = onPath("nvidia-smi");
        if (tool.isEmpty()) {
            return GpuInfo.getDefaultInstance();
        }
        try {
            Process process = new ProcessBuilder(tool.get().toString(), "--query-gpu=name,memory.total", "--format=csv,noheader")
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                log.warn("nvidia-smi did not answer within {} s: reporting no GPUs", TIMEOUT_SECONDS);
                return GpuInfo.getDefaultInstance();
            }
            if (process.exitValue() != 0) {
                log.warn("nvidia-smi exited {}: reporting no GPUs ({})", process.exitValue(), out.strip());
                return GpuInfo.getDefaultInstance();
            }
            GpuInfo gpus = parse(out);
            log.info("Found {} GPU(s) of model {}", gpus.getCount(), gpus.getModel());
            return gpus;
        } catch (IOException e) {
            log.warn("Cannot run nvidia-smi: {}; reporting no GPUs", e.getMessage());
            return GpuInfo.getDefaultInstance();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return GpuInfo.getDefaultInstance();
        }
    }

    /** Parses lines like {@code NVIDIA A100-SXM4-80GB, 81920 MiB}; lines that do not parse are skipped. */
    public static GpuInfo parse(String csv) {
        List<String[]> rows = csv.lines().map(String::strip).filter(l -> !l.isEmpty()).map(l -> l.split(",\\s*"))
                .filter(cells -> cells.length >= 2 && !cells[0].isBlank()).toList();
        if (rows.isEmpty()) {
            return GpuInfo.getDefaultInstance();
        }
        return GpuInfo.newBuilder().setCount(rows.size()).setModel(rows.get(0)[0].strip())
                .setMemoryBytesEach(mebibytes(rows.get(0)[1])).build();
    }

    private static long mebibytes(String cell) {
        String digits = cell.toLowerCase(Locale.ROOT).replace("mib", "").strip();
        try {
            return Long.parseLong(digits) << 20;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
