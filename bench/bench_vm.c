/*
** bench_vm.c -- programs per second through each way lvtest can run Lua,
** measured in one run so the ratios hold on a noisy machine:
**   fork/exec   a new bare interpreter process per program ('lua file.lua',
**               output to /dev/null: the cheapest a per-program spawn gets)
**   fresh proc  a new lvtest child per program: spawn, driver, sandbox, one
**               program, exit (what lvtest would do without persistence)
**   proc        a persistent child speaking LVX (lvt_vm_proc_ops), with
**               the child and this thread pinned to one CPU, and unpinned
**   ref direct  the linked-in reference, fresh lua_State per program, in
**               this process (what fuzz engines use)
**   ref worker  the reference behind 'lvtest __lvx-ref' (crash-isolated)
**
** usage: bench_vm [-n N] [--lvtest PATH] [VM...]   (default VMs: lua5.4 luajit)
** Prints one line per mode and the ratios; exits 1 when a run fails.
**
**        bench_vm --peers [-n N]
** The peers' per-program overhead against lvx.lua under lua5.4 (all
** persistent; pinned as lvt_proc pins them): the time per program of an
** empty program ("return") and of the small one on each peer installed,
** as a ratio to lua5.4's, measured in turns (best of 10 rounds); the Node
** shims (fengari, wasmoon) must stay within 3x on the empty program (the
** overhead; the small one adds the engine's own speed at running Lua:
** fengari interprets in JS). Exits 1 when a run fails or a Node shim is
** over 3x.
*/
#define _GNU_SOURCE   /* sched_getcpu, CPU_SET */
#include <sched.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/lvt_vmspec.h"
#include "vm/lvt_vm.h"

extern char **environ;

/* The empty program: what a run costs beyond the program's own work. */
static const char empty_src[] = "return";

/* A small program: some arithmetic, a table, a string, one line out. */
static const char prog_src[] =
  "local t = {} for i = 1, 20 do t[i] = i * i end\n"
  "local s = 0 for _, v in ipairs(t) do s = s + v end\n"
  "print('sum', s, #table.concat(t, ','))\n";

/* Runs the program once through fork/exec of 'interp'; 0 on success. */
static int run_forkexec(const char *interp, const char *file) {
  posix_spawn_file_actions_t fa;
  pid_t pid;
  int status;
  char *argv[3];
  argv[0] = (char *)interp;
  argv[1] = (char *)file;
  argv[2] = NULL;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1 /* O_WRONLY */, 0);
  if (posix_spawn(&pid, interp, &fa, NULL, argv, environ) != 0) {
    posix_spawn_file_actions_destroy(&fa);
    return -1;
  }
  posix_spawn_file_actions_destroy(&fa);
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
  return 0;
}

/* Programs per second of 'n' runs of 'src' on an open VM; -1 on a failed
** run. */
static double rate_src(LvtVm *vm, int n, const char *src) {
  LvtProgram p = {"bench", src, strlen(src), NULL, 0};
  LvtLimits lim;
  LvtRun r;
  LvtErr e = {0, ""};
  double t0;
  int i;
  lvt_limits_default(&lim);
  lvt_run_init(&r);
  t0 = lvt_now_ms();
  for (i = 0; i < n; i++) {
    lvt_run_clear(&r);
    if (lvt_vm_run(vm, &p, &lim, &r, &e) != LVT_OK || r.outcome != LVT_RUN_OK) {
      fprintf(stderr, "bench: run %d failed: %s %s %s\n", i, e.msg,
              lvt_outcome_name(r.outcome), lvt_buf_str(&r.detail));
      lvt_run_reset(&r);
      return -1;
    }
  }
  lvt_run_reset(&r);
  return n / ((lvt_now_ms() - t0) / 1000.0);
}

static double rate_vm(LvtVm *vm, int n) {
  return rate_src(vm, n, prog_src);
}

/* Programs per second when every program gets a fresh VM process. */
static double rate_fresh(const LvtVmConfig *cfg, int n) {
  LvtProgram p = {"bench", prog_src, sizeof prog_src - 1, NULL, 0};
  LvtLimits lim;
  LvtRun r;
  double t0 = lvt_now_ms();
  int i, ok = 1;
  lvt_limits_default(&lim);
  lvt_run_init(&r);
  for (i = 0; i < n && ok; i++) {
    LvtVm *vm;
    LvtErr e = {0, ""};
    if (lvt_vm_open(&vm, cfg, &e) != LVT_OK) {
      fprintf(stderr, "bench: cannot open %s: %s\n", cfg->name, e.msg);
      ok = 0;
      break;
    }
    lvt_run_clear(&r);
    if (lvt_vm_run(vm, &p, &lim, &r, &e) != LVT_OK || r.outcome != LVT_RUN_OK) ok = 0;
    lvt_vm_close(vm);
  }
  lvt_run_reset(&r);
  return ok ? n / ((lvt_now_ms() - t0) / 1000.0) : -1;
}

