#!/usr/bin/env bash
# The local control plane Runway's tests and demo run on: etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler, kwok (fake nodes whose pods "run") and the Argo Rollouts
# controller, all on 127.0.0.1, built from pinned Go modules by hack/build-binaries.sh.
#
#   hack/cluster.sh up       build (once) and start everything; install CRDs; wait until usable
#   hack/cluster.sh down     stop every process this script started, by PID
#   hack/cluster.sh status   say what runs
#   hack/cluster.sh env      print 'export KUBECONFIG=... PATH=...' for the shell
#   hack/cluster.sh crds     (re)install the Runway, Argo Rollouts and Prometheus Operator CRDs
#   hack/cluster.sh stop-component kube-apiserver | start-component kube-apiserver
#                            take the API server away and bring it back (fault tests)
#   hack/cluster.sh compact-etcd   compact etcd's history: older watches get 410 Gone
#
# RUNWAY_CLUSTER_DIR (default ~/.cache/runway/cluster) holds state, logs, certificates and the
# kubeconfig; RUNWAY_PORT_BASE (default 16400) moves every port so two clusters can coexist.
# RUNWAY_SKIP_CRDS=argo,prometheus starts without those third-party CRDs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=versions.env
source "$here/versions.env"
CACHE=${RUNWAY_CACHE:-$HOME/.cache/runway}
DIR=${RUNWAY_CLUSTER_DIR:-$CACHE/cluster}
BASE=${RUNWAY_PORT_BASE:-16400}
ETCD_PORT=$((BASE + 0)) ETCD_PEER_PORT=$((BASE + 1)) API_PORT=$((BASE + 43))
KWOK_PORT=$((BASE + 50)) ARGO_METRICS_PORT=$((BASE + 60)) ARGO_HEALTH_PORT=$((BASE + 61))
K8S_BIN=$CACHE/bin/kubernetes-$K8S_VERSION
ETCD_BIN=$CACHE/bin/etcd-$ETCD_VERSION
KWOK_BIN=$CACHE/bin/kwok-$KWOK_VERSION
ARGO_BIN=$CACHE/bin/argo-rollouts-$ARGO_ROLLOUTS_VERSION
KUBECTL="$K8S_BIN/kubectl --kubeconfig=$DIR/kubeconfig"
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok rollouts-controller)

log() { printf '[cluster] %s\n' "$*" >&2; }
# shellcheck source=node.sh
source "$here/node.sh"

# A recorded PID counts only while it still runs the component's binary: after a reboot or a
# stopped session the number may belong to an unrelated process, which must never be signalled.
pid_alive() {
  [ -f "$DIR/pids/$1" ] || return 1
  local pid; pid=$(cat "$DIR/pids/$1")
  kill -0 "$pid" 2>/dev/null && [ "$(basename "$(readlink "/proc/$pid/exe" 2>/dev/null)")" = "$1" ]
}

start() { # start NAME COMMAND...: background process, PID in pids/NAME, output in logs/NAME.log
  local name=$1; shift
  if pid_alive "$name"; then return 0; fi
  mkdir -p "$DIR/pids" "$DIR/logs"
  # setsid: its own session, so a Ctrl-C in the caller's terminal does not stop the cluster.
  setsid "$@" >"$DIR/logs/$name.log" 2>&1 < /dev/null &
  echo $! >"$DIR/pids/$name"
}

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      log "timed out after ${seconds}s waiting for $what; logs in $DIR/logs"; return 1
    fi
    sleep 0.5
  done
}

certificates() {
  local pki=$DIR/pki
  [ -f "$pki/admin.crt" ] && return 0
  command -v openssl >/dev/null || { echo "error: openssl is needed to make the cluster's certificates (apt-get install openssl)" >&2; exit 127; }
  mkdir -p "$pki"
  (
    cd "$pki"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj "/CN=runway-local-ca" 2>/dev/null
    cat > apiserver.ext <<EOF
subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
extendedKeyUsage=serverAuth
EOF
    openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr -subj "/CN=kube-apiserver" 2>/dev/null
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out apiserver.crt -days 3650 -extfile apiserver.ext 2>/dev/null
    echo "extendedKeyUsage=clientAuth" > client.ext
    openssl req -newkey rsa:2048 -nodes -keyout admin.key -out admin.csr -subj "/O=system:masters/CN=runway-admin" 2>/dev/null
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out admin.crt -days 3650 -extfile client.ext 2>/dev/null
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  )
}

