#!/usr/bin/env bash
# The manifest round trip CI performs, on the example service's committed cdk.out:
#   key generate -> trust init -> manifest create -> manifest sign -> manifest verify
# then proves fail-closed behaviour by tampering with one file and verifying again.
# Usage: examples/round-trip.sh [WORKDIR]   (needs cli/target/cairn.jar: ./mvnw -q -DskipTests package)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/cli/target/cairn.jar"
[ -f "$jar" ] || { echo "missing $jar; run ./mvnw -q -B -DskipTests package first" >&2; exit 2; }
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
cairn() { java -jar "$jar" "$@"; }

step() { printf '\n== %s\n' "$*"; }
cp -R "$root/examples/hello-service/cdk.out" "$work/cdk.out"
printf '{"availability-zones:account=111111111111:region=us-east-1":["us-east-1a","us-east-1b"]}\n' > "$work/context.json"

step "cairn key generate (ECDSA P-256, the KMS ECC_NIST_P256 equivalent)"
cairn key generate --algorithm ecdsa-p256 --force \
  --private-key-out "$work/ci-signer.key.pem" --public-key-out "$work/ci-signer.pub.pem"

step "cairn trust init"
cairn trust init --force --out "$work/trust-policy.json" \
  --signer "key:ci-signer=$work/ci-signer.pub.pem" \
  --allowed-cdk-cli-version 2.1148.1 --required-source-ref refs/heads/main

step "cairn manifest create"
cairn manifest create --service hello-service --cdk-out "$work/cdk.out" \
  --commit 0123456789abcdef0123456789abcdef01234567 --source-ref refs/heads/main \
  --git-signature-verified true --context "$work/context.json" --cdk-cli-version 2.1148.1 \
  --cdk-library-version aws-cdk-lib=2.263.0 --build-duration-seconds 42 \
  --out "$work/artifact-manifest.json"

step "cairn manifest sign"
cairn manifest sign --manifest "$work/artifact-manifest.json" \
  --signing-identity key:ci-signer --private-key-pem "$work/ci-signer.key.pem"

step "cairn manifest verify (expect ACCEPTED, exit 0)"
cairn manifest verify --cdk-out "$work/cdk.out" --manifest "$work/artifact-manifest.json" \
  --trust-policy "$work/trust-policy.json" \
  --expected-context-hash "$(sha256sum "$work/context.json" | cut -d' ' -f1)"

step "tamper with one template, verify again (expect REJECTED at FILE_INTEGRITY, exit 1)"
printf ' ' >> "$work/cdk.out/hello-prod-api.template.json"
set +e
cairn manifest verify --cdk-out "$work/cdk.out" --manifest "$work/artifact-manifest.json" \
  --trust-policy "$work/trust-policy.json"
rc=$?
set -e
if [ "$rc" -ne 1 ]; then
  echo "expected exit 1 for the tampered artifact, got $rc" >&2
  exit 1
fi
printf '\nround trip complete: the signed artifact verified, the tampered one was refused (work dir %s)\n' "$work"
