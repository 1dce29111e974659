package io.farget.cli.view;

import java.math.BigDecimal;

/** Decimals as people write them: no trailing zeros, never exponent form (2, not 2.000 or 2E+0). */
final class Decimals {
    private Decimals() {}

    static BigDecimal plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
