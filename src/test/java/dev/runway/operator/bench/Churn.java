package dev.runway.operator.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.testing.AuditLog;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.OperatorProcess;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * The churn phase of the benchmark ({@code make bench CHURN_SECONDS=600 CHURN_RATE=5}): against the
 * converged Applications, spec changes at a steady rate, each to the next Application in turn (an env
 * value, so a new config hash and a rollout: for BlueGreen a new preview and its promotion). Measured:
 * client-observed time from each change (the patch's answer, with the new generation) to the
 * Application being Ready at that generation, seen through a watch; the operator's heap after a full
 * GC once a minute and its slope; the operator's writes per change. Bounded: {@code rate × duration}
 * changes, then at most {@code settle} for the last ones to converge; the rest are reported.
 */
final class Churn {
    private final KubernetesClient client;
    private final OperatorProcess operator;
    private final AuditLog audit;
    private final String namespace;
    private final List<Application> apps;
    private final double rate;
    private final Duration duration;
    private final Duration settle;

    /** Changes sent and not yet seen Ready, by Application: the generation each asked for and when. */
    private final Map<String, Deque<long[]>> pending = new ConcurrentHashMap<>();
    private final List<Double> latenciesMs = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();

    Churn(KubernetesClient client, OperatorProcess operator, AuditLog audit, String namespace, List<Application> apps, double rate,
            Duration duration, Duration settle) {
        this.client = client;
        this.operator = operator;
        this.audit = audit;
        this.namespace = namespace;
        this.apps = apps;
        this.rate = rate;
        this.duration = duration;
        this.settle = settle;
    }

    Map<String, Object> run() throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ratePerSecond", rate);
        out.put("seconds", duration.toSeconds());
        SharedIndexInformer<Application> informer = client.resources(Application.class).inNamespace(namespace).inform();
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Application app) {
                seen(app);
            }

            @Override
            public void onUpdate(Application old, Application app) {
                seen(app);
            }

            @Override
            public void onDelete(Application app, boolean unknown) {
            }
        });
        List<double[]> heap = new ArrayList<>();
        AuditLog.Mark start = audit.mark();
        ExecutorService writers = Executors.newFixedThreadPool(8);
        long t0 = System.nanoTime();
        try (informer) {
            heap.add(new double[] { 0, heapAfterGc() });
            int total = (int) Math.round(rate * duration.toSeconds());
            long nextSample = t0 + TimeUnit.MINUTES.toNanos(1);
            for (int k = 0; k < total; k++) {
                long due = t0 + (long) (k * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                int change = k;
                writers.submit(() -> change(apps.get(change % apps.size()).getMetadata().getName(), change));
                if (System.nanoTime() >= nextSample) {
                    // On the test's thread: a full GC of the operator once a minute (it pauses the operator briefly).
                    heap.add(new double[] { (System.nanoTime() - t0) / 6e10, heapAfterGc() });
                    nextSample += TimeUnit.MINUTES.toNanos(1);
                }
            }
            writers.shutdown();
            writers.awaitTermination(1, TimeUnit.MINUTES);
            out.put("sendSeconds", Benchmark.round((System.nanoTime() - t0) / 1e9));
            long settleDeadline = System.nanoTime() + settle.toNanos();
            while (outstanding() > 0 && System.nanoTime() < settleDeadline) {
                Thread.sleep(500);
            }
            heap.add(new double[] { (System.nanoTime() - t0) / 6e10, heapAfterGc() });
        } finally {
            writers.shutdownNow();
        }
        out.put("changes", sent.get());
        out.put("patchFailures", failed.get());
        out.put("notReadyAfterSettle", outstanding());
        out.put("loadavg", Benchmark.loadavg());
        synchronized (latenciesMs) {
            out.put("changeToReadyMs", quantiles(latenciesMs));
        }
        out.put("heapAfterGcMiB", heap.stream().map(p -> List.of(Benchmark.round(p[0]), Benchmark.round(p[1]))).toList());
        out.put("heapSlopeMiBPerMinute", Benchmark.round(slope(heap)));
        out.put("writesPerChange", Benchmark.per(audit.writesBy(start, operator), Math.max(1, sent.get())));
        out.putAll(split(audit.since(start, e -> namespace.equals(e.namespace()) && e.received() != null)));
        return out;
    }

    /**
     * Where the time of a change goes, from the audit log's receive times: from the spec change (the
     * harness's patch of the Application) to the operator's next write of that Application's
     * Deployment or Rollout ({@code operatorReactionMs}: Runway's part), and from that write to the
     * scheduler's next binding of one of its pods ({@code workloadWriteToPodBoundMs}: the
     * controller-manager's, Argo Rollouts' and the scheduler's part). A churn floor without a floor.
     */
    private Map<String, Object> split(List<AuditLog.Entry> entries) {
        Map<String, List<AuditLog.Entry>> changes = new java.util.HashMap<>();
        Map<String, List<AuditLog.Entry>> workloadWrites = new java.util.HashMap<>();
        Map<String, List<AuditLog.Entry>> bindings = new java.util.HashMap<>();
        for (AuditLog.Entry e : entries) {
            if (e.resource().equals("applications") && e.subresource().isEmpty() && e.verb().equals("patch")
                    && !e.userAgent().startsWith(operator.userAgent())) {
                changes.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(e);
            } else if ((e.resource().equals("deployments") || e.resource().equals("rollouts")) && e.subresource().isEmpty()
                    && e.userAgent().startsWith(operator.userAgent())) {
                workloadWrites.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(e);
            } else if (e.resource().equals("pods") && e.subresource().equals("binding") && e.name().lastIndexOf('-') > 0) {
                String app = e.name().substring(0, e.name().indexOf('-', e.name().indexOf('-') + 1));
                bindings.computeIfAbsent(app, k -> new ArrayList<>()).add(e);
            }
        }
        java.util.Comparator<AuditLog.Entry> byTime = java.util.Comparator.comparing(AuditLog.Entry::received);
        for (Map<String, List<AuditLog.Entry>> byApp : List.of(changes, workloadWrites, bindings)) {
            byApp.values().forEach(list -> list.sort(byTime)); // the log is in order of completion
        }
        List<Double> reaction = new ArrayList<>();
        List<Double> downstream = new ArrayList<>();
        changes.forEach((app, list) -> {
            for (AuditLog.Entry change : list) {
                AuditLog.Entry write = firstAfter(workloadWrites.get(app), change.received());
                if (write != null) {
                    reaction.add(millisBetween(change.received(), write.received()));
                    AuditLog.Entry bound = firstAfter(bindings.get(app), write.received());
                    if (bound != null) {
                        downstream.add(millisBetween(write.received(), bound.received()));
                    }
                }
            }
        });
        return Map.of("operatorReactionMs", quantiles(reaction), "workloadWriteToPodBoundMs", quantiles(downstream));
    }

    private static AuditLog.Entry firstAfter(List<AuditLog.Entry> entries, java.time.Instant after) {
        return entries == null ? null : entries.stream().filter(e -> !e.received().isBefore(after)).findFirst().orElse(null);
    }

    private static double millisBetween(java.time.Instant from, java.time.Instant to) {
        return Benchmark.round(java.time.Duration.between(from, to).toNanos() / 1e6);
    }

    private static Map<String, Object> quantiles(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", sorted.size());
        for (double q : new double[] { 0.5, 0.9, 0.99 }) {
            out.put("p" + Math.round(q * 100), sorted.isEmpty() ? null : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1)));
        }
        out.put("max", sorted.isEmpty() ? null : sorted.get(sorted.size() - 1));
        return out;
    }

    /** One change: a new env value on the Application (a JSON merge patch, as kubectl patch sends it). */
    private void change(String name, int k) {
        try {
            long at = System.nanoTime();
            Application patched = ClusterTestSupport.application(client, namespace, name).patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"spec\":{\"env\":{\"GREETING\":\"churn-" + k + "\"}}}");
            pending.computeIfAbsent(name, n -> new ConcurrentLinkedDeque<>()).add(new long[] { patched.getMetadata().getGeneration(), at });
            sent.incrementAndGet();
        } catch (KubernetesClientException e) {
            failed.incrementAndGet();
        }
    }

    private void seen(Application app) {
        Deque<long[]> waiting = pending.get(app.getMetadata().getName());
        if (waiting == null || app.getStatus() == null || app.getStatus().observedGeneration == null
                || !ClusterTestSupport.condition(app, "Ready", "True")) {
            return;
        }
        long observed = app.getStatus().observedGeneration;
        long now = System.nanoTime();
        for (long[] change = waiting.peek(); change != null && change[0] <= observed; change = waiting.peek()) {
            if (waiting.remove(change)) {
                latenciesMs.add(Benchmark.round((now - change[1]) / 1e6));
            }
        }
    }

    private int outstanding() {
        return pending.values().stream().mapToInt(Deque::size).sum();
    }

    private double heapAfterGc() throws Exception {
        return ((Number) Benchmark.memory(operator, false).get("heapAfterGcMiB")).doubleValue();
    }

    /** Least-squares slope of heap (MiB) over time (minutes). */
    static double slope(List<double[]> points) {
        int n = points.size();
        if (n < 2) {
            return Double.NaN;
        }
        double mx = points.stream().mapToDouble(p -> p[0]).average().orElse(0);
        double my = points.stream().mapToDouble(p -> p[1]).average().orElse(0);
        double num = 0;
        double den = 0;
        for (double[] p : points) {
            num += (p[0] - mx) * (p[1] - my);
            den += (p[0] - mx) * (p[0] - mx);
        }
        return den == 0 ? Double.NaN : num / den;
    }
}
