#!/usr/bin/env bash
exec "$(dirname "$0")/../synth-app.sh" ecs-lambda-stages cdk-2.263
