#!/usr/bin/env bash
# Regenerates docs/img/dashboard-happy.png, the README's picture of `cairn dashboard`: a fresh
# `cairn sandbox up`, `cairn sandbox run --reuse --scenario happy` into it, and the page in headless
# chromium (the dashboard's browser test, stopped after happy). Needs the built cli/target/cairn.jar
# (./mvnw -pl cli -am -DskipTests package), node, and Debian's chromium (apt-get install -y chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=cli/target/cairn.jar
[ -f "$jar" ] || { echo "build $jar first: ./mvnw -pl cli -am -DskipTests package" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
(cd cli/src/main/frontend && npm ci --no-audit --no-fund --loglevel=error --silent \
  && node browser-test.mjs "../../../target/cairn.jar" ../../../.. "$out" --only-happy)
mkdir -p docs/img
cp "$out/dashboard-happy.png" docs/img/dashboard-happy.png
echo "wrote docs/img/dashboard-happy.png"
