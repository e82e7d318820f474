package dev.runway.operator.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** Samples of a Prometheus text exposition ({@code /q/metrics}), enough to sum counters and read histograms. */
record PrometheusText(List<Sample> samples) {

    /** One line: name, the raw label block (without braces) and the value. */
    record Sample(String name, String labels, double value) {
        String label(String key) {
            for (String pair : labels.split(",(?=[a-zA-Z_]+=\")")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals(key)) {
                    return pair.substring(eq + 2, pair.length() - 1);
                }
            }
            return null;
        }
    }

    static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, space);
            String labels = brace >= 0 && brace < space ? line.substring(brace + 1, line.lastIndexOf('}')) : "";
            samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
        }
        return new PrometheusText(samples);
    }

    /** Sum of every series of {@code name} whose labels pass {@code filter}. */
    double sum(String name, Predicate<Sample> filter) {
        return samples.stream().filter(s -> s.name().equals(name) && filter.test(s)).mapToDouble(Sample::value).sum();
    }

    /** Cumulative bucket counts of histogram {@code name} (summed over the series {@code filter} accepts), by upper bound. */
    TreeMap<Double, Double> buckets(String name, Predicate<Sample> filter) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        samples.stream().filter(s -> s.name().equals(name + "_bucket") && filter.test(s)).forEach(s -> {
            String le = s.label("le");
            buckets.merge("+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le), s.value(), Double::sum);
        });
        return buckets;
    }

    /** {@code later - earlier}, bucket by bucket: the observations made between two scrapes of one process. */
    static TreeMap<Double, Double> minus(Map<Double, Double> later, Map<Double, Double> earlier) {
        TreeMap<Double, Double> diff = new TreeMap<>();
        later.forEach((le, count) -> diff.put(le, count - earlier.getOrDefault(le, 0.0)));
        return diff;
    }

    /**
     * The q-quantile of cumulative buckets, interpolated linearly inside the bucket that holds it,
     * as Prometheus' histogram_quantile does; NaN without observations.
     */
    static double quantile(double q, TreeMap<Double, Double> cumulative) {
        double total = cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (var bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound; // beyond the largest finite bucket: its bound is all we know
                }
                double inBucket = bucket.getValue() - lowerCount;
                return inBucket <= 0 ? bucket.getKey()
                        : lowerBound + (bucket.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return lowerBound;
    }

    /** Observations in cumulative buckets. */
    static long count(TreeMap<Double, Double> cumulative) {
        return cumulative.isEmpty() ? 0 : Math.round(cumulative.lastEntry().getValue());
    }
}
