# shellcheck shell=bash
# The real node of the local control plane, sourced by hack/cluster.sh: containerd, runc and the
# CNI plugins from Debian packages, the kubelet from the pinned Kubernetes module. It registers as
# node `runway-node` next to the kwok nodes, labelled `runway.dev/node=real` and tainted
# `runway.dev/real-node=true:NoSchedule`, so only pods that ask for it land there (a namespace can
# ask for all its pods with the PodNodeSelector/PodTolerationRestriction annotations, see
# real_node_namespace_annotations).
#
# Network: one Linux bridge (runway0, 10.89.0.0/24) between the host and the pods' network
# namespaces, which containerd creates under its own state directory. No masquerading, no DNS
# server and no route off the machine: IP forwarding stays as the machine has it and a FORWARD rule
# drops anything a pod sends that would leave the bridge. The host reaches pods by their IPs, and
# Services through the API server's service proxy (there is no kube-proxy); pods reach each other by
# IP and the API server through the kubernetes Service's address (one DNAT rule, see node_network).
#
# RUNWAY_REAL_NODE=0 starts the control plane without it (the benchmark, a machine without root).

NODE_NAME=runway-node
NODE_DIR=$DIR/node
# One slot per port base (16400 → 0, 17400 → 1, …), so clusters started with different
# RUNWAY_PORT_BASE values each get their own bridge, pod subnet and containerd root and can run
# side by side on one machine (parallel worktrees, CI beside a developer's cluster).
NODE_SLOT=$(( (BASE - 16400) / 1000 ))
if [ "$NODE_SLOT" -lt 0 ] || [ "$NODE_SLOT" -gt 9 ] || [ $(( (BASE - 16400) % 1000 )) -ne 0 ]; then
  NODE_SLOT=0
fi
NODE_BRIDGE=runway$NODE_SLOT
NODE_POD_CIDR=10.$((89 + NODE_SLOT)).0.0/24
# The host's side of the bridge is the node's address (the kubelet refuses a loopback one): the API
# server reaches the kubelet there, and pods see it as their host.
NODE_IP=10.$((89 + NODE_SLOT)).0.1
KUBELET_PORT=$((BASE + 80)) KUBELET_HEALTHZ_PORT=$((BASE + 81))
CONTAINERD_SOCK=$NODE_DIR/containerd/containerd.sock
CTR="ctr --address $CONTAINERD_SOCK --namespace k8s.io"
NODE_PACKAGES=(containerd runc containernetworking-plugins iptables)
CNI_BIN_DIR=/usr/lib/cni

real_node_wanted() { [ "${RUNWAY_REAL_NODE:-1}" != 0 ]; }

