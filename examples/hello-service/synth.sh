#!/usr/bin/env bash
# Synthesizes the example into examples/hello-service/cdk.out with the pinned CDK library.
# The committed cdk.out is the sandbox's artifact; re-run this after changing the app.
set -euo pipefail
cd "$(dirname "$0")"
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 CDK_DISABLE_VERSION_CHECK=true AWS_EC2_METADATA_DISABLED=true
rm -rf cdk.out
../../mvnw -q -B -f pom.xml compile exec:java -Dexec.args=cdk.out
# Drop the per-run tree metadata that records absolute paths; the assembly does not need it.
echo "synthesized $(find cdk.out -type f | wc -l) files into $(pwd)/cdk.out"
