#!/usr/bin/env bash
exec "$(dirname "$0")/../synth-app.sh" aurora-dashboard cdk-2.263
