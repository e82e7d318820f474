# Runway — developer entry points. Prerequisites: JDK 17+, Maven 3.8+, Go 1.24+, openssl.
SHELL := /bin/bash
MVN ?= mvn -B
CLUSTER := hack/cluster.sh
export KUBECONFIG ?= $(shell $(CLUSTER) kubeconfig)

.PHONY: build test test-unit bench bench-secrets cluster-up cluster-down run demo crds image prereqs clean

prereqs:
	@hack/prereqs.sh

build: prereqs
	$(MVN) package -DskipTests

## test: every tier (unit, API server, cluster, database, node) on the local control plane, which it
## starts and stops. The node tier runs images built here: the local registry (hack/images.sh) is up
## for the run, and the package phase builds the operator image with Jib onto it.
IMAGES := hack/images.sh
test: prereqs
	hack/build-binaries.sh all
	$(IMAGES) registry up
	$(IMAGES) build pause runway-sample-app jre backup-tools postgres mariadb >/dev/null
	jre=$$($(IMAGES) build jre | tail -1); reg=$$($(IMAGES) registry address); \
	$(MVN) verify -Pimage -Dquarkus.jib.base-jvm-image=$${jre%@*} -Dquarkus.container-image.registry=$$reg \
		-Dtest-registry=$$reg \
		-Dquarkus.container-image.group=runway -Dquarkus.container-image.name=runway-operator \
		-Dquarkus.container-image.insecure=true -Dquarkus.container-image.push=true; \
		rc=$$?; $(IMAGES) registry down; exit $$rc

test-unit: prereqs
	hack/build-binaries.sh promtool
	$(MVN) test -Drunway.test.groups=unit

## bench: the benchmark at N Applications (docs/benchmarks.md), e.g. make bench N=1000; results in
## bench/results/<date>-n<N>[-background][-<BENCH_LABEL>].json. BENCH_JVM_OPTIONS go to the operator
## process (e.g. a JFR recording); BENCH_JAVA is the home of the JDK it runs on (default: Maven's).
## BACKGROUND=true first creates a real cluster's unrelated objects (5,000 Secrets, 5,000 ConfigMaps,
## 2,000 Deployments of BACKGROUND_REPLICAS pods each, default 0, with Services; kept for the next run).
## BENCH_READY_TIMEOUT (seconds) bounds the wait for Ready: what is not Ready by then is reported as stalled.
## CHURN_SECONDS=600 CHURN_RATE=5 adds the churn phase: spec changes at that rate after the rest phase.
## FLUX=true adds the peer: Flux's kustomize-controller (built here) applying the same objects, between the floor and Runway;
## FLUX_CONCURRENT sets its --concurrent (default 50, Runway's reconcile threads).
N ?= 100
BENCH_JVM_OPTIONS ?=
BENCH_JAVA ?=
BACKGROUND ?= false
BACKGROUND_REPLICAS ?= 0
BENCH_READY_TIMEOUT ?=
CHURN_SECONDS ?= 0
CHURN_RATE ?= 5
FLUX ?= false
FLUX_CONCURRENT ?= 50
bench: prereqs
	$(if $(filter true,$(FLUX)),hack/build-binaries.sh flux)
	$(MVN) verify -Dit.test=BenchIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
		-Drunway.test.excluded-groups= -Drunway.bench.n=$(N) -Drunway.bench.jvm-options="$(BENCH_JVM_OPTIONS)" \
		-Drunway.test.operator-java=$(BENCH_JAVA) -Drunway.bench.background=$(BACKGROUND) \
		-Drunway.bench.background-replicas=$(BACKGROUND_REPLICAS) -Drunway.bench.ready-timeout-seconds=$(BENCH_READY_TIMEOUT) \
		-Drunway.bench.label=$(BENCH_LABEL) -Drunway.bench.churn-seconds=$(CHURN_SECONDS) -Drunway.bench.churn-rate=$(CHURN_RATE) \
		-Drunway.bench.flux=$(FLUX) -Drunway.bench.flux-concurrent=$(FLUX_CONCURRENT)

## bench-secrets: the operator's memory with 5,000 unrelated Secrets (bench/SecretCacheBenchIT), e.g.
##   make bench-secrets BENCH_LABEL=before BENCH_JAR=/path/to/older/quarkus-run.jar BENCH_JVM_OPTIONS=-Xmx2g
BENCH_LABEL ?=
BENCH_JAR ?=
bench-secrets: prereqs
	$(MVN) verify -Dit.test=SecretCacheBenchIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
		-Drunway.test.excluded-groups= -Drunway.bench.label=$(or $(BENCH_LABEL),current) -Drunway.test.operator-jar=$(BENCH_JAR) \
		-Drunway.bench.jvm-options="$(BENCH_JVM_OPTIONS)"

cluster-up: prereqs
	$(CLUSTER) up

cluster-down:
	$(CLUSTER) down

## run: the operator outside a pod (its leader-election Lease goes to the kubeconfig's namespace,
## else default) against the current kubeconfig (else the local control plane, started if needed).
run: prereqs
	@if ! kubectl version >/dev/null 2>&1 && [ "$$KUBECONFIG" = "$$($(CLUSTER) kubeconfig)" ]; then $(CLUSTER) up; fi
	$(MVN) package -DskipTests -q
	java -jar target/quarkus-app/quarkus-run.jar

## demo: cluster up, CRDs, operator, examples/quickstart applied, then what Runway made.
demo: prereqs
	hack/demo.sh

## crds: regenerate crds/ and the Helm chart's copy from the API types.
crds: prereqs
	$(MVN) package -DskipTests -q
	cp target/kubernetes/*.runway.dev-v1.yml crds/
	cp crds/*.yml helm/runway-operator/crds/

## image: build and push the operator image with Quarkus Jib (no Docker daemon), e.g.
##   make image IMAGE=registry.example.com/runway/runway-operator:0.1.0
## Registry credentials: a docker config.json or QUARKUS_CONTAINER_IMAGE_USERNAME/_PASSWORD.
image: prereqs
	@test -n "$(IMAGE)" || { echo "error: set IMAGE=<registry>/<repository>:<tag>" >&2; exit 2; }
	$(MVN) package -DskipTests -Pimage -Dquarkus.container-image.image=$(IMAGE) -Dquarkus.container-image.push=true

clean:
	$(MVN) clean -q
