#!/usr/bin/env bash
# Runs one phase of the build or the tests and prints how long it took, as "phase NAME: N s", so
# that slow phases stand out in CI logs. The command's exit status is returned unchanged.
#   scripts/phase.sh NAME COMMAND [ARG...]
set -uo pipefail
name=$1
shift
start=$(date +%s)
"$@"
status=$?
echo "phase $name: $(($(date +%s) - start)) s"
exit $status
