#!/usr/bin/env bash
# `make demo`: staging → production on real pods. The local control plane with its real node, the
# local registry with runway-sample-app, the operator (the jar, outside a pod), then examples/demo:
# version 1.0.0 in both environments, 1.1.0 rolled out in staging at once and held as a blue-green
# preview in production until it is promoted. Everything keeps running afterwards.
#
#   hack/demo.sh [--no-build]   run the demo (--no-build: use target/quarkus-app as it is)
#   hack/demo.sh clean          delete the demo's Environments (and namespaces), stop its operator
#   hack/demo.sh stop           clean, then stop the control plane and the registry
set -euo pipefail
cd "$(dirname "$0")/.."
state=${RUNWAY_CLUSTER_DIR:-$HOME/.cache/runway/cluster}
port=$(( ${RUNWAY_PORT_BASE:-16400} + 90 ))
t0=$SECONDS
say() { printf '\n== %s (%ss)\n' "$*" $((SECONDS - t0)); }

stop_operator() {
  if [ -f "$state/pids/operator" ] && kill -0 "$(cat "$state/pids/operator")" 2>/dev/null; then
    kill "$(cat "$state/pids/operator")"; sleep 2
  fi
  rm -f "$state/pids/operator"
}
clean() {
  eval "$(hack/cluster.sh env)"
  kubectl delete environment demo-staging demo-production --ignore-not-found --wait=true --timeout=120s >/dev/null || true
  stop_operator
}
case ${1:-} in
  clean) clean; exit 0 ;;
  stop) clean || true; hack/cluster.sh down; hack/images.sh registry down; exit 0 ;;
esac

say "control plane with its real node (built once, cached in ~/.cache/runway)"
hack/cluster.sh up
eval "$(hack/cluster.sh env)"
say "images: the sample app into the local registry"
hack/images.sh build runway-sample-app >/dev/null
if [ "${1:-}" != --no-build ]; then
  say "the operator (mvn package)"
  mvn -B -q package -DskipTests
fi
hack/cluster.sh crds
stop_operator
mkdir -p "$state/logs" "$state/pids"
: > "$state/logs/operator.log"
# The operator stops when an informer's first list fails (seen once in a while on this machine:
# "Connection was closed" during start-up); a pod would be restarted by the kubelet, so the demo
# starts the process again, three times at most.
ready=
for attempt in 1 2 3; do
  setsid java -Dquarkus.http.port="$port" -jar target/quarkus-app/quarkus-run.jar >>"$state/logs/operator.log" 2>&1 < /dev/null &
  echo $! > "$state/pids/operator"
  for _ in $(seq 1 120); do
    if curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$port/q/health/ready"; then ready=1; break; fi
    kill -0 "$(cat "$state/pids/operator")" 2>/dev/null || break
    sleep 0.5
  done
  [ -n "$ready" ] && break
  echo "operator did not become ready (attempt $attempt); log: $state/logs/operator.log" >&2
  stop_operator
done
[ -n "$ready" ] || { echo "error: the operator did not start; see $state/logs/operator.log" >&2; exit 1; }
echo "operator ready (pid $(cat "$state/pids/operator")), log: $state/logs/operator.log"

say "Environments demo-staging and demo-production"
kubectl apply -f examples/demo/01.Environment.demo-staging.yaml -f examples/demo/02.Environment.demo-production.yaml
kubectl wait --for=condition=Ready environment/demo-staging environment/demo-production --timeout=120s
# Their pods go to the real node (it is tainted so that the kwok nodes take everything else).
for ns in demo-staging demo-production; do
  kubectl annotate --overwrite namespace "$ns" scheduler.alpha.kubernetes.io/node-selector=runway.dev/node=real \
    'scheduler.alpha.kubernetes.io/defaultTolerations=[{"key":"runway.dev/real-node","operator":"Exists","effect":"NoSchedule"}]' >/dev/null
done

page() { # page NAMESPACE: the app's page through its Service (the API server's service proxy)
  local i
  for i in $(seq 1 30); do
    kubectl get --raw "/api/v1/namespaces/$1/services/shop:http/proxy/" 2>/dev/null | grep -E 'id="version"|GREETING=' | sed 's/<[^>]*>//g' && return 0
    sleep 2
  done
  echo "no answer from shop in $1" >&2; return 1
}

say "shop 1.0.0 in both environments"
kubectl apply -f examples/demo/03.Application.shop.yaml
kubectl wait --for=condition=Ready application/shop -n demo-staging --timeout=240s
kubectl wait --for=condition=Ready application/shop -n demo-production --timeout=240s
kubectl get pods -n demo-production -o wide
page demo-production

say "shop 1.1.0: staging rolls out, production holds a preview"
for ns in demo-staging demo-production; do
  kubectl patch application shop -n "$ns" --type merge -p '{"spec":{"image":"127.0.0.1:'$(( ${RUNWAY_PORT_BASE:-16400} + 70 ))'/runway/runway-sample-app:1.1.0"}}'
done
kubectl wait --for=jsonpath='{.status.phase}'=AwaitingPromotion application/shop -n demo-production --timeout=240s
kubectl get application shop -n demo-production
echo "production still serves:"; page demo-production
kubectl wait --for=condition=Ready application/shop -n demo-staging --timeout=240s
echo "staging serves:"; page demo-staging

say "promote production"
kubectl annotate application shop -n demo-production runway.dev/promote=
kubectl wait --for=jsonpath='{.status.phase}'=Healthy application/shop -n demo-production --timeout=240s
kubectl wait --for=condition=Ready application/shop -n demo-production --timeout=240s
echo "production serves:"; page demo-production
kubectl get runway -A

say "demo done"
cat <<EOF
Look around (export KUBECONFIG=$KUBECONFIG; kubectl is $(command -v kubectl)):
  kubectl get runway -A                                   every Runway object and its state
  kubectl get pods -n demo-production -o wide             real containers on node runway-node
  kubectl describe application shop -n demo-production   conditions, history, events
  kubectl get --raw /api/v1/namespaces/demo-production/services/shop:http/proxy/
                                                          the app's page through its Service
  kubectl port-forward -n demo-production svc/shop 8080:80     then open http://127.0.0.1:8080/
The pods also answer on their own IPs from this machine (see -o wide).
'hack/demo.sh clean' removes the demo, 'hack/demo.sh stop' also stops the cluster.
EOF
