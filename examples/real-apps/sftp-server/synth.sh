#!/usr/bin/env bash
exec "$(dirname "$0")/../synth-app.sh" sftp-server cdk-2.100
