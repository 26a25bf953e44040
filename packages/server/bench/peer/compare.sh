#!/bin/sh
# Interleaved A/B of the three workloads against PostGraphile 5 (docs/performance.md).
#   PEER_BENCH=/tmp/peer-bench OURS=http://127.0.0.1:4000/graphql PEER=http://127.0.0.1:5678/graphql \
#     sh packages/server/bench/peer/compare.sh [--rounds 3 --seconds 5 ...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
: "${PEER_BENCH:?set PEER_BENCH to a copy of shared/peer-bench with npm install done}"
ours=${OURS:-http://127.0.0.1:4000/graphql}
peer=${PEER:-http://127.0.0.1:5678/graphql}
for workload in ${WORKLOADS:-nested flat node}; do
  vars=""
  if [ -f "$here/$workload.variables.json" ]; then
    vars="--va $here/$workload.variables.json --vb $here/$workload.postgraphile.variables.json"
  fi
  # shellcheck disable=SC2086
  node "$PEER_BENCH/compare.mjs" --a "$ours" --qa "$here/$workload.graphql" --b "$peer" --qb "$here/$workload.postgraphile.graphql" $vars \
    --label-a welfare-graph --label-b postgraphile --connections 10 --seconds 5 --rounds 3 --warmup 2 "$@"
done
