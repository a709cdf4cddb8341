#!/usr/bin/env bash
# Paired A/B of the cold verify: each round runs openssl once, then every variant once, so a change
# in the machine's load hits all of them alike; for each variant it prints the medians and the
# median of its per-round differences from the first variant (wall and CPU, ms).
#
# Usage: bench/verify/paired.sh ROUNDS VARIANT...      (after bench/verify/run.sh made WORKDIR)
#   VARIANT   JAR or JAR|EXTRA-JVM-FLAGS: the launcher's flags (cli/bin/cairn.jvm-options and
#             cli/bin/cairn-manifest-verify.jvm-options) plus EXTRA-JVM-FLAGS, with that jar
#   WORKDIR   env, default /tmp/cairn-bench
#   JAVA      the java to run (default: java on PATH)
# Example: bench/verify/paired.sh 15 /tmp/before.jar cli/target/cairn.jar \
#            'cli/target/cairn.jar|-XX:TieredStopAtLevel=1'
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="${WORKDIR:-/tmp/cairn-bench}"
rounds="${1:?ROUNDS}"
shift
[ $# -ge 1 ] || { echo "usage: $0 ROUNDS VARIANT..." >&2; exit 2; }
[ -f "$work/artifact-manifest.json" ] || { echo "no $work/artifact-manifest.json: run bench/verify/run.sh first" >&2; exit 2; }
flags=$(grep -h '^-' "$root/cli/bin/cairn.jvm-options" "$root/cli/bin/cairn-manifest-verify.jvm-options" | tr '\n' ' ')
run() { # JAR EXTRA -> "wall cpu"
  local t0 t1
  t0=$(date +%s%3N)
  CAIRN_JAR=$1 CAIRN_JAVA_OPTS="$flags $2" /usr/bin/time -f '%U %S' -o "$work/paired.time" \
    "$root/cli/bin/cairn" manifest verify --cdk-out "$work/cdk.out" \
    --manifest "$work/artifact-manifest.json" --trust-policy "$work/trust-policy.json" \
    --threads 2 --format json >"$work/paired.out" 2>"$work/paired.err" ||
    { echo "variant failed: $1 $2" >&2; cat "$work/paired.err" >&2; exit 1; }
  t1=$(date +%s%3N)
  echo "$((t1 - t0)) $(awk '{printf "%d", ($1 + $2) * 1000}' "$work/paired.time")"
}
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
declare -A wall cpu
openssl_wall=()
for v in "$@"; do run "${v%%|*}" "$([ "$v" = "${v#*|}" ] && echo "" || echo "${v#*|}")" >/dev/null; done # archives made
for ((i = 1; i <= rounds; i++)); do
  t0=$(date +%s%3N)
  sh -c 'cd "$1" && find . -type f -print0 | xargs -0 openssl dgst -sha256 > /dev/null' sh "$work/cdk.out"
  openssl_wall+=($(($(date +%s%3N) - t0)))
  k=0
  for v in "$@"; do
    k=$((k + 1))
    read -r w c < <(run "${v%%|*}" "$([ "$v" = "${v#*|}" ] && echo "" || echo "${v#*|}")")
    wall[$i,$k]=$w
    cpu[$i,$k]=$c
  done
  echo "round $i/$rounds done" >&2
done
o=$(printf '%s\n' "${openssl_wall[@]}" | median)
echo "openssl dgst -sha256: wall $o ms (median of $rounds); load $(cut -d' ' -f1-3 /proc/loadavg)"
k=0
for v in "$@"; do
  k=$((k + 1))
  w=$(for ((i = 1; i <= rounds; i++)); do echo "${wall[$i,$k]}"; done | median)
  c=$(for ((i = 1; i <= rounds; i++)); do echo "${cpu[$i,$k]}"; done | median)
  dw=$(for ((i = 1; i <= rounds; i++)); do echo $((wall[$i,$k] - wall[$i,1])); done | median)
  dc=$(for ((i = 1; i <= rounds; i++)); do echo $((cpu[$i,$k] - cpu[$i,1])); done | median)
  printf 'variant %d: wall %5d ms (%sx openssl)  cpu %5d ms  paired vs 1: wall %+d ms, cpu %+d ms  %s\n' \
    "$k" "$w" "$(awk -v a="$w" -v b="$o" 'BEGIN {printf "%.3f", a / b}')" "$c" "$dw" "$dc" "$v"
done