real_node_preflight() {
  local missing=()
  [ "$(id -u)" = 0 ] || { log "the real node needs root (containerd, network namespaces, cgroups); RUNWAY_REAL_NODE=0 starts without it"; return 1; }
  command -v containerd >/dev/null || missing+=(containerd)
  command -v runc >/dev/null || missing+=(runc)
  [ -x "$CNI_BIN_DIR/bridge" ] || missing+=(containernetworking-plugins)
  command -v iptables >/dev/null || missing+=(iptables)
  if [ ${#missing[@]} -gt 0 ]; then
    log "the real node needs the Debian packages: ${missing[*]} (hack/prereqs.sh installs them)"; return 1
  fi
  [ -x "$K8S_BIN/kubelet" ] || { log "no kubelet in $K8S_BIN: hack/build-binaries.sh kubernetes"; return 1; }
}

node_certificates() {
  local pki=$DIR/pki
  [ -f "$pki/node.crt" ] && return 0
  (
    cd "$pki"
    openssl req -newkey rsa:2048 -nodes -keyout node.key -out node.csr \
      -subj "/O=system:nodes/CN=system:node:$NODE_NAME" 2>/dev/null
    openssl x509 -req -in node.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out node.crt -days 3650 -extfile client.ext 2>/dev/null
  )
}

node_config() {
  local pki=$DIR/pki
  mkdir -p "$NODE_DIR"/{containerd,cni/net.d,cni/ipam,cni/cache,kubelet,pod-logs}
  cat > "$NODE_DIR/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: runway-local
  cluster: {server: "https://127.0.0.1:$API_PORT", certificate-authority: "$pki/ca.crt"}
users:
- name: $NODE_NAME
  user: {client-certificate: "$pki/node.crt", client-key: "$pki/node.key"}
contexts:
- name: node
  context: {cluster: runway-local, user: $NODE_NAME}
current-context: node
EOF
  # restrict_oom_score_adj: this VM refuses a negative oom_score_adj, and without it every sandbox
  # fails with "can't get final child's PID from pipe: EOF". netns_mounts_under_state_dir keeps the
  # pods' network namespaces in our state directory, so `down` can find and remove them.
  cat > "$NODE_DIR/containerd/config.toml" <<EOF
version = 2
root = "$CACHE/node/containerd-root${NODE_SLOT#0}"
state = "$NODE_DIR/containerd/state"
[grpc]
  address = "$CONTAINERD_SOCK"
[ttrpc]
  address = "$CONTAINERD_SOCK.ttrpc"
[debug]
  level = "warn"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$(sandbox_image)"
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN_DIR"
    conf_dir = "$NODE_DIR/cni/net.d"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$NODE_DIR/containerd/certs.d"
EOF
  # The local registries (hack/images.sh) speak plain HTTP on loopback: the open one and the one
  # with basic auth (pulled from with an imagePullSecret).
  local reg
  for reg in 127.0.0.1:$((BASE + 70)) 127.0.0.1:$((BASE + 71)); do
    mkdir -p "$NODE_DIR/containerd/certs.d/$reg"
    cat > "$NODE_DIR/containerd/certs.d/$reg/hosts.toml" <<EOF
server = "http://$reg"
[host."http://$reg"]
  capabilities = ["pull", "resolve"]
  skip_verify = true
EOF
  done
  # ipMasq false and no default gateway to the outside: see the header. The only route is to the
  # API server's Service address; pods reach each other over the bridge by the subnet's own
  # (connected) route. A second route for the subnet through the bridge's address would send
  # pod-to-pod traffic through the host's forwarding and its ICMP redirects: connections between
  # two pods then stalled now and then (a verification Job's timed out after 20 s).
  cat > "$NODE_DIR/cni/net.d/10-runway.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "runway",
  "plugins": [
    {"type": "bridge", "bridge": "$NODE_BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "dataDir": "$NODE_DIR/cni/ipam", "ranges": [[{"subnet": "$NODE_POD_CIDR"}]],
              "routes": [{"dst": "10.0.0.1/32"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}},
    {"type": "loopback"}
  ]
}
EOF
  echo "# The real node's pods have no DNS server: they reach the host and each other by IP." > "$NODE_DIR/resolv.conf"
  # No systemd, cgroup v1 (the VM's layout), no QoS cgroups and no node-allocatable enforcement:
  # the kubelet's defaults need cgroup v2 and systemd. Eviction thresholds low: the cache disk's
  # free space must not evict test pods.
  cat > "$NODE_DIR/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: $KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $KUBELET_HEALTHZ_PORT
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: "$pki/ca.crt"}
authorization: {mode: AlwaysAllow}
containerRuntimeEndpoint: "unix://$CONTAINERD_SOCK"
cgroupDriver: cgroupfs
failCgroupV1: false
cgroupsPerQOS: false
enforceNodeAllocatable: []
failSwapOn: false
resolvConf: "$NODE_DIR/resolv.conf"
podLogsDir: "$NODE_DIR/pod-logs"
registerWithTaints:
- {key: runway.dev/real-node, value: "true", effect: NoSchedule}
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%"}
imageGCHighThresholdPercent: 99
imageGCLowThresholdPercent: 98
nodeStatusReportFrequency: 10s
serializeImagePulls: false
maxPods: 60
EOF
}

# The pause image the sandboxes run: built here (hack/images.sh), never pulled.
PAUSE_TAG=3.10
sandbox_image() { echo "127.0.0.1:$((BASE + 70))/runway/pause:$PAUSE_TAG"; }

node_network() {
  # The bridge exists before the first pod (the CNI bridge plugin takes it as it is), so its
  # settings below are in place when the first pod starts.
  if ! ip link show "$NODE_BRIDGE" >/dev/null 2>&1; then
    ip link add "$NODE_BRIDGE" type bridge
    ip addr add "$NODE_IP/${NODE_POD_CIDR#*/}" dev "$NODE_BRIDGE"
  fi
  ip link set "$NODE_BRIDGE" up
  # Pods may talk to each other and to the host; nothing they send is forwarded anywhere else.
  # `! -o` matters: with br_netfilter loaded (bridge-nf-call-iptables=1, as on this machine),
  # frames between two pods on the bridge pass FORWARD too, and a plain `-i bridge -j DROP` dropped
  # pod-to-pod traffic (a backup pod could not reach a database pod). The old rule is removed.
  iptables -D FORWARD -i "$NODE_BRIDGE" -j DROP 2>/dev/null || true
  iptables -C FORWARD -i "$NODE_BRIDGE" ! -o "$NODE_BRIDGE" -j DROP 2>/dev/null ||
    iptables -I FORWARD -i "$NODE_BRIDGE" ! -o "$NODE_BRIDGE" -j DROP
  # In-cluster clients (the operator as a pod) dial the kubernetes Service, 10.0.0.1:443. Without
  # kube-proxy, one DNAT rule sends that to the API server on the host's loopback; route_localnet on
  # the bridge alone lets the kernel deliver it there.
  sysctl -qw "net.ipv4.conf.$NODE_BRIDGE.route_localnet=1"
  local rule=(PREROUTING -i "$NODE_BRIDGE" -d 10.0.0.1/32 -p tcp --dport 443 -j DNAT --to-destination "127.0.0.1:$API_PORT")
  iptables -t nat -C "${rule[@]}" 2>/dev/null || iptables -t nat -A "${rule[@]}"
}

node_images() {
  # The sandbox image goes straight into containerd, so sandboxes start even without the registry.
  bash "$here/images.sh" build pause >/dev/null
  $CTR images import "$CACHE/images/pause-$PAUSE_TAG/image.oci.tar" >/dev/null
}

real_node_up() {
  real_node_wanted || return 0
  real_node_preflight || { log "real node: not started (see above)"; return 1; }
  local t0=$SECONDS
  node_certificates
  node_config
  node_network
  # Pods pull from the local registry (images built by hack/images.sh); it outlives `down`.
  bash "$here/images.sh" registry up
  start containerd containerd --config "$NODE_DIR/containerd/config.toml"
  wait_for 30 "containerd" $CTR version
  node_images
  start kubelet "$K8S_BIN/kubelet" --config="$NODE_DIR/kubelet/config.yaml" \
    --kubeconfig="$NODE_DIR/kubeconfig" --root-dir="$NODE_DIR/kubelet/root" --cert-dir="$NODE_DIR/kubelet/pki" \
    --hostname-override="$NODE_NAME" --node-ip="$NODE_IP" \
    --node-labels="runway.dev/node=real,type=real" --v=1
  wait_for 90 "the real node to be Ready" $KUBECTL wait --for=condition=Ready "node/$NODE_NAME" --timeout=5s
  node_volumes
  log "real node $NODE_NAME Ready in $((SECONDS - t0))s"
}

# Storage on the real node: static hostPath PersistentVolumes of StorageClass runway-real-node,
# made by the harness (a provisioner would be one more component to build and run for what four
# directories do). Not the default class: the kwok tiers' PVCs keep their own volumes.
NODE_VOLUMES=4
node_volumes() {
  local i
  for i in $(seq 0 $((NODE_VOLUMES - 1))); do
    mkdir -p "$NODE_DIR/volumes/pv-$i"; chmod 0777 "$NODE_DIR/volumes/pv-$i"
    cat <<EOF
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: runway-node-pv-$i, labels: {runway.dev/node: real}}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: runway-real-node
  hostPath: {path: "$NODE_DIR/volumes/pv-$i", type: Directory}
  nodeAffinity:
    required:
      nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [$NODE_NAME]}]}]
