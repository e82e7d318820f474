#!/usr/bin/env bash
# `make demo`: the local control plane, Runway's CRDs, the operator, examples/quickstart, and what
# Runway made of it. The operator keeps running in the background; `hack/demo.sh stop` ends it.
set -euo pipefail
cd "$(dirname "$0")/.."
state=${RUNWAY_CLUSTER_DIR:-$HOME/.cache/runway/cluster}
if [ "${1:-}" = stop ]; then
  [ -f "$state/pids/operator" ] && kill "$(cat "$state/pids/operator")" 2>/dev/null || true
  rm -f "$state/pids/operator"; hack/cluster.sh down; exit 0
fi
hack/cluster.sh up
eval "$(hack/cluster.sh env)"
mvn -B -q package -DskipTests
hack/cluster.sh crds
if [ -f "$state/pids/operator" ] && kill -0 "$(cat "$state/pids/operator")" 2>/dev/null; then
  kill "$(cat "$state/pids/operator")"; sleep 1
fi
mkdir -p "$state/logs" "$state/pids"
setsid java -Dquarkus.http.port=18080 -jar target/quarkus-app/quarkus-run.jar >"$state/logs/operator.log" 2>&1 < /dev/null &
echo $! > "$state/pids/operator"
echo "operator started (pid $(cat "$state/pids/operator")), log: $state/logs/operator.log"
kubectl apply -f examples/quickstart/
echo "waiting for the Application to be Ready..."
kubectl wait --for=condition=Ready application/hello -n default --timeout=120s
kubectl get runway -A
kubectl get deployment,service,pods -n default -l app.kubernetes.io/managed-by=runway-operator
echo
echo "The cluster and operator keep running: export KUBECONFIG=$KUBECONFIG to look around;"
echo "'hack/demo.sh stop' stops both."
