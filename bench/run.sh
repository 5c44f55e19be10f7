#!/usr/bin/env bash
# bench/run.sh -- builds (preset 'default') and runs the VM benchmark.
# usage: bench/run.sh [-n N] [VM...]   |   bench/run.sh --peers [-n N]
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc)" --target lvtest bench_vm >/dev/null
exec build/default/bench/bench_vm --lvtest build/default/lvtest "$@"
