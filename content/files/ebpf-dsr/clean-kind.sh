#!/usr/bin/env bash
# Supprime les clusters KinD présents sur la machine (tous, ou ceux passés en argument).
# Seuls des clusters KinD sont touchés, et uniquement via `kind delete cluster` :
# aucun autre conteneur ni réseau Docker n'est supprimé.
#
# Usage : ./clean-kind.sh [--dry-run] [NOM_DU_CLUSTER...]
set -euo pipefail

dry_run=false
if [[ "${1:-}" == "--dry-run" ]]; then
  dry_run=true
  shift
fi

if ! command -v kind >/dev/null 2>&1; then
  echo "clean-kind.sh : la commande 'kind' est introuvable (voir https://kind.sigs.k8s.io/)." >&2
  exit 1
fi

# `kind get clusters` écrit « No kind clusters found. » sur stderr quand il n'y a rien.
mapfile -t existing < <(kind get clusters 2>/dev/null)

if [[ $# -gt 0 ]]; then
  targets=("$@")
else
  targets=("${existing[@]}")
fi

if [[ ${#targets[@]} -eq 0 ]]; then
  echo "Aucun cluster KinD à supprimer."
  exit 0
fi

for name in "${targets[@]}"; do
  found=false
  for e in "${existing[@]}"; do
    [[ "$e" == "$name" ]] && found=true
  done
  if [[ "$found" != true ]]; then
    echo "Cluster KinD « $name » introuvable : ignoré."
    continue
  fi
  if [[ "$dry_run" == true ]]; then
    echo "[dry-run] kind delete cluster --name $name"
  else
    echo "Suppression du cluster KinD « $name »…"
    kind delete cluster --name "$name"
  fi
done
