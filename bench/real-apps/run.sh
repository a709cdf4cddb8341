#!/usr/bin/env bash
# Wall time of `cairn sandbox run --cdk-out` per cloud assembly: each app of examples/real-apps and
# the example service (the reference that deploys end to end), one new JVM per run through the
# launcher (cli/bin/cairn, as the README's set-up runs it), started from a temporary directory with
# a copy of the assembly (no Cairn checkout in reach, as a user runs it).
# Prints one line per app, `app: X.X s wall, Y.Y s CPU, max RSS N MB (outcome)`: the median wall
# and CPU (user + system, GNU time) times of RUNS runs, the largest resident set of the JVM over
# them, and the load average before and after each app (the build machine is shared: wall figures
# move with it, CPU figures much less). Never asserts a time. A run that fails is reported with its
# exit code and the refusal code or last line of its stderr; the script goes on to the next app.
#
# Usage: bench/real-apps/run.sh [APP...]      (default: every app, then hello-service)
#   RUNS=3        runs per app
#   CAIRN_JAR     the jar to measure (default cli/target/cairn.jar)
# Needs: java 17+, python3, GNU time (/usr/bin/time), node and npm (the IAM check), cli/target/cairn.jar
#   (./mvnw -q -B -o install -DskipTests -pl sandbox,cli).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
jar="${CAIRN_JAR:-$root/cli/target/cairn.jar}"
runs="${RUNS:-3}"
[ -f "$jar" ] || { echo "missing $jar; build it first" >&2; exit 2; }
work="$(mktemp -d /tmp/cairn-bench-real-apps.XXXXXX)"
trap 'rm -rf "$work"' EXIT

apps=("$@")
if [ ${#apps[@]} -eq 0 ]; then
  for d in "$root"/examples/real-apps/*/cdk.out; do apps+=("$(basename "$(dirname "$d")")"); done
  apps+=(hello-service)
fi

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
for app in "${apps[@]}"; do
  if [ "$app" = hello-service ]; then src="$root/examples/hello-service/cdk.out"; else src="$root/examples/real-apps/$app/cdk.out"; fi
  [ -d "$src" ] || { echo "$app: no $src" >&2; exit 2; }
  rm -rf "$work/app" && mkdir -p "$work/app" && cp -r "$src" "$work/app/cdk.out"
  walls=()
  cpus=()
  rss=0
  outcome=""
  load="$(cut -d' ' -f1 /proc/loadavg)"
  for _ in $(seq "$runs"); do
    # Under `set -e` a failing command substitution in an assignment ends the script without a
    # word (a grep that matched nothing once did, after an app that failed with an uncatalogued
    # message): each step that may fail is guarded and the run is reported instead.
    set +e
    (cd "$work/app" && CAIRN_JAR="$jar" /usr/bin/time -f '%e %U %S %M' -o time.txt "$root/cli/bin/cairn" sandbox run \
      --cdk-out cdk.out --service "$app" \
      --environments stage=111111111111,prod=222222222222 --format json >out.json 2>err.txt)
    exit=$?
    read -r wall user sys kb < <(tail -1 "$work/app/time.txt")
    walls+=("$wall")
    cpus+=("$(python3 -c "print(f'{$user + $sys:.1f}')")")
    [ -n "$kb" ] && [ "$kb" -gt "$rss" ] && rss=$kb
    if [ "$exit" = 0 ]; then
      outcome=$(python3 -c "import json; s=json.load(open('$work/app/out.json')); a=s['artifacts'][-1]; print(a['status'], '; stacks', {k: len(v) for k, v in s['deployed_stacks'].items()}, '; iam denied', len(s['iam']['denied']))" 2>&1)
    else
      code=$(grep -o '[A-Z_]*_UNSUPPORTED\|[A-Z_]*_MISMATCH\|[A-Z_]*_UNREADABLE\|[A-Z_]*_UNKNOWN\|STACK_OUTSIDE_ENVIRONMENTS\|STACK_NAME_OUTSIDE_PREFIX\|NO_STACKS_FOR_ENVIRONMENT' "$work/app/err.txt" | head -1)
      outcome="exit $exit: ${code:-$(tail -1 "$work/app/err.txt")}"
    fi
    set -e
  done
  median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  echo "$app: $(median "${walls[@]}") s wall, $(median "${cpus[@]}") s CPU, max RSS $((rss / 1024)) MB ($outcome; wall runs: ${walls[*]}; CPU runs: ${cpus[*]}; load $load -> $(cut -d' ' -f1 /proc/loadavg))"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
