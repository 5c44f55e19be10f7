#!/usr/bin/env bash
# check-gen.sh FUZZ_GEN_REF ECHO_VM -- the oracles of the libFuzzer target
# fuzz_gen_ref, in TAP: a VM that answers every program wrongly (tests/vms
# 'echo': its output is the program's source) is a divergence that aborts
# with the explanation and the program, and libFuzzer keeps the input; with
# LVT_FUZZ_DIVERGENCE=log the same divergences are printed and fuzzing goes
# on; against the real lua5.4 and luajit it runs every input it is given.
set -u
gen=$(realpath "$1") echo_vm=$(realpath "$2")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lvt-checkgen.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi; }
cd "$tmp"
bad="lua5.4;name=echo,cmd=$echo_vm,lvx=1"

mkdir art
LVT_FUZZ_VMS=$bad LVT_FUZZ_PROFILE=portable LVT_FUZZ_META=0 \
  "$gen" -runs=50 -artifact_prefix=art/ >out 2>log
rc=$?
[ "$rc" != 0 ]; ok $? "a VM that answers wrongly: fuzz_gen_ref stops (exit status $rc)"
grep -q '^lvt-fuzz: divergence (profile portable)' log; ok $? "... with 'lvt-fuzz: divergence'"
grep -q 'odd one out: echo' log; ok $? "... naming the odd VM"
grep -q '^--- program ([0-9]* bytes) ---' log && grep -q '^-- lvtest-gen 1 profile=portable' log
ok $? "... and printing the generated program"
[ "$(find art -name 'crash-*' | wc -l)" = 1 ]; ok $? "libFuzzer kept the input"

LVT_FUZZ_VMS=$bad LVT_FUZZ_PROFILE=portable LVT_FUZZ_META=0 LVT_FUZZ_DIVERGENCE=log \
  "$gen" -runs=10 >out 2>log
rc=$?
[ "$rc" = 0 ] && grep -q '^Done 10 runs' log; ok $? "LVT_FUZZ_DIVERGENCE=log: all 10 runs done (exit status $rc)"
d=$(grep -c '^lvt-fuzz: divergence' log)
[ "$d" -ge 5 ]; ok $? "... every program diverged and was logged ($d)"

LVT_FUZZ_VMS=lua5.4,luajit LVT_FUZZ_DIVERGENCE=log "$gen" -runs=10 >out 2>log
rc=$?
[ "$rc" = 0 ] && grep -q "^Done 10 runs" log; ok $? "lua5.4 and luajit, all profiles, 2 variants each: 10 runs (exit status $rc)"
grep -q '^lvt-fuzz: comparing with luajit' log; ok $? "... compared with luajit"
echo "# divergences logged: $(grep -c '^lvt-fuzz: divergence' log), metamorphic: $(grep -c '^lvt-fuzz: metamorphic' log)"

echo "1..$n"
[ "$failed" = 0 ] || { echo "# $failed of $n failed"; tail -30 log | sed 's/^/#   /'; exit 1; }
