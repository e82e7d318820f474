#!/usr/bin/env bash
# Builds the local control plane's binaries from pinned Go modules and caches them outside the
# repository, one directory per component and version:
#   $RUNWAY_CACHE/bin/<component>-<version>/...
# Also extracts the Argo Rollouts and Prometheus Operator CRDs from their Go modules into
#   $RUNWAY_CACHE/crds/<component>-<version>/*.yaml
# Nothing here is committed; a second run finds the stamps and does nothing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"
CACHE=${RUNWAY_CACHE:-$HOME/.cache/runway}
export GOFLAGS="${GOFLAGS:-} -buildvcs=false -trimpath"
export CGO_ENABLED=0
export GOTOOLCHAIN=local

log() { printf '[build-binaries] %s\n' "$*" >&2; }

require_go() {
  if ! command -v go >/dev/null 2>&1; then
    echo "error: 'go' was not found on PATH. The local control plane is built from Go modules;" >&2
    echo "       install Go 1.24 or newer (e.g. 'apt-get install golang') and run again." >&2
    exit 127
  fi
}

# Path of a module's go.mod in the module cache, downloading the module if needed.
module_gomod() { go mod download -json "$1@$2" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p'; }
module_dir() { go mod download -json "$1@$2" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p'; }

# Prints the replace directives of a go.mod, one "old => new [version]" per line. Local-path
# replacements of Kubernetes staging modules become the published v0.N.P of that module.
replace_lines() {
  local gomod=$1 staging_version=${2:-}
  awk '
    /^replace[[:space:]]*\($/ {inblock=1; next}
    inblock && /^\)/ {inblock=0; next}
    inblock {print; next}
    /^replace[[:space:]]/ {sub(/^replace[[:space:]]+/, ""); print}
  ' "$gomod" | sed 's#//.*##' | awk 'NF' | while IFS= read -r line; do
    local left=${line%%=>*} right=${line#*=>}
    left=$(echo "$left" | xargs) right=$(echo "$right" | xargs)
    local old=${left%% *}
    if [[ $right == ./* || $right == ../* ]]; then
      [ -n "$staging_version" ] || { log "skipping local replace $old => $right"; continue; }
      echo "$old => $old $staging_version"
    else
      echo "$left => $right"
    fi
  done
}

# new_wrapper DIR MODULE VERSION [STAGING_VERSION]: a module that requires MODULE@VERSION with
# MODULE's own replace directives, so its commands build outside its repository.
new_wrapper() {
  local dir=$1 mod=$2 version=$3 staging=${4:-}
  rm -rf "$dir"; mkdir -p "$dir"
  local gover; gover=$(go env GOVERSION | sed 's/^go//')
  { echo "module runway.local/build"; echo; echo "go $gover"; echo; echo "require $mod $version"
    local gomod; gomod=$(module_gomod "$mod" "$version")
    replace_lines "$gomod" "$staging" | sed 's/^/replace /'
  } > "$dir/go.mod"
}

build_kubernetes() {
  local out="$CACHE/bin/kubernetes-$K8S_VERSION"
  [ -f "$out/.done" ] && [ -x "$out/kubelet" ] && return 0
  log "building kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, kubelet, kube-proxy $K8S_VERSION (cold: ~20 min on 2 cores)"
  local staging="v0.${K8S_VERSION#v1.}"
  local src="$CACHE/src/kubernetes-$K8S_VERSION"
  new_wrapper "$src" k8s.io/kubernetes "$K8S_VERSION" "$staging"
  local minor; minor=$(echo "$K8S_VERSION" | cut -d. -f2)
  local ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$K8S_VERSION \
    -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor \
    -X k8s.io/component-base/version.gitTreeState=clean \
    -X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION \
    -X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=$minor"
  mkdir -p "$out"
  (cd "$src" && go build -mod=mod -ldflags "$ldflags" -o "$out/" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl \
      k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy)
  touch "$out/.done"
}

build_etcd() {
  local out="$CACHE/bin/etcd-$ETCD_VERSION"
  [ -f "$out/.done" ] && return 0
  log "building etcd $ETCD_VERSION"
  local src="$CACHE/src/etcd-$ETCD_VERSION"
  new_wrapper "$src" go.etcd.io/etcd/server/v3 "$ETCD_VERSION"
  cat > "$src/main.go" <<'GO'
// Command etcd starts the etcd server of the pinned go.etcd.io/etcd/server/v3 module.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  mkdir -p "$out"
  (cd "$src" && go build -mod=mod -ldflags "-s -w" -o "$out/etcd" .)
  touch "$out/.done"
}

build_kwok() {
  local out="$CACHE/bin/kwok-$KWOK_VERSION"
  [ -f "$out/.done" ] && return 0
  log "building kwok $KWOK_VERSION"
  local src="$CACHE/src/kwok-$KWOK_VERSION"
  new_wrapper "$src" sigs.k8s.io/kwok "$KWOK_VERSION"
  mkdir -p "$out"
  (cd "$src" && go build -mod=mod -ldflags "-s -w" -o "$out/kwok" sigs.k8s.io/kwok/cmd/kwok)
  touch "$out/.done"
}

build_argo_rollouts() {
  local out="$CACHE/bin/argo-rollouts-$ARGO_ROLLOUTS_VERSION"
  [ -f "$out/.done" ] && return 0
  log "building the Argo Rollouts controller $ARGO_ROLLOUTS_VERSION"
  local src="$CACHE/src/argo-rollouts-$ARGO_ROLLOUTS_VERSION"
  new_wrapper "$src" github.com/argoproj/argo-rollouts "$ARGO_ROLLOUTS_VERSION"
  mkdir -p "$out"
  (cd "$src" && go build -mod=mod -ldflags "-s -w" -o "$out/rollouts-controller" \
      github.com/argoproj/argo-rollouts/cmd/rollouts-controller)
  touch "$out/.done"
}

# promtool checks and unit-tests the PromQL of the PrometheusRules the operator generates.
build_promtool() {
  local out="$CACHE/bin/promtool-$PROMETHEUS_VERSION"
  [ -f "$out/.done" ] && return 0
  log "building promtool $PROMETHEUS_VERSION"
  local src="$CACHE/src/prometheus-$PROMETHEUS_VERSION"
  new_wrapper "$src" github.com/prometheus/prometheus "$PROMETHEUS_VERSION"
  mkdir -p "$out"
  (cd "$src" && go build -mod=mod -ldflags "-s -w" -o "$out/promtool" \
      github.com/prometheus/prometheus/cmd/promtool)
  touch "$out/.done"
}

# The Prometheus server, from the same module: the node tier runs it on loopback so that Argo
# Rollouts' analysis queries real scraped series (src/test/.../testing/PrometheusServer.java).
build_prometheus() {
  local out="$CACHE/bin/prometheus-$PROMETHEUS_VERSION"
  [ -f "$out/.done" ] && return 0
  log "building the Prometheus server $PROMETHEUS_VERSION"
  local src="$CACHE/src/prometheus-$PROMETHEUS_VERSION"
  [ -f "$src/go.mod" ] || new_wrapper "$src" github.com/prometheus/prometheus "$PROMETHEUS_VERSION"
  mkdir -p "$out"
  (cd "$src" && go build -mod=mod -ldflags "-s -w" -o "$out/prometheus" \
      github.com/prometheus/prometheus/cmd/prometheus)
  touch "$out/.done"
}

# The local image registry (CNCF distribution) and crane, used by hack/images.sh.
build_registry() {
  local out="$CACHE/bin/registry-$DISTRIBUTION_VERSION"
  [ -f "$out/.done" ] && return 0
  log "building the distribution registry $DISTRIBUTION_VERSION"
  local src="$CACHE/src/distribution-$DISTRIBUTION_VERSION"
  new_wrapper "$src" github.com/distribution/distribution/v3 "$DISTRIBUTION_VERSION"
  mkdir -p "$out"
  # htpasswd-bcrypt: the registry's htpasswd auth reads bcrypt entries only (openssl's apr1 is
  # refused), so a 10-line helper from the same module graph writes them.
  mkdir -p "$src/htpasswd-bcrypt"
  cat > "$src/htpasswd-bcrypt/main.go" <<'GO'
// Command htpasswd-bcrypt prints "USER:BCRYPT-HASH" for the password read from standard input.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

func main() {
	pw, _ := bufio.NewReader(os.Stdin).ReadString('\n')
	h, err := bcrypt.GenerateFromPassword([]byte(strings.TrimRight(pw, "\n")), bcrypt.DefaultCost)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%s:%s\n", os.Args[1], h)
}
GO
  (cd "$src" && go build -mod=mod -ldflags "-s -w" -o "$out/" \
      github.com/distribution/distribution/v3/cmd/registry ./htpasswd-bcrypt)
  touch "$out/.done"
}

build_crane() {
  local out="$CACHE/bin/crane-$GGCR_VERSION"
  [ -f "$out/.done" ] && return 0
  log "building crane $GGCR_VERSION"
  local src="$CACHE/src/go-containerregistry-$GGCR_VERSION"
  new_wrapper "$src" github.com/google/go-containerregistry "$GGCR_VERSION"
  mkdir -p "$out"
  (cd "$src" && go build -mod=mod -ldflags "-s -w" -o "$out/crane" \
      github.com/google/go-containerregistry/cmd/crane)
  touch "$out/.done"
}

extract_crds() {
  local out="$CACHE/crds/argo-rollouts-$ARGO_ROLLOUTS_VERSION"
  if [ ! -f "$out/.done" ]; then
    local dir; dir=$(module_dir github.com/argoproj/argo-rollouts "$ARGO_ROLLOUTS_VERSION")
    mkdir -p "$out"; cp "$dir"/manifests/crds/*-crd.yaml "$out/"; chmod u+w "$out"/*; touch "$out/.done"
  fi
  out="$CACHE/crds/prometheus-operator-$PROMETHEUS_OPERATOR_VERSION"
  if [ ! -f "$out/.done" ]; then
    local dir; dir=$(module_dir github.com/prometheus-operator/prometheus-operator "$PROMETHEUS_OPERATOR_VERSION")
    mkdir -p "$out"
    for kind in servicemonitors podmonitors prometheusrules; do
      cp "$dir/example/prometheus-operator-crd/monitoring.coreos.com_$kind.yaml" "$out/"
    done
    chmod u+w "$out"/*; touch "$out/.done"
  fi
}

# Flux's kustomize-controller, the benchmark's peer (make bench FLUX=true; not needed by the
# cluster or the tests), and the CRDs it needs: Kustomization, and the sources it watches.
build_flux() {
  local out="$CACHE/bin/kustomize-controller-$FLUX_KUSTOMIZE_CONTROLLER_VERSION"
  if [ ! -f "$out/.done" ]; then
    log "building Flux's kustomize-controller $FLUX_KUSTOMIZE_CONTROLLER_VERSION (cold: several minutes)"
    local src="$CACHE/src/kustomize-controller-$FLUX_KUSTOMIZE_CONTROLLER_VERSION"
    new_wrapper "$src" github.com/fluxcd/kustomize-controller "$FLUX_KUSTOMIZE_CONTROLLER_VERSION"
    mkdir -p "$out"
    (cd "$src" && go build -mod=mod -ldflags "-s -w" -o "$out/kustomize-controller" github.com/fluxcd/kustomize-controller)
    touch "$out/.done"
  fi
  local crds="$CACHE/crds/flux-$FLUX_KUSTOMIZE_CONTROLLER_VERSION"
  if [ ! -f "$crds/.done" ]; then
    mkdir -p "$crds"
    local dir; dir=$(module_dir github.com/fluxcd/kustomize-controller "$FLUX_KUSTOMIZE_CONTROLLER_VERSION")
    cp "$dir"/config/crd/bases/*.yaml "$crds/"
    dir=$(module_dir github.com/fluxcd/source-controller "$FLUX_SOURCE_CONTROLLER_VERSION")
    cp "$dir"/config/crd/bases/*.yaml "$crds/"
    chmod u+w "$crds"/*; touch "$crds/.done"
  fi
}

# One build of a component at a time on this machine: a second caller (another worktree's cluster,
# CI beside a developer) waits for the first and then finds its stamp, instead of building it again.
locked() { # locked NAME COMMAND...
  mkdir -p "$CACHE/bin"
  local fd
  exec {fd}>"$CACHE/bin/.build-$1.lock"
  flock "$fd"
  shift
  "$@"
  exec {fd}>&-
}

main() {
  require_go
  local what=${1:-all} part
  case $what in
    # cluster: what hack/cluster.sh up runs; all: that and the test tools (promtool, prometheus).
    cluster) for part in crds etcd kwok kubernetes argo_rollouts; do main "$part"; done ;;
    all) main cluster; main promtool; main prometheus ;;
    crds) locked crds extract_crds ;;
    kubernetes|etcd|kwok|argo_rollouts|promtool|prometheus|registry|crane|flux) locked "$what" "build_$what" ;;
    *) echo "usage: $0 [all|cluster|crds|kubernetes|etcd|kwok|argo_rollouts|promtool|prometheus|registry|crane|flux]" >&2; exit 2 ;;
  esac
}
main "$@"