/* Pins this thread to the CPU it is on; returns that CPU + 1, or 0. */
static int pin_here(void) {
  int cpu = sched_getcpu();
  cpu_set_t set;
  if (cpu < 0) return 0;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  if (sched_setaffinity(0, sizeof set, &set) != 0) return 0;
  return cpu + 1;
}

static void unpin(void) {
  cpu_set_t set;
  int c;
  CPU_ZERO(&set);
  for (c = 0; c < CPU_SETSIZE; c++) CPU_SET(c, &set);
  sched_setaffinity(0, sizeof set, &set);
}

static double rate_open(const LvtVmConfig *cfg, int n) {
  LvtVm *vm;
  LvtErr e = {0, ""};
  double r;
  if (lvt_vm_open(&vm, cfg, &e) != LVT_OK) {
    fprintf(stderr, "bench: cannot open %s: %s\n", cfg->name, e.msg);
    return -1;
  }
  rate_vm(vm, n / 20 > 10 ? n / 20 : 10);   /* warm up */
  r = rate_vm(vm, n);
  lvt_vm_close(vm);
  return r;
}

/* --peers: microseconds per program on lua5.4 (lvx.lua) and on each
** peer, for the empty and the small program, and the ratios. The VMs are
** all open at once and measured in turns: ROUNDS rounds, each running
** n / ROUNDS programs of each kind on every VM in turn; a VM's figure is
** its best round (the machine's other load comes and goes: a slow round
** is someone else's work, and every VM gets the same chances). */
#define PEER_ROUNDS 10
static int bench_peers(int n) {
  static const char *const names[] = {"lua5.4", "lj-joff", "lj-hot", "gopher-lua",
                                      "fengari", "wasmoon"};
  enum { NPEERS = sizeof names / sizeof names[0] };
  LvtVmSpec spec[NPEERS];
  LvtVm *vm[NPEERS] = {NULL};
  double best[NPEERS][2];
  int failed = 0, cpu = pin_here(), per = n / PEER_ROUNDS > 10 ? n / PEER_ROUNDS : 10;
  size_t i;
  int k, round;
  memset(spec, 0, sizeof spec);
  printf("bench_vm --peers: %d rounds of %d runs per program and VM, in turns; persistent\n"
         "children pinned to CPU %d; microseconds per program in the best round (lower is\n"
         "better) and the ratio to lvx.lua under lua5.4\n\n",
         PEER_ROUNDS, per, cpu - 1);
  for (i = 0; i < NPEERS; i++) {
    LvtErr e = {0, ""};
    best[i][0] = best[i][1] = -1;
    if (i == 0 ? lvt_vmspec_parse(&spec[i], names[i], "lvtest", &e)
               : lvt_vmspec_peer(&spec[i], names[i], &e)) {
      printf("%-11s absent: %s\n", names[i], e.msg);
      if (i == 0) return 1;
      continue;
    }
    spec[i].cfg.pin_cpu = cpu;
    if (lvt_vm_open(&vm[i], &spec[i].cfg, &e) != LVT_OK) {
      printf("%-11s cannot start: %s\n", names[i], e.msg);
      vm[i] = NULL;
      failed = 1;
      continue;
    }
    for (k = 0; k < 2; k++)                              /* warm up */
      if (rate_src(vm[i], per > 20 ? per : 20, k == 0 ? empty_src : prog_src) <= 0) failed = 1;
  }
  for (round = 0; round < PEER_ROUNDS; round++)
    for (i = 0; i < NPEERS; i++)
      for (k = 0; k < 2 && vm[i] != NULL; k++) {
        double r = rate_src(vm[i], per, k == 0 ? empty_src : prog_src), us = 1e6 / r;
        if (r <= 0) {
          failed = 1;
          lvt_vm_close(vm[i]);
          vm[i] = NULL;
          best[i][0] = best[i][1] = -1;
          break;
        }
        if (best[i][k] < 0 || us < best[i][k]) best[i][k] = us;
      }
  printf("%-11s %12s %8s %12s %8s   %s\n", "VM", "empty us", "ratio", "small us", "ratio", "");
  for (i = 0; i < NPEERS; i++) {
    int node = strcmp(names[i], "fengari") == 0 || strcmp(names[i], "wasmoon") == 0;
    if (best[i][0] > 0 && best[i][1] > 0 && best[0][0] > 0) {
      double r0 = best[i][0] / best[0][0], r1 = best[i][1] / best[0][1];
      printf("%-11s %12.1f %7.2fx %12.1f %7.2fx   %s\n", names[i], best[i][0], r0, best[i][1], r1,
             node ? (r0 <= 3 ? "within 3x" : "OVER 3x") : "");
      if (node && r0 > 3) failed = 1;
    } else if (vm[i] == NULL && spec[i].name != NULL) {
      printf("%-11s failed\n", names[i]);
    }
    if (vm[i] != NULL) lvt_vm_close(vm[i]);
  }
  for (i = 0; i < NPEERS; i++) lvt_vmspec_reset(&spec[i]);
  unpin();
  return failed;
}