EOF
  done | $KUBECTL apply -f - >/dev/null
}

# Stops the kubelet and containerd and removes every container, mount and network namespace they
# left, so the next `up` starts from nothing (etcd is fresh too). Images stay cached.
real_node_down() {
  local quiet=${1:-}
  stop_component kubelet "$quiet"
  if pid_alive containerd; then
    local id
    for id in $($CTR tasks list -q 2>/dev/null); do $CTR tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true; done
    sleep 0.5
    for id in $($CTR tasks list -q 2>/dev/null); do $CTR tasks delete -f "$id" >/dev/null 2>&1 || true; done
    for id in $($CTR containers list -q 2>/dev/null); do $CTR containers delete "$id" >/dev/null 2>&1 || true; done
  fi
  stop_component containerd "$quiet"
  # Shims whose containerd is gone (they hold our socket path in their arguments).
  local pid
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $CONTAINERD_SOCK" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
  # Mounts left under the node's directories (container rootfs, shm, netns), deepest first.
  if [ -d "$NODE_DIR" ]; then
    awk -v d="$NODE_DIR" '$2 ~ "^"d {print $2}' /proc/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  fi
  ip link delete "$NODE_BRIDGE" 2>/dev/null || true
  iptables -t nat -D PREROUTING -i "$NODE_BRIDGE" -d 10.0.0.1/32 -p tcp --dport 443 -j DNAT --to-destination "127.0.0.1:$API_PORT" 2>/dev/null || true
  # The volumes go with the etcd that knew their PersistentVolumes (down always starts a fresh one).
  rm -rf "$NODE_DIR/cni/ipam" "$NODE_DIR/containerd/state" "$NODE_DIR/kubelet/root" "$NODE_DIR/pod-logs" "$NODE_DIR/volumes"
}

real_node_status() {
  local name rc=0
  for name in containerd kubelet; do
    if pid_alive "$name"; then echo "$name running (pid $(cat "$DIR/pids/$name"))"; else echo "$name stopped"; rc=1; fi
  done
  return $rc
}
