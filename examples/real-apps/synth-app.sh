#!/usr/bin/env bash
# Re-synthesizes one corpus app offline: installs its toolchain from the committed lockfile, then
# runs the pinned CDK CLI with the app's committed offline.context.json (copied to cdk.context.json
# for the run: Cairn's own `context check-not-committed` refuses a committed cdk.context.json), so no
# AWS lookup happens.
# Usage: synth-app.sh APP_DIR TOOLCHAIN_DIR   (both relative to examples/real-apps)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
app="$here/$1"
toolchain="$here/$2"
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 CDK_DISABLE_VERSION_CHECK=true \
  AWS_EC2_METADATA_DISABLED=true CDK_DEFAULT_ACCOUNT= CDK_DEFAULT_REGION=
# The app's sources sit outside the toolchain directory; NODE_PATH lets them import its packages.
export NODE_PATH="$toolchain/node_modules" TS_NODE_TRANSPILE_ONLY=true TS_NODE_PROJECT="$toolchain/tsconfig.json"
if [ ! -f "$toolchain/node_modules/.package-lock.json" ] \
    || ! cmp -s "$toolchain/package-lock.json" "$toolchain/node_modules/.cairn-lock"; then
  (cd "$toolchain" && npm ci --no-audit --no-fund --loglevel=error --ignore-scripts >/dev/null)
  cp "$toolchain/package-lock.json" "$toolchain/node_modules/.cairn-lock"
fi
cd "$app"
rm -rf cdk.out
cp offline.context.json cdk.context.json
trap 'rm -f "$app/cdk.context.json"' EXIT
"$toolchain/node_modules/.bin/cdk" synth --quiet --output cdk.out \
  --app "node $toolchain/node_modules/ts-node/dist/bin.js app.ts" >/dev/null
# Timings of this synth run: no deployment reads them and they change on every run.
rm -f cdk.out/performance-counters.json
echo "synthesized $(find cdk.out -type f | wc -l) files into $app/cdk.out"
