#!/usr/bin/env bash
exec "$(dirname "$0")/../../real-apps/synth-app.sh" ../refused-apps/aurora-dashboard cdk-2.263
