#!/usr/bin/env bash
# bench/bench_fuzz.sh -- builds (preset 'default') and measures 'lvtest fuzz'
# end to end against a naive differential fuzzer in the same run.
# usage: bench/bench_fuzz.sh [-n N] [-b NBASE] [-k K] [-j J]   (see bench/bench_fuzz.c)
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset default >/dev/null
cmake --build --preset default -j 2 --target lvtest bench_fuzz >/dev/null
exec build/default/bench/bench_fuzz --lvtest build/default/lvtest "$@"
