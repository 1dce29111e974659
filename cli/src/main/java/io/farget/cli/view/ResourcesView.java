package io.farget.cli.view;

import java.math.BigDecimal;

/** An amount of compute as JSON shows it: CPU in cores (a decimal), memory in bytes. */
public record ResourcesView(BigDecimal cpu, long memoryBytes) {}