int main(int argc, char **argv) {
  int n = 2000, i, failed = 0, nvms = 0;
  const char *lvtest = getenv("LVTEST");
  const char *vms[16] = {NULL};
  char file[] = "/tmp/lvt-bench-XXXXXX.lua";
  int fd;
  double ref_direct, ref_worker, ref_worker_pinned = -1;
  int peers = 0;
  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) n = atoi(argv[++i]);
    else if (strcmp(argv[i], "--lvtest") == 0 && i + 1 < argc) lvtest = argv[++i];
    else if (strcmp(argv[i], "--peers") == 0) peers = 1;
    else if (nvms < 16) vms[nvms++] = argv[i];
  }
  if (peers) return bench_peers(n);
  if (nvms == 0) {
    vms[nvms++] = "lua5.4";
    vms[nvms++] = "luajit";
  }
  if ((fd = mkstemps(file, 4)) < 0 || write(fd, prog_src, sizeof prog_src - 1) < 0) {
    perror("bench: temp file");
    return 1;
  }
  close(fd);
  printf("bench_vm: %d small programs per mode (%zu bytes each); programs/second, higher is better\n\n",
         n, sizeof prog_src - 1);

  /* The reference: direct and through the worker. */
  {
    LvtVmConfig cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.name = "ref";
    cfg.backend = LVT_BACKEND_REF;
    cfg.dialect = -1;
    ref_direct = rate_open(&cfg, n * 5);
    printf("%-10s %-12s %10.0f /s   (fresh lua_State per program)\n", "ref", "direct", ref_direct);
    ref_worker = -1;
    if (lvtest != NULL) {
      static char worker_cmd[] = "__lvx-ref";
      char *argvw[] = {(char *)lvtest, worker_cmd, NULL};
      cfg.backend = LVT_BACKEND_PROC;
      cfg.argv = argvw;
      cfg.speaks_lvx = 1;
      ref_worker = rate_open(&cfg, n);
      printf("%-10s %-12s %10.0f /s\n", "ref", "worker", ref_worker);
      cfg.pin_cpu = pin_here();
      ref_worker_pinned = rate_open(&cfg, n);
      cfg.pin_cpu = 0;
      unpin();
      printf("%-10s %-12s %10.0f /s   x%.2f unpinned\n", "ref", "worker pinned", ref_worker_pinned,
             ref_worker_pinned / ref_worker);
    } else {
      printf("%-10s %-12s %10s    (set LVTEST or --lvtest to measure)\n", "ref", "worker", "-");
    }
    if (ref_direct < 0 || (lvtest && ref_worker < 0)) failed = 1;
  }

  for (i = 0; i < nvms; i++) {
    char *path = lvt_which(vms[i]);
    LvtVmConfig cfg;
    char *argvp[2];
    double fe, pr, t0;
    int k, nfe = n / 10 > 20 ? n / 10 : 20;
    if (path == NULL) {
      printf("%-10s not found on PATH: skipped\n", vms[i]);
      continue;
    }
    t0 = lvt_now_ms();
    for (k = 0; k < nfe; k++)
      if (run_forkexec(path, file) != 0) {
        fprintf(stderr, "bench: %s %s failed\n", path, file);
        failed = 1;
        break;
      }
    fe = nfe / ((lvt_now_ms() - t0) / 1000.0);
    memset(&cfg, 0, sizeof cfg);
    argvp[0] = path;
    argvp[1] = NULL;
    cfg.name = vms[i];
    cfg.backend = LVT_BACKEND_PROC;
    cfg.argv = argvp;
    cfg.dialect = -1;
    {
      double fresh, pinned;
      int nfresh = n / 10 > 20 ? n / 10 : 20;
      fresh = rate_fresh(&cfg, nfresh);
      pr = rate_open(&cfg, n);
      cfg.pin_cpu = pin_here();
      pinned = rate_open(&cfg, n);
      cfg.pin_cpu = 0;
      unpin();
      if (pr < 0 || pinned < 0 || fresh < 0) failed = 1;
      printf("%-10s %-12s %10.0f /s\n", vms[i], "fork/exec", fe);
      printf("%-10s %-12s %10.0f /s\n", vms[i], "fresh proc", fresh);
      printf("%-10s %-12s %10.0f /s   x%.1f fresh proc, x%.1f fork/exec\n", vms[i], "proc", pr,
             pr / fresh, pr / fe);
      printf("%-10s %-12s %10.0f /s   x%.1f fresh proc, x%.1f fork/exec, x%.2f unpinned\n",
             vms[i], "proc pinned", pinned, pinned / fresh, pinned / fe, pinned / pr);
    }
    free(path);
  }
  printf("\nref direct: %.0f programs/s (target >= 10000)\n", ref_direct);
  if (ref_worker > 0)
    printf("ref worker: %.0f programs/s unpinned, %.0f pinned (target >= 5000)\n", ref_worker,
           ref_worker_pinned);
  printf("targets: proc >= 30x per-program spawning; compare 'proc pinned' with 'fresh proc'\n");
  unlink(file);
  return failed;
}
