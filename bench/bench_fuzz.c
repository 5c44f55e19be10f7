/*
** bench_fuzz.c -- end-to-end throughput of 'lvtest fuzz' (generated
** programs run on ref + lua5.4 + luajit and compared) against a naive
** differential fuzzer measured in the same run: for each program, write it
** to a file, fork/exec each VM on it (the reference as 'lvtest __lua
** FILE'), read its output and compare the outputs. Both use 2 workers and
** the same generated programs (profile portable, so every VM runs every
** program); lvtest's time is wall clock of the whole command (start-up,
** self-tests, state, findings included).
**
** usage: bench_fuzz --lvtest PATH [-n N] [-b NBASE] [-k K] [-j J] [-s SIZE]
** (-s: the generator's size target for both fuzzers, as lvtest fuzz --size)
**   N      programs for lvtest fuzz (default 20000)
**   NBASE  programs for the baseline (default 1000; it is ~100x slower)
**   K      also measure lvtest fuzz with K metamorphic variants (default 2;
**          0 = skip)
** Prints programs/s of each and the ratio; exits 1 when something fails.
** Targets (issue 5): >= 20x the baseline, >= 2,000 programs/s on 2 cores.
*/
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz/lvt_gen.h"
#include "harness/lvt_fuzz.h"
#include "harness/lvt_vmspec.h"

static const char *lvtest = NULL;
static char *vm_path[3];
static const char *vm_name[3] = {"ref", "lua5.4", "luajit"};
static char tmpdir[256];

/* Runs argv with stdout into 'out'; returns 0 when it exited 0 or 1 (a
** Lua error is a result too), -1 when it could not run. */
static int run_capture(char *const argv[], LvtBuf *out) {
  int fds[2], status;
  pid_t pid;
  char buf[65536];
  ssize_t n;
  if (pipe(fds) != 0) return -1;
  pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    int devnull = open("/dev/null", O_RDWR);
    dup2(fds[1], 1);
    dup2(devnull, 2);
    dup2(devnull, 0);
    close(fds[0]);
    close(fds[1]);
    execv(argv[0], argv);
    _exit(127);
  }
  close(fds[1]);
  lvt_buf_clear(out);
  while ((n = read(fds[0], buf, sizeof buf)) > 0) lvt_buf_add(out, buf, (size_t)n);
  close(fds[0]);
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) > 1) return -1;
  return 0;
}

typedef struct Base {
  int id, nw;
  unsigned n;
  uint64_t seed;
  unsigned agree, differ, failed;
} Base;

static size_t gen_size;   /* -s: the generator's size target; 0 = default */

/* The naive fuzzer: one worker's share of the programs. */
static void *baseline(void *arg) {
  Base *b = arg;
  LvtBuf src = LVT_BUF_INIT, out[3] = {LVT_BUF_INIT, LVT_BUF_INIT, LVT_BUF_INIT};
  LvtGenOpts go;
  char file[320];
  unsigned i;
  lvt_gen_opts_init(&go);
  go.profile = LVT_PROFILE_PORTABLE;
  if (gen_size > 0) go.max_bytes = gen_size;
  snprintf(file, sizeof file, "%s/base-%d.lua", tmpdir, b->id);
  for (i = (unsigned)b->id; i < b->n; i += (unsigned)b->nw) {
    LvtErr e;
    FILE *f;
    int v, bad = 0;
    if (lvt_gen_from_seed(&go, lvt_fuzz_program_seed(b->seed, i), &src, &e) != LVT_OK) {
      b->failed++;
      continue;
    }
    f = fopen(file, "wb");
    if (f == NULL || fwrite(src.data, 1, src.len, f) != src.len) bad = 1;
    if (f != NULL) fclose(f);
    for (v = 0; v < 3 && !bad; v++) {
      char *argv[4];
      int k = 0;
      argv[k++] = vm_path[v];
      if (v == 0) argv[k++] = (char *)"__lua";
      argv[k++] = file;
      argv[k] = NULL;
      if (run_capture(argv, &out[v]) != 0) bad = 1;
    }
    if (bad) b->failed++;
    else if (out[0].len == out[1].len && out[1].len == out[2].len &&
             memcmp(out[0].data, out[1].data, out[0].len) == 0 &&
             memcmp(out[1].data, out[2].data, out[1].len) == 0)
      b->agree++;
    else b->differ++;
  }
  lvt_buf_reset(&src);
  for (i = 0; i < 3; i++) lvt_buf_reset(&out[i]);
  return NULL;
}

