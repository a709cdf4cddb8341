#!/usr/bin/env bash
exec "$(dirname "$0")/../synth-app.sh" global-ddb-cmk cdk-2.263
