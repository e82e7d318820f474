package dev.runway.operator.monitoring;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The multi-window, multi-burn-rate error-budget alerts (Google SRE workbook, ch. 5), in one table.
 * An alert fires when the error ratio exceeds {@code factor × budget} over both its long window
 * (enough budget is gone to matter) and its short window (it is still burning now).
 *
 * @param alert    alert name
 * @param factor   burn rate: how many times faster than "exactly spend the budget in 30 days"
 * @param short_   short window, a Prometheus duration
 * @param long_    long window
 * @param severity routing: page wakes someone, ticket waits for working hours
 * @param budgetSpent share of a 30-day budget spent when the alert fires (for the description)
 */
public record BurnRate(String alert, double factor, String short_, String long_, String severity, String budgetSpent) {

    /** The table: 2% of the budget in 1h pages; 5% in 6h and 10% in 3d open tickets. */
    public static final List<BurnRate> TABLE = List.of(
            new BurnRate("ErrorBudgetBurnFast", 14.4, "5m", "1h", "page", "2% in 1 hour"),
            new BurnRate("ErrorBudgetBurnSlow", 6, "30m", "6h", "ticket", "5% in 6 hours"),
            new BurnRate("ErrorBudgetBurnSteady", 1, "6h", "3d", "ticket", "10% in 3 days"));

    /** Every window some alert reads, shortest first: each gets a recording rule. */
    public static List<String> windows() {
        return TABLE.stream().flatMap(b -> Stream.of(b.short_(), b.long_())).distinct()
                .sorted(Comparator.comparing(BurnRate::minutes)).toList();
    }

    /** A window of the table in minutes ("5m", "6h", "3d"). */
    static long minutes(String window) {
        long n = Long.parseLong(window.substring(0, window.length() - 1));
        return switch (window.charAt(window.length() - 1)) {
            case 'm' -> n;
            case 'h' -> n * 60;
            case 'd' -> n * 60 * 24;
            default -> throw new IllegalArgumentException("window " + window + ": use m, h or d");
        };
    }
}
