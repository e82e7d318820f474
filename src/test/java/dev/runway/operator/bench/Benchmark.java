package dev.runway.operator.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.application.BenchChildren;
import dev.runway.operator.testing.AuditLog;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.LocalControlPlane;
import dev.runway.operator.testing.OperatorProcess;
import dev.runway.operator.testing.TestNamespace;
import io.argoproj.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * One benchmark run at N Applications on the local control plane (docs/benchmarks.md): the floor
 * (a bare client creating the operator's children), the packaged operator converging N
 * Applications, its writes per Application and at rest (a resync of every Application and a
 * restart), reconcile latency, memory and informer sync time. Figures only: nothing here judges
 * them except the caller, which fails on writes at rest.
 */
final class Benchmark {
    /** The operator's reconcile threads: JOSDK's default (50), which Runway does not change. */
    static final int OPERATOR_THREADS = 50;
    static final String RESYNC_ANNOTATION = "bench.runway.dev/resync";
    private static final String RECONCILE_TIMER = "operator_sdk_controllers_execution_reconcile_seconds";
    /** Pods both phases may hold at once on the three kwok nodes (500 each) with room for other tests. */
    private static final int PODS_WITHOUT_WAITING = 600;
    /**
     * Requests the audit log records as creates that store nothing: access reviews (JOSDK's leader
     * election checks its Lease permissions with a SelfSubjectRulesReview when it starts). Counted
     * apart from writes at rest.
     */
    static final java.util.Set<String> REVIEWS = java.util.Set.of("selfsubjectrulesreviews", "selfsubjectaccessreviews");
    private static final Duration POLL = Duration.ofMillis(500);

    private final KubernetesClient client;
    private final int n;
    private final int threads;
    private final List<String> operatorJvmOptions;
    private final boolean background;
    private final int backgroundReplicas;
    private final Duration readyBound;
    private final Map<String, Object> result = new LinkedHashMap<>();
    private double churnRate = 5;
    private long churnSeconds;
    private boolean flux;
    private final java.util.concurrent.atomic.AtomicInteger retries = new java.util.concurrent.atomic.AtomicInteger();

    Benchmark(KubernetesClient client, int n, int threads, List<String> operatorJvmOptions) {
        this(client, n, threads, operatorJvmOptions, false, 0, defaultReadyBound(n));
    }

    /**
     * @param background        create the cluster's background objects first ({@link BackgroundObjects})
     * @param backgroundReplicas replicas of each background Deployment
     * @param readyBound        how long the floor's workloads and the operator's Applications may take;
     *                          what is not done by then is reported as stalled and the run goes on
     */
    Benchmark(KubernetesClient client, int n, int threads, List<String> operatorJvmOptions, boolean background,
            int backgroundReplicas, Duration readyBound) {
        this.client = client;
        this.n = n;
        this.threads = threads;
        this.operatorJvmOptions = operatorJvmOptions;
        this.background = background;
        this.backgroundReplicas = backgroundReplicas;
        this.readyBound = readyBound;
    }

    /** After the rest phase, {@code seconds} of spec changes at {@code rate} a second ({@link Churn}); 0 seconds: none. */
    Benchmark withChurn(double rate, long seconds) {
        this.churnRate = rate;
        this.churnSeconds = seconds;
        return this;
    }

    /** 10 minutes plus 2 s an Application: far beyond a healthy run, short of a hang. */
    static Duration defaultReadyBound(int n) {
        return Duration.ofMinutes(10).plusSeconds(2L * n);
    }

    /**
     * The bench's Application number {@code i}: every fifth BlueGreen (20 %), every other one with
     * autoscaling and alerts (half), all with a generated Secret so each has the six kinds of child.
     */
    private Application application(String namespace, int i) {
        String strategy = i % 5 == 4 ? "{type: BlueGreen, blueGreen: {autoPromotion: true}}" : "{type: RollingUpdate}";
        String extras = i % 2 == 1 ? """
                  autoscaling: {minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 70}
                  monitoring: {alerts: {errorRatePercent: 1, latencyP99Ms: 500}}
                """ : "";
        return ClusterTestSupport.applicationFromYaml(client, namespace, """
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: app-%04d}
                spec:
                  image: registry.example/bench:1.0
                  replicas: 1
                  port: 8080
                  env: {GREETING: hello}
                  generatedSecrets: [{key: TOKEN}]
                  strategy: %s
                %s""".formatted(i, strategy, extras));
    }

    /** Adds the peer phase (make bench FLUX=true): Flux's kustomize-controller applying the same objects ({@link FluxPeer}). */
    Benchmark withFlux(boolean enabled) {
        this.flux = enabled;
        return this;
    }

    Map<String, Object> run() throws Exception {
        result.put("n", n);
        result.put("threads", threads);
        result.put("mix", Map.of("blueGreen", countOf(i -> i % 5 == 4), "autoscalingAndAlerts", countOf(i -> i % 2 == 1)));
        result.put("operatorJava", OperatorProcess.javaVersion());
        result.put("operatorJvmOptions", operatorJvmOptions);
        result.put("readyBoundSeconds", readyBound.toSeconds());
        if (background) {
            long t0 = System.nanoTime();
            result.put("background", BackgroundObjects.ensure(client, backgroundReplicas));
            result.put("backgroundReadySeconds", seconds(t0));
        } else {
            // Kept from an earlier run with the background on: this run is not "without" then.
            boolean present = !client.namespaces().withLabel(BackgroundObjects.LABEL).list().getItems().isEmpty();
            result.put("background", Map.of("enabled", false, "presentFromAnEarlierRun", present));
        }
        result.put("loadavgBefore", loadavg());
        floor();
        if (flux) {
            // The peer between the floor and the operator, on the same machine in the same run.
            result.put("flux", new FluxPeer(client, threads, readyBound, this::applications).run(this::parallel));
        }
        operator();
        result.put("loadavgAfter", loadavg());
        return result;
    }

    /** A bare client creates what the operator would, with as many threads; until every workload is rolled out. */
    private void floor() throws Exception {
        String floorNamespace;
        try (TestNamespace ns = TestNamespace.create(client, "bench-floor")) {
            floorNamespace = ns.name();
            List<Application> apps = applications(ns.name());
            // Informers, not lists, tell when the phase is done: listing N objects every poll loaded
            // the API server the phase measures (at N = 1,000 such a list timed out after 10 s).
            SharedIndexInformer<Deployment> deployments = client.apps().deployments().inNamespace(ns.name()).inform();
            SharedIndexInformer<Rollout> rollouts = client.resources(Rollout.class).inNamespace(ns.name()).inform();
            double cpu0 = OperatorProcess.cpuSeconds(ProcessHandle.current().pid());
            long t0 = System.nanoTime();
            parallel(apps.size(), i -> () -> {
                for (HasMetadata child : BenchChildren.of(apps.get(i))) {
                    create(child, ns.name());
                }
            });
            try (deployments; rollouts) {
                if (await(readyBound, () -> rolledOutWorkloads(deployments, rollouts, apps) == apps.size())) {
                    result.put("tFloorSeconds", seconds(t0));
                    // The test JVM's own CPU time over the phase (its client and informers: the floor's cost).
                    result.put("floorCpuSeconds", round(OperatorProcess.cpuSeconds(ProcessHandle.current().pid()) - cpu0));
                } else {
                    result.put("tFloorSeconds", null);
                    result.put("floorStalled", Map.of("rolledOut", rolledOutWorkloads(deployments, rollouts, apps),
                            "of", apps.size(), "afterSeconds", seconds(t0)));
                }
            }
            result.put("floorCreateRetries", retries.getAndSet(0));
            result.put("loadavgFloor", loadavg());
        }
        if (2 * n > PODS_WITHOUT_WAITING || flux) {
            // The kwok nodes hold 1,500 pods: the next phase starts once the floor's are gone.
            awaitOrNote("floor namespace deleted", Duration.ofMinutes(10),
                    () -> client.namespaces().withName(floorNamespace).get() == null);
        }
    }

    private void operator() throws Exception {
        AuditLog audit = AuditLog.ofTestCluster();
        try (TestNamespace leases = TestNamespace.create(client, "bench-lease");
                TestNamespace ns = TestNamespace.create(client, "bench-op")) {
            OperatorProcess.Builder builder = OperatorProcess.named("bench-n" + n).leaseNamespace(leases.name());
            operatorJvmOptions.forEach(builder::jvmOption);
            try (OperatorProcess operator = builder.build()) {
                long firstStart = System.nanoTime();
                operator.start().awaitReady(Duration.ofMinutes(5));
                // Before any Application exists: the informers list what the cluster holds (the background).
                result.put("firstStartReadySeconds", seconds(firstStart));
                // The same process idle, before any Application: what the cluster's other objects cost it.
                result.put("memoryIdle", memory(operator));
                Map<String, Object> writes = new LinkedHashMap<>();
                result.put("writes", writes);
                Map<String, Object> latency = new LinkedHashMap<>();
                result.put("reconcileLatencyMs", latency);

                // --- convergence: N Applications until every one is Ready at its generation
                PrometheusText before = scrape(operator);
                AuditLog.Mark created = audit.mark();
                List<Application> apps = applications(ns.name());
                SharedIndexInformer<Application> applications = client.resources(Application.class).inNamespace(ns.name()).inform();
                double cpu0 = OperatorProcess.cpuSeconds(operator.pid());
                long t0 = System.nanoTime();
                parallel(apps.size(), i -> () -> create(apps.get(i), ns.name()));
                try (applications) {
                    if (await(readyBound, () -> readyApplications(applications) == apps.size())) {
                        result.put("tOpSeconds", seconds(t0));
                        result.put("operatorCpuSeconds", round(OperatorProcess.cpuSeconds(operator.pid()) - cpu0));
                        operator.rssKiB().ifPresent(kib -> result.put("operatorRssAtReadyMiB", kib / 1024));
                    } else {
                        result.put("tOpSeconds", null);
                        result.put("stalled", stalled(applications, ns.name(), seconds(t0)));
                    }
                }
                result.put("applicationCreateRetries", retries.getAndSet(0));
                result.put("loadavgOperator", loadavg());
                AuditLog.Mark ready = audit.mark();
                PrometheusText converged = scrape(operator);
                latency.put("create", histogram(converged, before));
                List<AuditLog.Entry> createWrites = audit.writesBy(created, operator);
                writes.put("duringConvergence", createWrites.size());
                writes.put("perApplication", perApplication(createWrites));

                // --- settle: writes that land after the last Application turned Ready (reported, not hidden)
                long settleStart = System.nanoTime();
                audit.awaitQuiet(operator, Duration.ofSeconds(5), Duration.ofMinutes(2));
                writes.put("afterReadyBeforeRest", describe(audit.writesBy(ready, operator)));
                result.put("settleSeconds", seconds(settleStart));

                // --- memory at N, converged
                result.put("memory", memory(operator));

                // --- rest: a resync of every Application (an annotation), then a restart
                AuditLog.Mark rest = audit.mark();
                java.time.Instant restAt = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                Map<String, String> statusAtRest = statuses(ns.name());
                PrometheusText beforeResync = scrape(operator);
                double reconcilesBefore = reconciles(beforeResync);
                String stamp = Long.toString(System.currentTimeMillis());
                // A merge patch of the annotation alone, as a user's kubectl annotate would send. (A
                // read-modify-update through the Java model used to move the generation of Applications
                // with alerts: errorRatePercent 1 came back as 1.0; api/v1alpha1/WholeNumbers.)
                parallel(apps.size(), i -> () -> ClusterTestSupport.application(client, ns.name(), apps.get(i).getMetadata().getName())
                        .patch(PatchContext.of(PatchType.JSON_MERGE),
                                "{\"metadata\":{\"annotations\":{\"" + RESYNC_ANNOTATION + "\":\"" + stamp + "\"}}}"));
                awaitOrNote("resync reconciles", Duration.ofMinutes(5),
                        () -> reconciles(scrape(operator)) - reconcilesBefore >= apps.size());
                latency.put("noop", histogram(scrape(operator), beforeResync));

                flightRecording(operator, "converged-and-resynced");
                // SIGKILL, as a crash or eviction: a SIGTERM'd operator does not exit by itself (docs/benchmarks.md).
                operator.kill();
                long restart = System.nanoTime();
                operator.start().awaitReady(Duration.ofMinutes(5));
                result.put("informerSyncSeconds", seconds(restart));
                awaitOrNote("startup reconciles", Duration.ofMinutes(5), () -> reconciles(scrape(operator)) >= apps.size());
                result.put("startupReconcileSeconds", seconds(restart));
                latency.put("noopAfterRestart", histogram(scrape(operator), PrometheusText.parse("")));
                audit.awaitQuiet(operator, Duration.ofSeconds(10), Duration.ofSeconds(10));
                operator.rssKiB().ifPresent(kib -> result.put("rssAfterRestartMiB", kib / 1024));
                flightRecording(operator, "restarted");
                List<AuditLog.Entry> atRest = audit.writesBy(rest, operator).stream()
                        .filter(e -> !REVIEWS.contains(e.resource())).toList();
                writes.put("reviewsAtRest", audit.writesBy(rest, operator).size() - atRest.size());
                writes.put("statusChangedAtRest", changed(statusAtRest, statuses(ns.name())));
                // Events of any source (the HPA controller's, without a metrics API here): a count and a few.
                List<String> eventsAtRest = client.v1().events().inNamespace(ns.name()).list().getItems().stream()
                        .filter(e -> !java.time.Instant.parse(e.getMetadata().getCreationTimestamp()).isBefore(restAt))
                        .map(e -> (e.getSource() != null ? e.getSource().getComponent() : e.getReportingComponent()) + ": "
                                + e.getInvolvedObject().getName() + " " + e.getReason()).toList();
                writes.put("eventsAtRestAnySource", eventsAtRest.size());
                writes.put("eventsAtRestExamples", eventsAtRest.stream().limit(3).toList());
                writes.put("atRest", atRest.size());
                writes.put("atRestDetail", describe(atRest));

                // --- churn (make bench CHURN_SECONDS=…): spec changes at a steady rate, after the rest phase
                if (churnSeconds > 0) {
                    result.put("churn", new Churn(client, operator, audit, ns.name(), apps, churnRate, Duration.ofSeconds(churnSeconds),
                            Duration.ofMinutes(5)).run());
                    result.put("memoryAfterChurn", memory(operator));
                }
            }
        }
    }

    /** Each Application's status as JSON, by name. */
    private Map<String, String> statuses(String namespace) {
        Map<String, String> out = new TreeMap<>();
        client.resources(Application.class).inNamespace(namespace).list().getItems()
                .forEach(a -> out.put(a.getMetadata().getName(), client.getKubernetesSerialization().asJson(a.getStatus())));
        return out;
    }

    /** The first few statuses that differ between two snapshots, before and after, to explain a status write. */
    private static Map<String, List<String>> changed(Map<String, String> before, Map<String, String> after) {
        Map<String, List<String>> changed = new TreeMap<>();
        before.forEach((name, status) -> {
            if (changed.size() < 2 && !status.equals(after.get(name))) {
                changed.put(name, List.of(status, String.valueOf(after.get(name))));
            }
        });
        return changed;
    }

    /** The writes made at rest, one line each (verb, resource, object, code), for the report. */
    @SuppressWarnings("unchecked")
    static List<String> writesAtRest(Map<String, Object> result) {
        return (List<String>) ((Map<String, Object>) result.get("writes")).get("atRestDetail");
    }

    List<Application> applications(String namespace) {
        List<Application> apps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            apps.add(application(namespace, i));
        }
        return apps;
    }

    private long countOf(IntFunction<Boolean> which) {
        long count = 0;
        for (int i = 0; i < n; i++) {
            count += which.apply(i) ? 1 : 0;
        }
        return count;
    }

    /** Runs task i for i in [0, count) on {@link #threads} threads; rethrows the first failure. */
    void parallel(int count, IntFunction<Runnable> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(task.apply(i)));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Creates {@code object}; on a client timeout (the API server of a loaded machine answers slowly)
     * tries again, as the operator's retries would, and an object the timed-out request did create
     * counts as created. Retries are reported.
     */
    private void create(HasMetadata object, String namespace) {
        for (int attempt = 1;; attempt++) {
            try {
                client.resource(object).inNamespace(namespace).create();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409 && attempt > 1) {
                    return;
                }
                boolean refused = e.getCode() >= 400 && e.getCode() < 500;
                if (refused || attempt >= 5) {
                    throw e;
                }
                retries.incrementAndGet();
            }
        }
    }

    static long rolledOutWorkloads(SharedIndexInformer<Deployment> deployments, SharedIndexInformer<Rollout> rollouts,
            List<Application> apps) {
        Map<String, HasMetadata> workloads = new LinkedHashMap<>();
        deployments.getStore().list().forEach(d -> workloads.put(d.getMetadata().getName(), d));
        rollouts.getStore().list().forEach(r -> workloads.put(r.getMetadata().getName(), r));
        return apps.stream().filter(app -> {
            HasMetadata workload = workloads.get(app.getMetadata().getName());
            return workload != null && BenchChildren.rolledOut(app, workload);
        }).count();
    }

    private static long readyApplications(SharedIndexInformer<Application> applications) {
        return applications.getStore().list().stream()
                .filter(a -> ClusterTestSupport.condition(a, "Ready", "True")
                        && a.getMetadata().getGeneration().equals(a.getStatus().observedGeneration))
                .count();
    }

    /**
     * Polls {@code done} every 500 ms until it holds (true) or {@code bound} has passed (false); the
     * same loop ends T_floor and T_op, so both carry the same granularity.
     */
    static boolean await(Duration bound, Supplier<Boolean> done) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!done.get()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(POLL);
        }
        return true;
    }

    /** {@link #await}; a wait that ran out is listed in the report ({@code timedOut}) and the run goes on. */
    @SuppressWarnings("unchecked")
    private void awaitOrNote(String what, Duration bound, Supplier<Boolean> done) {
        if (!await(bound, done)) {
            ((List<String>) result.computeIfAbsent("timedOut", k -> new ArrayList<String>())).add(what + " (after " + bound + ")");
        }
    }

    /**
     * The Applications not Ready at their generation when the bound ran out: phase, every condition's
     * status, reason and message, and for BlueGreen whether Argo Rollouts observed the Rollout's
     * generation (the 2026-12-02 stall at N = 1,000: its controller kept failing a status update).
     */
    private Map<String, Object> stalled(SharedIndexInformer<Application> applications, String namespace, double afterSeconds) {
        List<Application> stuck = applications.getStore().list().stream()
                .filter(a -> !(ClusterTestSupport.condition(a, "Ready", "True")
                        && a.getMetadata().getGeneration().equals(a.getStatus().observedGeneration)))
                .sorted(java.util.Comparator.comparing(a -> a.getMetadata().getName())).toList();
        List<Map<String, Object>> listed = new ArrayList<>();
        for (Application app : stuck) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", app.getMetadata().getName());
            one.put("generation", app.getMetadata().getGeneration());
            var status = app.getStatus();
            one.put("observedGeneration", status == null ? null : status.observedGeneration);
            one.put("phase", status == null || status.phase == null ? null : status.phase.name());
            one.put("conditions", status == null ? List.of() : status.conditions.stream()
                    .map(c -> c.getType() + "=" + c.getStatus() + " " + c.getReason() + ": " + c.getMessage()).toList());
            if (app.getSpec().strategy != null && "BlueGreen".equals(String.valueOf(app.getSpec().strategy.type))) {
                one.put("rollout", rolloutState(namespace, app.getMetadata().getName()));
            }
            listed.add(one);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("notReady", stuck.size());
        out.put("of", n);
        out.put("afterSeconds", afterSeconds);
        out.put("applications", listed);
        return out;
    }

    /** The Rollout of a BlueGreen Application as its own controller reports it. */
    private Map<String, Object> rolloutState(String namespace, String name) {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            Rollout rollout = client.resources(Rollout.class).inNamespace(namespace).withName(name).get();
            if (rollout == null) {
                out.put("exists", false);
                return out;
            }
            var rs = rollout.getStatus();
            String observed = rs == null ? null : rs.getObservedGeneration();
            out.put("generation", rollout.getMetadata().getGeneration());
            out.put("observedGeneration", observed);
            out.put("controllerObservedGeneration", String.valueOf(rollout.getMetadata().getGeneration()).equals(observed));
            out.put("phase", rs == null ? null : rs.getPhase());
            out.put("message", rs == null ? null : rs.getMessage());
        } catch (KubernetesClientException e) {
            out.put("error", e.getCode() + " " + e.getMessage());
        }
        return out;
    }

    /** Writes per Application created, by verb and resource (subresource after a slash). */
    private Map<String, Double> perApplication(List<AuditLog.Entry> writes) {
        return per(writes, n);
    }

    /** Writes divided by {@code units} (Applications created, changes made), by verb and resource, and in total. */
    static Map<String, Double> per(List<AuditLog.Entry> writes, int units) {
        Map<String, Long> byKind = writes.stream().collect(Collectors.groupingBy(
                e -> e.verb() + " " + e.resource() + (e.subresource().isEmpty() ? "" : "/" + e.subresource()),
                TreeMap::new, Collectors.counting()));
        Map<String, Double> per = new LinkedHashMap<>();
        byKind.forEach((k, v) -> per.put(k, round(v / (double) units)));
        per.put("total", round(writes.size() / (double) units));
        return per;
    }

    private static List<String> describe(List<AuditLog.Entry> writes) {
        return writes.stream().map(AuditLog.Entry::toString).toList();
    }

    private static PrometheusText scrape(OperatorProcess operator) {
        return PrometheusText.parse(operator.metrics());
    }

    /** Completed executions of the Application reconciler (the timer's count). */
    private static double reconciles(PrometheusText metrics) {
        return metrics.sum(RECONCILE_TIMER + "_count", s -> "application".equals(s.label("controller")));
    }

    /** p50/p99 and count of the Application reconciler's executions between two scrapes. */
    private static Map<String, Object> histogram(PrometheusText later, PrometheusText earlier) {
        Predicate<PrometheusText.Sample> app = s -> "application".equals(s.label("controller"));
        TreeMap<Double, Double> buckets = PrometheusText.minus(later.buckets(RECONCILE_TIMER, app), earlier.buckets(RECONCILE_TIMER, app));
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("count", PrometheusText.count(buckets));
        h.put("p50", round(PrometheusText.quantile(0.50, buckets) * 1000));
        h.put("p99", round(PrometheusText.quantile(0.99, buckets) * 1000));
        return h;
    }

    /** With a JFR recording among the operator's JVM options: dumps it to target/bench/ (a killed JVM writes none). */
    private void flightRecording(OperatorProcess operator, String phase) throws Exception {
        if (operatorJvmOptions.stream().noneMatch(o -> o.contains("StartFlightRecording"))) {
            return;
        }
        Path file = LocalControlPlane.repoRootForTests().resolve("target/bench/operator-n" + n + "-" + phase + ".jfr");
        Files.createDirectories(file.getParent());
        jcmd(operator, "JFR.dump", "filename=" + file);
        result.put("jfr-" + phase, file.toString());
    }

    private static String jcmd(OperatorProcess operator, String... command) throws Exception {
        // The operator's own JDK's jcmd (it may run on another release than the tests, runway.test.operator-java).
        List<String> args = new ArrayList<>(List.of(OperatorProcess.javaHome().resolve("bin/jcmd").toString(),
                Long.toString(operator.pid())));
        args.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        jcmd.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    /** RSS and heap after a full GC ({@code jcmd GC.run}), from the JVM's own metrics. */
    static Map<String, Object> memory(OperatorProcess operator) throws Exception {
        return memory(operator, true);
    }

    /** {@link #memory(OperatorProcess)}, the heap histogram only when asked (the churn phase samples once a minute). */
    static Map<String, Object> memory(OperatorProcess operator, boolean histogram) throws Exception {
        Map<String, Object> memory = new LinkedHashMap<>();
        jcmd(operator, "GC.run");
        PrometheusText metrics = scrape(operator);
        memory.put("heapAfterGcMiB", round(metrics.sum("jvm_memory_used_bytes", s -> "heap".equals(s.label("area"))) / (1 << 20)));
        memory.put("gcLiveDataMiB", round(metrics.sum("jvm_gc_live_data_size_bytes", s -> true) / (1 << 20)));
        memory.put("heapCommittedMiB", round(metrics.sum("jvm_memory_committed_bytes", s -> "heap".equals(s.label("area"))) / (1 << 20)));
        memory.put("nonHeapCommittedMiB", round(metrics.sum("jvm_memory_committed_bytes", s -> "nonheap".equals(s.label("area"))) / (1 << 20)));
        operator.rssKiB().ifPresent(kib -> memory.put("rssMiB", kib / 1024));
        if (!histogram) {
            return memory;
        }
        // What the live heap is made of: the histogram's first rows (instances, bytes, class), not the pid line jcmd prints first.
        memory.put("heapHistogramTop", jcmd(operator, "GC.class_histogram").lines()
                .filter(l -> l.matches("\\s*\\d+:\\s+\\d+\\s+\\d+\\s.*")).limit(20).map(String::trim).toList());
        return memory;
    }

    static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double seconds(long since) {
        return round((System.nanoTime() - since) / 1e9);
    }

    static double round(double value) {
        return Double.isNaN(value) ? value : Math.round(value * 100) / 100.0;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
