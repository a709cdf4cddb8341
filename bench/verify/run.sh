#!/usr/bin/env bash
# Verify benchmark: a 1 GiB / 10,000-file cdk.out, signed with the CLI, then
#   openssl dgst -sha256 over the same files   (the baseline: one process, one core)
#   1. cold: cli/bin/cairn manifest verify --threads 1 and --threads 2, a new JVM per run
#      (wall time, CPU time, peak RSS), RUNS times each;
#   2. steady state: bench/verify/VerifyBench.java runs the same command in one JVM, as the
#      manifest-verifier Lambda does in a warm container, WARMUP rounds then ROUNDS measured
#      rounds of openssl / --threads 1 / --threads 2 (JMH's warm-up-then-measure, without JMH).
# Everything reads a warm page cache; medians are printed.
#
# Usage: bench/verify/run.sh [WORKDIR]      (default /tmp/cairn-bench; never inside the repo)
#   RUNS=5            repetitions per cold measurement
#   ROUNDS=7 WARMUP=3 steady-state rounds, and rounds not counted before them
#   STEADY=0          skip the steady-state part
#   CAIRN_JAVA_OPTS   JVM flags for both parts (default: cli/bin/cairn.jvm-options)
#   REGENERATE=1      rebuild the cdk.out even if WORKDIR already has one
#   CAIRN_JAR         the jar to measure (default cli/target/cairn.jar)
#   JAVA              the java to run (default: java on PATH), e.g. a JDK 25 for its AOT cache
#   CAIRN_CDS=0       no class-data sharing archive / AOT cache (see cli/bin/cairn)
# Needs: java 17+, openssl, /usr/bin/time (GNU), cli/target/cairn.jar (./mvnw -q -B -o install -DskipTests -pl schema,lambdas/core,cli).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="${1:-${CAIRN_BENCH_DIR:-/tmp/cairn-bench}}"
runs="${RUNS:-5}"
jar="${CAIRN_JAR:-$root/cli/target/cairn.jar}"
cairn="$root/cli/bin/cairn"
[ -f "$jar" ] || { echo "missing $jar; build it first" >&2; exit 2; }
case "$(cd "$(dirname "$work")" 2>/dev/null && pwd)/" in "$root"/*) echo "WORKDIR must be outside the repository" >&2; exit 2 ;; esac
mkdir -p "$work"
cdk="$work/cdk.out"

if [ ! -d "$cdk" ] || [ "${REGENERATE:-0}" = 1 ]; then
  rm -rf "$cdk"
  java "$root/bench/verify/MakeCdkOut.java" "$cdk" 10000 $((1 << 30))
fi
files=$(find "$cdk" -type f | wc -l)
bytes=$(find "$cdk" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')

# Key, trust policy, manifest, signature: CI's steps, through the CLI.
CAIRN_JAR="$jar" "$cairn" key generate --algorithm ecdsa-p256 --force \
  --private-key-out "$work/bench.key.pem" --public-key-out "$work/bench.pub.pem" >/dev/null
# The bench measures hashing: the commit is not a git commit, so its signature is asserted, and the
# policy accepts that (verifying a real commit's signature is CiWorkflowHarnessIT's part).
CAIRN_JAR="$jar" "$cairn" trust init --force --out "$work/trust-policy.json" --allow-asserted-git-signature \
  --signer "key:bench=$work/bench.pub.pem" --allowed-cdk-cli-version 2.1148.1 \
  --required-source-ref refs/heads/main >/dev/null
echo '{}' > "$work/context.json"
rm -f "$work/artifact-manifest.json"
CAIRN_JAR="$jar" "$cairn" manifest create --service bench --cdk-out "$cdk" \
  --commit 0123456789abcdef0123456789abcdef01234567 --source-ref refs/heads/main \
  --git-signature-verified true --context "$work/context.json" --cdk-cli-version 2.1148.1 \
  --build-time 2026-02-01T00:00:00Z --build-duration-seconds 1 --out "$work/artifact-manifest.json" >/dev/null
CAIRN_JAR="$jar" "$cairn" manifest sign --manifest "$work/artifact-manifest.json" \
  --signing-identity key:bench --private-key-pem "$work/bench.key.pem" >/dev/null

# Warm the page cache: every measurement reads from memory, not disk.
find "$cdk" -type f -print0 | xargs -0 cat > /dev/null

now_ms() { date +%s%3N; }
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# CPU time (user + sys, children included) in ms, from GNU time's output file.
cpu_ms() { awk '{printf "%d", ($1 + $2) * 1000}' "$1"; }

openssl_ms=(); openssl_cpu=()
for _ in $(seq "$runs"); do
  t0=$(now_ms)
  /usr/bin/time -f '%U %S' -o "$work/time-openssl.txt" \
    sh -c 'cd "$1" && find . -type f -print0 | xargs -0 openssl dgst -sha256 > /dev/null' sh "$cdk"
  openssl_ms+=($(( $(now_ms) - t0 )))
  openssl_cpu+=($(cpu_ms "$work/time-openssl.txt"))
done

# One untimed run first: it leaves the launcher's class-data sharing archive (JDK 17) or the
# `manifest verify` AOT cache (JDK 25+) that every measured run then maps, as every run after a
# user's first does. Without it the first measured run would carry the archive's dump.
CAIRN_JAR="$jar" "$cairn" manifest verify --cdk-out "$cdk" --manifest "$work/artifact-manifest.json" \
  --trust-policy "$work/trust-policy.json" --threads 2 --format json > /dev/null 2> "$work/first-run.err"

declare -A wall rss cpu
for threads in 1 2; do
  w=(); r=(); c=()
  for _ in $(seq "$runs"); do
    t0=$(now_ms)
    CAIRN_JAR="$jar" /usr/bin/time -v -o "$work/time.txt" "$cairn" manifest verify --cdk-out "$cdk" \
      --manifest "$work/artifact-manifest.json" --trust-policy "$work/trust-policy.json" \
      --threads "$threads" --format json > "$work/report-$threads.json"
    w+=($(( $(now_ms) - t0 )))
    r+=($(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt"))
    c+=($(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%d", (u + s) * 1000}' "$work/time.txt"))
  done
  grep -q '"verdict" : "accepted"' "$work/report-$threads.json" || { echo "verify did not accept" >&2; cat "$work/report-$threads.json" >&2; exit 1; }
  wall[$threads]=$(printf '%s\n' "${w[@]}" | median)
  rss[$threads]=$(printf '%s\n' "${r[@]}" | median)
  cpu[$threads]=$(printf '%s\n' "${c[@]}" | median)
  echo "cairn --threads $threads wall (ms): ${w[*]}  cpu (ms): ${c[*]}  peak RSS (KiB): ${r[*]}"
done
o=$(printf '%s\n' "${openssl_ms[@]}" | median)
oc=$(printf '%s\n' "${openssl_cpu[@]}" | median)
echo "openssl wall (ms): ${openssl_ms[*]}  cpu (ms): ${openssl_cpu[*]}"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
mib_s() { awk -v b="$bytes" -v ms="$1" 'BEGIN {printf "%.0f", b / 1048576 / (ms / 1000)}'; }
echo
echo "== cold: a new JVM per verify (cli/bin/cairn) =="
echo "cdk.out: $files files, $bytes bytes; $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); runs: $runs (median)"
echo "JVM flags: ${CAIRN_JAVA_OPTS:-launcher default (cli/bin/cairn)}"
echo "JDK: $("${JAVA:-java}" -version 2>&1 | head -1); launcher cache: $([ "${CAIRN_CDS:-1}" = 1 ] && echo on || echo off)"
echo "load average before/after: $load_before / $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %7s %7s %6s %7s %8s %9s\n' "" "wall ms" "MiB/s" "ratio" "cpu ms" "cpu ratio" "peak RSS"
printf '%-34s %7s %7s %6s %7s %8s\n' "openssl dgst -sha256" "$o" "$(mib_s "$o")" "1.00x" "$oc" "1.00x"
for threads in 1 2; do
  # The cold target (a fresh JVM, what CI runs) is for 2 threads only; --threads 1 is shown for the
  # scaling. The steady-state targets are printed with the steady-state rounds below.
  printf '%-34s %7s %7s %5sx %7s %7sx %5s MiB   (cold target: %s, RSS <= 256 MiB)\n' \
    "cairn manifest verify --threads $threads" "${wall[$threads]}" "$(mib_s "${wall[$threads]}")" \
    "$(ratio "${wall[$threads]}" "$o")" "${cpu[$threads]}" "$(ratio "${cpu[$threads]}" "$oc")" \
    "$(( ${rss[$threads]} / 1024 ))" "$([ "$threads" = 1 ] && echo 'none' || echo 'wall <= 1.00x')"
done

if [ "${STEADY:-1}" = 1 ]; then
  echo
  echo "== steady state: the same command in one JVM (bench/verify/VerifyBench.java) =="
  classes="$work/bench-classes"
  rm -rf "$classes" && mkdir -p "$classes"
  javac -d "$classes" -cp "$jar" "$root/bench/verify/VerifyBench.java"
  # The launcher's JVM flags (cli/bin/cairn.jvm-options, or CAIRN_JAVA_OPTS), so the peak RSS is
  # comparable with the cold runs.
  if [ -n "${CAIRN_JAVA_OPTS:-}" ]; then
    # shellcheck disable=SC2206
    jvm=($CAIRN_JAVA_OPTS)
  else
    jvm=("@$root/cli/bin/cairn.jvm-options")
  fi
  LC_ALL=C.UTF-8 "${JAVA:-java}" "${jvm[@]}" \
    -cp "$jar:$classes" VerifyBench "$work" "${ROUNDS:-7}" "${WARMUP:-3}"
fi