kubeconfig() {
  local pki=$DIR/pki
  cat > "$DIR/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: runway-local
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority-data: $(base64 -w0 < "$pki/ca.crt")
users:
- name: runway-admin
  user:
    client-certificate-data: $(base64 -w0 < "$pki/admin.crt")
    client-key-data: $(base64 -w0 < "$pki/admin.key")
contexts:
- name: runway-local
  context: {cluster: runway-local, user: runway-admin}
current-context: runway-local
EOF
}

apiserver_healthy() { $KUBECTL get --raw /readyz >/dev/null 2>&1; }

nodes() {
  local i
  for i in 0 1 2; do
    cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  labels: {type: kwok, kubernetes.io/hostname: kwok-node-$i, kubernetes.io/os: linux, kubernetes.io/arch: amd64, topology.kubernetes.io/zone: zone-$i}
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
status:
  allocatable: {cpu: "64", memory: 256Gi, pods: "500"}
  capacity: {cpu: "64", memory: 256Gi, pods: "500"}
  nodeInfo: {architecture: amd64, operatingSystem: linux, kubeletVersion: fake, kubeProxyVersion: fake}
EOF
  done
}

install_crds() {
  local skip=",${RUNWAY_SKIP_CRDS:-},"
  log "installing CRDs"
  # Only the CRD files: crds/ also holds the kustomization that config/ builds on.
  $KUBECTL apply --server-side --force-conflicts $(printf -- '-f %s ' "$repo"/crds/*.runway.dev-v1.yml) >/dev/null
  if [[ $skip != *,argo,* ]]; then
    $KUBECTL apply --server-side --force-conflicts -f "$CACHE/crds/argo-rollouts-$ARGO_ROLLOUTS_VERSION/" >/dev/null
  fi
  if [[ $skip != *,prometheus,* ]]; then
    $KUBECTL apply --server-side --force-conflicts -f "$CACHE/crds/prometheus-operator-$PROMETHEUS_OPERATOR_VERSION/" >/dev/null
  fi
  $KUBECTL wait --for=condition=Established crd --all --timeout=60s >/dev/null
}

start_apiserver() {
  local pki=$DIR/pki
  start kube-apiserver "$K8S_BIN/kube-apiserver" --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$API_PORT" \
    --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" --client-ca-file="$pki/ca.crt" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
    --service-cluster-ip-range=10.0.0.0/16 --authorization-mode=Node,RBAC --allow-privileged=true \
    --enable-admission-plugins=NamespaceLifecycle,LimitRanger,ServiceAccount,ResourceQuota,PodSecurity,NodeRestriction,PodNodeSelector,PodTolerationRestriction \
    --kubelet-client-certificate="$pki/admin.crt" --kubelet-client-key="$pki/admin.key" --kubelet-preferred-address-types=InternalIP \
    --audit-policy-file="$here/audit-policy.yaml" --audit-log-path="$DIR/logs/audit.log" \
    --audit-log-maxsize=200 --audit-log-maxbackup=1 --profiling=false --v=1
  wait_for 120 "kube-apiserver to be ready" apiserver_healthy
}

up() {
  local t0=$SECONDS
  if [[ ",${RUNWAY_SKIP_CRDS:-}," == *,argo,* ]]; then
    for part in crds etcd kwok kubernetes; do bash "$here/build-binaries.sh" "$part"; done
  else
    bash "$here/build-binaries.sh" cluster
  fi
  if apiserver_healthy && pid_alive kube-apiserver; then
    log "already up ($DIR/kubeconfig)"; install_crds; real_node_up; return 0
  fi
  down quiet
  certificates
  kubeconfig
  local pki=$DIR/pki
  start etcd "$ETCD_BIN/etcd" --name=runway --data-dir="$DIR/etcd" \
    --listen-client-urls="http://127.0.0.1:$ETCD_PORT" --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster="runway=http://127.0.0.1:$ETCD_PEER_PORT" --unsafe-no-fsync=true --quota-backend-bytes=4294967296
  start_apiserver
  # Client QPS 100/200 rather than the default 20/30: with hundreds of Applications created at
  # once, ReplicaSets and pods were created at the controller-manager's pace, not the operator's.
  start kube-controller-manager "$K8S_BIN/kube-controller-manager" --kubeconfig="$DIR/kubeconfig" \
    --authentication-kubeconfig="$DIR/kubeconfig" --authorization-kubeconfig="$DIR/kubeconfig" \
    --bind-address=127.0.0.1 --secure-port=0 --leader-elect=false \
    --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" \
    --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key" \
    --use-service-account-credentials=false --controllers='*' --profiling=false --v=1 \
    --kube-api-qps=100 --kube-api-burst=200
  start kube-scheduler "$K8S_BIN/kube-scheduler" --kubeconfig="$DIR/kubeconfig" \
    --authentication-kubeconfig="$DIR/kubeconfig" --authorization-kubeconfig="$DIR/kubeconfig" \
    --bind-address=127.0.0.1 --secure-port=0 --leader-elect=false --profiling=false --v=1 \
    --kube-api-qps=100 --kube-api-burst=200
  nodes | $KUBECTL apply -f - >/dev/null
  start kwok "$KWOK_BIN/kwok" --kubeconfig="$DIR/kubeconfig" --manage-all-nodes=false \
    --manage-nodes-with-label-selector=type=kwok --node-lease-duration-seconds=40 \
    --server-address="127.0.0.1:$KWOK_PORT" --cidr=10.244.0.1/16 --node-ip=127.0.0.1 \
    --config="$here/kwok-stages.yaml"
  install_crds
  [[ ",${RUNWAY_SKIP_CRDS:-}," == *,argo,* ]] || start rollouts-controller "$ARGO_BIN/rollouts-controller" --kubeconfig="$DIR/kubeconfig" \
    --metricsport="$ARGO_METRICS_PORT" --healthzPort="$ARGO_HEALTH_PORT" --leader-elect=false --loglevel=info
  wait_for 60 "the default ServiceAccount" $KUBECTL -n default get serviceaccount default
  wait_for 60 "the kwok nodes to be Ready" $KUBECTL wait --for=condition=Ready node -l type=kwok --timeout=5s
  real_node_up
  log "up in $((SECONDS - t0))s: export KUBECONFIG=$DIR/kubeconfig"
}

stop_component() { # stop_component NAME [quiet]: SIGTERM, SIGKILL after 5 s; only a PID still running NAME
  local name=$1 quiet=${2:-} pid
  [ -f "$DIR/pids/$name" ] || return 0
  pid=$(cat "$DIR/pids/$name")
  if pid_alive "$name"; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    [ -n "$quiet" ] || log "stopped $name ($pid)"
  fi
  rm -f "$DIR/pids/$name"
}

# Fault injection for tests: the API server goes away and comes back on the same etcd.
restartable() {
  [ "${1:-}" = kube-apiserver ] || { echo "only kube-apiserver can be stopped and started alone (got '${1:-}')" >&2; exit 2; }
}

# Compacts etcd's history up to its current revision (through etcd's JSON gateway, no etcdctl
# needed): watches resuming from an older resourceVersion then get 410 Gone and must relist.
compact_etcd() {
  local url="http://127.0.0.1:$ETCD_PORT" revision
  revision=$(curl -sf -X POST "$url/v3/kv/range" -d '{"key":"AA==","limit":1}' | sed -n 's/.*"revision":"\([0-9]*\)".*/\1/p')
  [ -n "$revision" ] || { log "cannot read etcd's revision at $url"; return 1; }
  curl -sf -X POST "$url/v3/kv/compaction" -d "{\"revision\":\"$revision\",\"physical\":true}" >/dev/null
  log "compacted etcd to revision $revision"
}

down() {
  local quiet=${1:-}
  local i
  real_node_down "$quiet"
  for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do
    stop_component "${COMPONENTS[$i]}" "$quiet"
  done
  # A fresh start gets a fresh etcd: tests rely on an empty cluster, not on leftovers.
  rm -rf "$DIR/etcd"
}

status() {
  local name rc=0
  for name in "${COMPONENTS[@]}"; do
    if pid_alive "$name"; then echo "$name running (pid $(cat "$DIR/pids/$name"))"; else echo "$name stopped"; rc=1; fi
  done
  real_node_wanted && { real_node_status || rc=1; }
  apiserver_healthy && echo "kube-apiserver ready at https://127.0.0.1:$API_PORT" || { echo "kube-apiserver not ready"; rc=1; }
  return $rc
}

case ${1:-} in
  up) up ;;
  down) down ;;
  status) status ;;
  env) echo "export KUBECONFIG=$DIR/kubeconfig PATH=$K8S_BIN:\$PATH" ;;
  crds) install_crds ;;
  kubeconfig) echo "$DIR/kubeconfig" ;;
  stop-component) restartable "${2:-}"; stop_component "$2" ;;
  start-component) restartable "${2:-}"; pid_alive etcd || { log "etcd is not running: hack/cluster.sh up"; exit 1; }; start_apiserver ;;
  compact-etcd) compact_etcd ;;
  *) echo "usage: $0 up|down|status|env|crds|kubeconfig|stop-component kube-apiserver|start-component kube-apiserver|compact-etcd" >&2; exit 2 ;;
esac
