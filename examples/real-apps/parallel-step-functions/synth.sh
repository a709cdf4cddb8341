#!/usr/bin/env bash
exec "$(dirname "$0")/../synth-app.sh" parallel-step-functions cdk-2.100