/* 'lvtest fuzz' with N programs and K variants; returns programs/s of
** the whole command (wall clock), or -1. */
static double run_fuzz(unsigned n, unsigned k, int jobs, uint64_t seed) {
  char runs[32], meta[32], js[16], sd[32], out[320], sz[32];
  char *argv[32];
  int i = 0, status;
  pid_t pid;
  double t0;
  snprintf(runs, sizeof runs, "%u", n);
  snprintf(meta, sizeof meta, "%u", k);
  snprintf(js, sizeof js, "%d", jobs);
  snprintf(sd, sizeof sd, "%llu", (unsigned long long)seed);
  snprintf(out, sizeof out, "%s/fuzz-k%u", tmpdir, k);
  argv[i++] = (char *)lvtest;
  argv[i++] = (char *)"fuzz";
  argv[i++] = (char *)"--vm"; argv[i++] = (char *)"ref";
  argv[i++] = (char *)"--vm"; argv[i++] = (char *)"lua5.4";
  argv[i++] = (char *)"--vm"; argv[i++] = (char *)"luajit";
  argv[i++] = (char *)"--profile"; argv[i++] = (char *)"portable";
  argv[i++] = (char *)"--runs"; argv[i++] = runs;
  argv[i++] = (char *)"--metamorphic"; argv[i++] = meta;
  argv[i++] = (char *)"--jobs"; argv[i++] = js;
  argv[i++] = (char *)"--seed"; argv[i++] = sd;
  argv[i++] = (char *)"--out"; argv[i++] = out;
  if (gen_size > 0) {
    snprintf(sz, sizeof sz, "%zu", gen_size);
    argv[i++] = (char *)"--size"; argv[i++] = sz;
  }
  argv[i++] = (char *)"-q";
  argv[i] = NULL;
  t0 = lvt_now_ms();
  pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(devnull, 2);
    execv(lvtest, argv);
    _exit(127);
  }
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) > 1)
    return -1;
  return n / ((lvt_now_ms() - t0) / 1000.0);
}

int main(int argc, char **argv) {
  unsigned n = 20000, nbase = 1000, k = 2;
  int jobs = 2, i;
  uint64_t seed = 20261123;
  Base b[16];
  pthread_t th[16];
  double t0, base_rate, fuzz_rate, meta_rate = 0;
  unsigned agree = 0, differ = 0, failed = 0;
  char cmd[300];
  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--lvtest") == 0 && i + 1 < argc) lvtest = argv[++i];
    else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) n = (unsigned)atoi(argv[++i]);
    else if (strcmp(argv[i], "-b") == 0 && i + 1 < argc) nbase = (unsigned)atoi(argv[++i]);
    else if (strcmp(argv[i], "-k") == 0 && i + 1 < argc) k = (unsigned)atoi(argv[++i]);
    else if (strcmp(argv[i], "-j") == 0 && i + 1 < argc) jobs = atoi(argv[++i]);
    else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc) gen_size = (size_t)atol(argv[++i]);
    else {
      fprintf(stderr, "usage: bench_fuzz --lvtest PATH [-n N] [-b NBASE] [-k K] [-j J] [-s SIZE]\n");
      return 2;
    }
  }
  if (lvtest == NULL || jobs < 1 || jobs > 16 || n == 0 || nbase == 0) {
    fprintf(stderr, "bench_fuzz: give --lvtest PATH (and -j 1..16, -n, -b > 0)\n");
    return 2;
  }
  vm_path[0] = lvt_xstrdup(lvtest);
  vm_path[1] = lvt_which("lua5.4");
  vm_path[2] = lvt_which("luajit");
  for (i = 0; i < 3; i++)
    if (vm_path[i] == NULL) {
      fprintf(stderr, "bench_fuzz: %s not found\n", vm_name[i]);
      return 1;
    }
  snprintf(tmpdir, sizeof tmpdir, "%s/lvt-bench-fuzz-XXXXXX",
           getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (mkdtemp(tmpdir) == NULL) return 1;

  t0 = lvt_now_ms();
  for (i = 0; i < jobs; i++) {
    memset(&b[i], 0, sizeof b[i]);
    b[i].id = i;
    b[i].nw = jobs;
    b[i].n = nbase;
    b[i].seed = seed;
    pthread_create(&th[i], NULL, baseline, &b[i]);
  }
  for (i = 0; i < jobs; i++) {
    pthread_join(th[i], NULL);
    agree += b[i].agree;
    differ += b[i].differ;
    failed += b[i].failed;
  }
  base_rate = nbase / ((lvt_now_ms() - t0) / 1000.0);
  fuzz_rate = run_fuzz(n, 0, jobs, seed);
  if (k > 0) meta_rate = run_fuzz(n / (k + 1), k, jobs, seed);

  printf("bench_fuzz: generated programs (profile portable) on ref + lua5.4 + luajit, "
         "%d workers\n", jobs);
  printf("  naive (file + fork/exec per VM + compare)  %8.0f programs/s  (%u programs: "
         "%u agree, %u differ, %u failed)\n", base_rate, nbase, agree, differ, failed);
  if (fuzz_rate < 0) {
    printf("  lvtest fuzz: FAILED\n");
    return 1;
  }
  printf("  lvtest fuzz --metamorphic 0              %8.0f programs/s  (%u programs)  "
         "%.1fx naive  [targets: >= 20x, >= 2000/s]\n", fuzz_rate, n, fuzz_rate / base_rate);
  if (k > 0)
    printf("  lvtest fuzz --metamorphic %u              %8.0f programs/s  (%u programs, "
           "each also as %u variants)  %.1fx naive\n", k, meta_rate, n / (k + 1), k,
           meta_rate / base_rate);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  if (system(cmd) != 0) fprintf(stderr, "bench_fuzz: could not remove %s\n", tmpdir);
  for (i = 0; i < 3; i++) free(vm_path[i]);
  return failed > nbase / 10 || meta_rate < 0 ? 1 : 0;
}
