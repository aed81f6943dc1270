#!/usr/bin/env bash
# Crée le cluster KinD du TP : 1 control-plane + 3 workers, sans CNI et sans kube-proxy
# (voir kind-config.yaml, à côté de ce script). Cilium est installé ensuite avec Helm.
#
# Usage : ./01-install-cluster.sh
# Variables : CLUSTER_NAME (défaut : ${{ cluster.name }}), KIND_NODE_IMAGE (défaut : kindest/node:${{ cluster.kubernetesVersion }})
set -euo pipefail

CLUSTER_NAME="${CLUSTER_NAME:-${{ cluster.name }}}"
KIND_NODE_IMAGE="${KIND_NODE_IMAGE:-kindest/node:${{ cluster.kubernetesVersion }}}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
config="$here/kind-config.yaml"

for tool in kind kubectl docker; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "01-install-cluster.sh : la commande '$tool' est introuvable." >&2
    exit 1
  fi
done

if [[ ! -f "$config" ]]; then
  echo "01-install-cluster.sh : $config est introuvable." >&2
  exit 1
fi

existing="$(kind get clusters 2>/dev/null)"
if grep -qx -- "$CLUSTER_NAME" <<<"$existing"; then
  echo "01-install-cluster.sh : le cluster « $CLUSTER_NAME » existe déjà ; lancez d'abord ./clean-kind.sh." >&2
  exit 1
fi

echo "Création du cluster KinD « $CLUSTER_NAME » ($KIND_NODE_IMAGE)…"
kind create cluster --name "$CLUSTER_NAME" --image "$KIND_NODE_IMAGE" --config "$config"

# Sans CNI les Nodes restent NotReady : on attend seulement qu'ils soient tous enregistrés.
expected=${{ len(nodes) }}
for _ in $(seq 1 60); do
  count="$(kubectl get nodes --no-headers 2>/dev/null | wc -l)"
  [[ "$count" -ge "$expected" ]] && break
  sleep 2
done

kubectl get nodes -o wide
echo
echo "Cluster prêt. Les Nodes sont NotReady tant que Cilium n'est pas installé (voir ebpf-values.yaml)."
