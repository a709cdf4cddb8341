#!/usr/bin/env bash
exec "$(dirname "$0")/../synth-app.sh" codepipeline-build-deploy cdk-2.263
