/*
** test_spawn.c -- util/lvt_spawn.c with real programs (/bin/sh, sleep,
** head, env): exit codes, signals, the wall clock, the process group
** killed at the end, stdin an empty pipe, output files, cwd, the exact
** environment, start-up failures, resource limits, the child's signal
** and descriptor set-up, several threads at once, lvt_spawn_describe.
** Then the tree and file helpers of util/lvt_file.c: copy, remove
** (read-only directories too, as an unprivileged user), read, write.
*/
#define _GNU_SOURCE   /* sched_getaffinity, CPU_ISSET */
#include "util/lvt_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/tap.h"

/* =====================================================================
** Fixtures: a temp directory, output files, reading them back
** ===================================================================== */

static char dir[] = "/tmp/lvt-test-spawn-XXXXXX";
static char out_file[512], err_file[512];

/* 'dir'/'name', in one of eight rotating buffers (single thread only). */
static const char *at(const char *name) {
  static char bufs[8][512];
  static unsigned k;
  char *b = bufs[k++ & 7];
  snprintf(b, sizeof bufs[0], "%s/%s", dir, name);
  return b;
}

/* The whole environment of every child unless a test says otherwise. */
static const char *const base_env[] = {"PATH=/usr/bin:/bin", "LC_ALL=C", NULL};

/* 's' for 'argv': run in 'dir', stdout to 'out_file', stderr to
** 'err_file', the base environment, a 20 s guard so that a bug hangs no
** test. */
static void prep(LvtSpawn *s, const char *const *argv) {
  lvt_spawn_init(s);
  s->argv = (char *const *)argv;
  s->env = (char *const *)base_env;
  s->cwd = dir;
  s->out_path = out_file;
  s->err_path = err_file;
  s->timeout_ms = 20000;
}

/* Reads 'path' into 'buf' (NUL-terminated) with stdio, not with the code
** under test. Returns the length, or -1 when it cannot be opened. */
static long slurp(const char *path, char *buf, size_t size) {
  FILE *f = fopen(path, "rb");
  size_t n;
  buf[0] = '\0';
  if (f == NULL) return -1;
  n = fread(buf, 1, size - 1, f);
  fclose(f);
  buf[n] = '\0';
  return (long)n;
}

static void put(const char *path, const char *text, mode_t mode) {
  FILE *f = fopen(path, "wb");
  if (f != NULL) {
    fputs(text, f);
    fclose(f);
  }
  chmod(path, mode);
}

static long file_size(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* 1 when 'pid' is gone (ESRCH, no /proc entry) or a zombie waiting for
** init, within about 'ms' ms. */
static int gone_within(pid_t pid, int ms) {
  double end = lvt_now_ms() + ms;
  for (;;) {
    char path[64], buf[512], *p;
    FILE *f;
    size_t n;
    if (kill(pid, 0) < 0 && errno == ESRCH) return 1;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    if ((f = fopen(path, "r")) == NULL) return 1;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    p = strrchr(buf, ')');   /* "pid (comm) S ...": comm may hold ')' */
    if (p != NULL && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X')) return 1;
    if (lvt_now_ms() > end) return 0;
    usleep(10000);
  }
}

/* The pid a script wrote into 'name', or 0. */
static pid_t pid_in(const char *name) {
  char buf[64];
  long v;
  if (slurp(at(name), buf, sizeof buf) <= 0) return 0;
  v = strtol(buf, NULL, 10);
  return v > 1 ? (pid_t)v : 0;
}

/* =====================================================================
** How the command ended
** ===================================================================== */

static void test_exit_codes(void) {
  static const char *const t[] = {"/bin/true", NULL};
  static const char *const three[] = {"sh", "-c", "exit 3", NULL};   /* found on PATH */
  static const char *const big[] = {"/bin/sh", "-c", "exit 255", NULL};
  LvtSpawn s;
  LvtSpawnResult r;
  LvtErr e = {0, ""};
  char buf[64];
  prep(&s, t);
  TAP_IS_INT(lvt_spawn_run(&s, &r, &e), LVT_OK, "true: runs (%s)", e.msg);
  TAP_IS_INT(r.exited, 1, "true: exited");
  TAP_IS_INT(r.code, 0, "true: exit 0");
  TAP_IS_INT(r.signal, 0, "true: no signal");
  TAP_IS_INT(r.timed_out, 0, "true: no timeout");
  TAP_OK(r.wall_ms >= 0 && r.wall_ms < 5000, "true: wall clock measured (%.1f ms)", r.wall_ms);
  TAP_IS_STR(lvt_spawn_describe(&r, s.timeout_ms, buf, sizeof buf), "exit 0", "true: described");
  prep(&s, three);
  TAP_IS_INT(lvt_spawn_run(&s, &r, &e), LVT_OK, "exit 3: runs, 'sh' found on PATH (%s)", e.msg);
  TAP_IS_INT(r.exited, 1, "exit 3: exited");
  TAP_IS_INT(r.code, 3, "exit 3: code");
  TAP_IS_INT(r.signal, 0, "exit 3: no signal");
  TAP_IS_STR(lvt_spawn_describe(&r, s.timeout_ms, buf, sizeof buf), "exit 3", "exit 3: described");
  prep(&s, big);
  lvt_spawn_run(&s, &r, &e);
  TAP_IS_INT(r.code, 255, "exit 255: code");
}

static void test_signal(void) {
  static const char *const segv[] = {"/bin/sh", "-c", "kill -SEGV $$", NULL};
  static const char *const term[] = {"/bin/sh", "-c", "kill -TERM $$; echo alive", NULL};
  LvtSpawn s;
  LvtSpawnResult r;
  LvtErr e = {0, ""};
  char buf[64], out[64];
  prep(&s, segv);
  TAP_IS_INT(lvt_spawn_run(&s, &r, &e), LVT_OK, "SIGSEGV: a crash is not a harness error (%s)",
             e.msg);
  TAP_IS_INT(r.exited, 0, "SIGSEGV: did not exit");
  TAP_IS_INT(r.signal, SIGSEGV, "SIGSEGV: signal 11");
  TAP_IS_INT(r.timed_out, 0, "SIGSEGV: no timeout");
  TAP_IS_STR(lvt_spawn_describe(&r, s.timeout_ms, buf, sizeof buf),
             "signal 11 (Segmentation fault)", "SIGSEGV: described");
  /* A signal blocked in lvtest is not blocked in the child. */
  {
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    prep(&s, term);
    lvt_spawn_run(&s, &r, &e);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    slurp(out_file, out, sizeof out);
    TAP_IS_INT(r.signal, SIGTERM, "blocked SIGTERM in lvtest: unblocked in the child (out: %s)",
               out);
  }
}

static void test_timeout(void) {
  static const char *const slp[] = {"/bin/sleep", "5", NULL};
  static const char *const fam[] = {"/bin/sh", "-c", "sleep 30 & echo $! > bg.pid; exec sleep 30",
                                    NULL};
  LvtSpawn s;
  LvtSpawnResult r;
  LvtErr e = {0, ""};
  char buf[64];
  pid_t bg;
  prep(&s, slp);
  s.timeout_ms = 300;
  TAP_IS_INT(lvt_spawn_run(&s, &r, &e), LVT_OK, "sleep 5, 300 ms: runs (%s)", e.msg);
  TAP_IS_INT(r.timed_out, 1, "sleep 5, 300 ms: timed out");
  TAP_IS_INT(r.exited, 0, "sleep 5, 300 ms: did not exit");
  TAP_IS_INT(r.signal, SIGKILL, "sleep 5, 300 ms: killed");
  TAP_OK(r.wall_ms >= 299 && r.wall_ms < 2500, "sleep 5, 300 ms: wall clock %.0f ms", r.wall_ms);
  TAP_IS_STR(lvt_spawn_describe(&r, s.timeout_ms, buf, sizeof buf), "timeout after 300 ms",
             "sleep 5, 300 ms: described");
  /* The whole group goes at the timeout, the background sleep too. */
  unlink(at("bg.pid"));
  prep(&s, fam);
  s.timeout_ms = 300;
  lvt_spawn_run(&s, &r, &e);
  TAP_IS_INT(r.timed_out, 1, "shell with a background job: timed out");
  TAP_OK(r.wall_ms < 2500, "shell with a background job: returned in %.0f ms", r.wall_ms);
  bg = pid_in("bg.pid");
  if (TAP_OK(bg > 0, "shell with a background job: its pid was written")) {
    TAP_OK(gone_within(bg, 1000), "shell with a background job: the job is killed too");
    kill(bg, SIGKILL);   /* in case it was not */
  }
}

/* A grandchild left running in the group when the command exits is
** killed, and lvtest does not wait for it (output goes to files). */
static void test_orphan(void) {
  static const char *const orph[] = {"/bin/sh", "-c", "sleep 30 & echo $! > orphan.pid; exit 0",
                                     NULL};
  LvtSpawn s;
  LvtSpawnResult r;
  LvtErr e = {0, ""};
  pid_t bg;
  unlink(at("orphan.pid"));
  prep(&s, orph);
  TAP_IS_INT(lvt_spawn_run(&s, &r, &e), LVT_OK, "orphan: runs (%s)", e.msg);
  TAP_IS_INT(r.exited && r.code == 0, 1, "orphan: the shell exited 0");
  TAP_OK(r.wall_ms < 5000, "orphan: not waited for (%.0f ms)", r.wall_ms);
  bg = pid_in("orphan.pid");
  if (TAP_OK(bg > 0, "orphan: its pid was written")) {
    TAP_OK(gone_within(bg, 1000), "orphan: killed with the group (pid %d)", (int)bg);
    kill(bg, SIGKILL);
  }
}

/* =====================================================================
** What the command sees: stdin, output files, cwd, environment
** ===================================================================== */

static void test_stdin(void) {
  static const char *const sh[] = {
      "/bin/sh", "-c",
      "if [ -p /dev/stdin ]; then echo pipe; else echo not-a-pipe; fi; "
      "n=$(cat | wc -c); echo \"read $n\"", NULL};
  LvtSpawn s;
  LvtSpawnResult r;
  LvtErr e = {0, ""};
  char out[256];
  prep(&s, sh);
  s.timeout_ms = 5000;
  TAP_IS_INT(lvt_spawn_run(&s, &r, &e), LVT_OK, "stdin: runs (%s)", e.msg);
  slurp(out_file, out, sizeof out);
  TAP_IS_STR(out, "pipe\nread 0\n", "stdin: a pipe, empty");
  TAP_IS_INT(r.timed_out, 0, "stdin: end of file at once (no hang)");
  TAP_OK(r.wall_ms < 2000, "stdin: quick (%.0f ms)", r.wall_ms);
}

static void test_outputs(void) {
  static const char *const both[] = {"/bin/sh", "-c",
                                     "echo 1; echo 2 >&2; echo 3; echo 4 >&2", NULL};
  static const char *const one[] = {"/bin/sh", "-c", "echo x; echo y >&2", NULL};
  LvtSpawn s;
  LvtSpawnResult r;
  LvtErr e = {0, ""};
  char buf[256];
  put(out_file, "stale content, longer than what comes\n", 0644);
  put(err_file, "stale\n", 0644);
  prep(&s, both);
  TAP_IS_INT(lvt_spawn_run(&s, &r, &e), LVT_OK, "two files: runs (%s)", e.msg);
  slurp(out_file, buf, sizeof buf);
  TAP_IS_STR(buf, "1\n3\n", "two files: stdout (old content truncated)");
  slurp(err_file, buf, sizeof buf);
  TAP_IS_STR(buf, "2\n4\n", "two files: stderr");
  /* One file for both: one offset, nothing overwritten. */
  prep(&s, both);
  s.err_path = out_file;
  TAP_IS_INT(lvt_spawn_run(&s, &r, &e), LVT_OK, "one file: runs (%s)", e.msg);
  slurp(out_file, buf, sizeof buf);
  TAP_IS_STR(buf, "1\n2\n3\n4\n", "one file: both streams, in order");
  /* NULL paths: /dev/null. */
  prep(&s, one);
  s.out_path = s.err_path = NULL;
  TAP_IS_INT(lvt_spawn_run(&s, &r, &e), LVT_OK, "no paths: runs (%s)", e.msg);
  TAP_IS_INT(r.exited && r.code == 0, 1, "no paths: exit 0");
  /* An output file that cannot be created is an I/O error. */
  prep(&s, one);
  s.out_path = at("no/such/dir/out");
  e.msg[0] = '\0';
  TAP_IS_INT(lvt_spawn_run(&s, &r, &e), LVT_ERR_IO, "out in a missing directory: LVT_ERR_IO");
  TAP_OK(strstr(e.msg, "no/such/dir/out") != NULL, "out in a missing directory: named (%s)",
         e.msg);
  prep(&s, one);
  s.err_path = at("no/such/dir/err");
  TAP_IS_INT(lvt_spawn_run(&s, &r, &e), LVT_ERR_IO, "err in a missing directory: LVT_ERR_IO");
  TAP_OK(strstr(e.msg, "no/such/dir/err") != NULL, "err in a missing directory: named (%s)",
         e.msg);
}

static void test_cwd(void) {
  static const char *const pwd[] = {"/bin/sh", "-c", "pwd -P; echo here > made", NULL};
  LvtSpawn s;
  LvtSpawnResult r;
  LvtErr e = {0, ""};
  char want[600], real[512], buf[600];
  mkdir(at("sub"), 0755);
  if (!TAP_OK(realpath(at("sub"), real) != NULL, "cwd: realpath")) return;
  prep(&s, pwd);
  s.cwd = at("sub");
  TAP_IS_INT(lvt_spawn_run(&s, &r, &e), LVT_OK, "cwd: runs (%s)", e.msg);
  slurp(out_file, buf, sizeof buf);
  snprintf(want, sizeof want, "%s\n", real);
  TAP_IS_STR(buf, want, "cwd: the command runs there");
  TAP_IS_INT(file_size(at("sub/made")), 5, "cwd: relative paths land there");
  /* A missing directory: the command cannot be started there. */
  prep(&s, pwd);
  s.cwd = at("missing");
  e.msg[0] = '\0';
  TAP_IS_INT(lvt_spawn_run(&s, &r, &e), LVT_ERR_SPAWN, "missing cwd: LVT_ERR_SPAWN");
  TAP_OK(strstr(e.msg, "missing") != NULL, "missing cwd: the message names the directory (%s)",
         e.msg);
}

static void test_env(void) {
  static const char *const env[] = {"/usr/bin/env", NULL};
  static const char *const given[] = {"A=1", "B=two words", "EMPTY=", "X=a=b", NULL};
  static const char *const none[] = {NULL};
  LvtSpawn s;
  LvtSpawnResult r;
  LvtErr e = {0, ""};
  char buf[1024];
  setenv("LVT_TEST_SPAWN_LEAK", "1", 1);   /* must not reach the child */
  prep(&s, env);
  s.env = (char *const *)given;
  TAP_IS_INT(lvt_spawn_run(&s, &r, &e), LVT_OK, "env: runs (%s)", e.msg);
  slurp(out_file, buf, sizeof buf);
  TAP_IS_STR(buf, "A=1\nB=two words\nEMPTY=\nX=a=b\n", "env: exactly the one given");
  prep(&s, env);
  s.env = (char *const *)none;
  lvt_spawn_run(&s, &r, &e);
  TAP_IS_INT(slurp(out_file, buf, sizeof buf), 0, "env: an empty environment is empty (%s)", buf);
  unsetenv("LVT_TEST_SPAWN_LEAK");
}

/* =====================================================================
** Start-up failures
** ===================================================================== */

static void test_start_failures(void) {
  static const char *const missing[] = {"/nonexistent/prog", NULL};
  static const char *const notpath[] = {"lvt-no-such-command-xyz", "x", NULL};
  static const char *const empty[] = {NULL};
  const char *plain[] = {NULL, NULL};
  LvtSpawn s;
  LvtSpawnResult r;
  LvtErr e = {0, ""};
  prep(&s, missing);
  TAP_IS_INT(lvt_spawn_run(&s, &r, &e), LVT_ERR_SPAWN, "exec failure: LVT_ERR_SPAWN");
  TAP_IS_INT(e.code, LVT_ERR_SPAWN, "exec failure: e->code");
  TAP_OK(strstr(e.msg, "/nonexistent/prog") != NULL && strstr(e.msg, "No such file") != NULL,
         "exec failure: names the program and why (%s)", e.msg);
  TAP_IS_INT(r.exited || r.signal || r.timed_out, 0, "exec failure: no outcome filled in");
  /* A file without an execute bit: exec fails even for root. */
  plain[0] = at("plain.txt");
  put(plain[0], "echo hi\n", 0644);
  prep(&s, plain);
  TAP_IS_INT(lvt_spawn_run(&s, &r, &e), LVT_ERR_SPAWN, "not executable: LVT_ERR_SPAWN");
  TAP_OK(strstr(e.msg, "plain.txt") != NULL && strstr(e.msg, "Permission denied") != NULL,
         "not executable: named (%s)", e.msg);
  prep(&s, notpath);
  e.msg[0] = '\0';
  TAP_IS_INT(lvt_spawn_run(&s, &r, &e), LVT_ERR_SPAWN, "not on PATH: LVT_ERR_SPAWN");
  TAP_OK(strstr(e.msg, "lvt-no-such-command-xyz") != NULL && strstr(e.msg, "PATH") != NULL,
         "not on PATH: named (%s)", e.msg);
  prep(&s, empty);
  TAP_IS_INT(lvt_spawn_run(&s, &r, &e), LVT_ERR_SPAWN, "empty argv: LVT_ERR_SPAWN");
  prep(&s, NULL);
  TAP_IS_INT(lvt_spawn_run(&s, &r, &e), LVT_ERR_SPAWN, "NULL argv: LVT_ERR_SPAWN");
}

/* =====================================================================
** Resource limits and the child's set-up
** ===================================================================== */

static void test_fsize(void) {
  static const char *const flood[] = {"/usr/bin/head", "-c", "200000", "/dev/zero", NULL};
  LvtSpawn s;
  LvtSpawnResult r;
  LvtErr e = {0, ""};
  long n;
  prep(&s, flood);
  s.fsize_limit = 65536;
  s.timeout_ms = 10000;
  TAP_IS_INT(lvt_spawn_run(&s, &r, &e), LVT_OK, "fsize: runs (%s)", e.msg);
  n = file_size(out_file);
  TAP_OK(n > 0 && n <= 65536, "fsize: output capped at 65536 bytes (%ld)", n);
  TAP_IS_INT(r.timed_out, 0, "fsize: no hang");
  TAP_IS_INT(r.signal, 0, "fsize: SIGXFSZ ignored, not a kill");
  TAP_OK(r.exited && r.code != 0, "fsize: the write failed, head says so (exit %d)", r.code);
  /* Below the cap: everything written. */
  prep(&s, flood);
  s.fsize_limit = 300000;
  lvt_spawn_run(&s, &r, &e);
  TAP_IS_INT(file_size(out_file), 200000, "fsize: below the cap, all written");
  TAP_IS_INT(r.exited && r.code == 0, 1, "fsize: below the cap, exit 0");
}

static void test_as_limit(void) {
  static const char *const big[] = {
      "/bin/sh", "-c", "x=$(head -c 50000000 /dev/zero | tr '\\0' a); echo ${#x}", NULL};
  LvtSpawn s;
  LvtSpawnResult r;
  LvtErr e = {0, ""};
  char buf[256];
  prep(&s, big);
  s.timeout_ms = 15000;
  TAP_IS_INT(lvt_spawn_run(&s, &r, &e), LVT_OK, "as_limit: control runs (%s)", e.msg);
  slurp(out_file, buf, sizeof buf);
  TAP_IS_STR(buf, "50000000\n", "as_limit: without a limit, 50 MB fit");
  prep(&s, big);
  s.timeout_ms = 15000;
  s.as_limit = (size_t)20 << 20;
  TAP_IS_INT(lvt_spawn_run(&s, &r, &e), LVT_OK, "as_limit: limited runs (%s)", e.msg);
  slurp(out_file, buf, sizeof buf);
  TAP_OK(!r.timed_out && (r.signal != 0 || (r.exited && r.code != 0)),
         "as_limit: 20 MiB: the shell fails (exit %d, signal %d)", r.code, r.signal);
  TAP_OK(strstr(buf, "50000000") == NULL, "as_limit: 20 MiB: no 50 MB string (%s)", buf);
}

static void test_stack_cpu_pin(void) {
  static const char *const ulim[] = {"/bin/sh", "-c", "ulimit -S -s", NULL};
  static const char *const spin[] = {"/bin/sh", "-c", "while :; do :; done", NULL};
  static const char *const cpus[] = {"/bin/sh", "-c", "grep '^Cpus_allowed_list' /proc/self/status",
                                     NULL};
  LvtSpawn s;
  LvtSpawnResult r;
  LvtErr e = {0, ""};
  char buf[256], want[64];
  cpu_set_t set;
  int c = -1;
  prep(&s, ulim);
  s.stack_soft = (size_t)1000 * 1024;
  TAP_IS_INT(lvt_spawn_run(&s, &r, &e), LVT_OK, "stack_soft: runs (%s)", e.msg);
  slurp(out_file, buf, sizeof buf);
  TAP_IS_STR(buf, "1000\n", "stack_soft: 1000 KiB applied");
  prep(&s, spin);
  s.cpu_limit_s = 1;
  s.timeout_ms = 60000;   /* one CPU second can take long on a loaded machine */
  lvt_spawn_run(&s, &r, &e);
  TAP_IS_INT(r.signal, SIGXCPU, "cpu_limit_s: a busy loop gets SIGXCPU");
  TAP_IS_INT(r.timed_out, 0, "cpu_limit_s: before the wall clock (%.0f ms)", r.wall_ms);
  /* Pinned to the first CPU lvtest may use. */
  if (sched_getaffinity(0, sizeof set, &set) == 0)
    for (c = 0; c < CPU_SETSIZE && !CPU_ISSET(c, &set); c++) {}
  if (c < 0 || c >= CPU_SETSIZE) {
    printf("# SKIP pin_cpu: sched_getaffinity failed\n");
    return;
  }
  prep(&s, cpus);
  s.pin_cpu = c + 1;
  lvt_spawn_run(&s, &r, &e);
  slurp(out_file, buf, sizeof buf);
  snprintf(want, sizeof want, "Cpus_allowed_list:\t%d\n", c);
  TAP_IS_STR(buf, want, "pin_cpu: on CPU %d only", c);
}

/* What lvt_spawn_child_setup promises: SIGINT back to its default, no
** descriptor of lvtest's leaks, no core file. */
static void test_child_setup(void) {
  static const char *const intr[] = {"/bin/sh", "-c", "kill -INT $$; echo alive", NULL};
  static const char *const fds[] = {
      "/bin/sh", "-c", "if [ -e /proc/self/fd/57 ]; then echo leaked; else echo closed; fi; "
      "ulimit -c", NULL};
  LvtSpawn s;
  LvtSpawnResult r;
  LvtErr e = {0, ""};
  struct sigaction ign, old;
  char buf[256];
  int fd;
  memset(&ign, 0, sizeof ign);
  ign.sa_handler = SIG_IGN;
  sigaction(SIGINT, &ign, &old);
  prep(&s, intr);
  lvt_spawn_run(&s, &r, &e);
  sigaction(SIGINT, &old, NULL);
  TAP_IS_INT(r.signal, SIGINT, "ignored SIGINT in lvtest: default in the child");
  fd = open("/dev/null", O_RDONLY);   /* no O_CLOEXEC: would leak */
  if (fd >= 0 && fd != 57) {
    dup2(fd, 57);
    close(fd);
  }
  prep(&s, fds);
  lvt_spawn_run(&s, &r, &e);
  close(57);
  slurp(out_file, buf, sizeof buf);
  TAP_IS_STR(buf, "closed\n0\n", "descriptors of lvtest closed; core files off");
}

/* Several threads at once: each gets its own result and output. */
typedef struct Job {
  int id, bad;
  char out[512];
} Job;

static void *job_main(void *arg) {
  Job *j = arg;
  int k;
  for (k = 0; k < 8; k++) {
    char code[16], want[16], buf[64];
    const char *argv[] = {"/bin/sh", "-c", "echo \"$1\"; exit \"$1\"", "sh", code, NULL};
    LvtSpawn s;
    LvtSpawnResult r;
    LvtErr e = {0, ""};
    snprintf(code, sizeof code, "%d", j->id * 10 + k);
    snprintf(want, sizeof want, "%s\n", code);
    lvt_spawn_init(&s);
    s.argv = (char *const *)argv;
    s.env = (char *const *)base_env;
    s.out_path = j->out;
    s.timeout_ms = 20000;
    if (lvt_spawn_run(&s, &r, &e) != LVT_OK || !r.exited || r.code != j->id * 10 + k ||
        slurp(j->out, buf, sizeof buf) < 0 || strcmp(buf, want) != 0)
      j->bad++;
  }
  return NULL;
}

static void test_threads(void) {
  enum { NJOBS = 4 };
  Job jobs[NJOBS];
  pthread_t th[NJOBS];
  int i, started[NJOBS];
  for (i = 0; i < NJOBS; i++) {
    jobs[i].id = i + 1;
    jobs[i].bad = 0;
    snprintf(jobs[i].out, sizeof jobs[i].out, "%s/thread%d.out", dir, i);
    started[i] = pthread_create(&th[i], NULL, job_main, &jobs[i]) == 0;
  }
  for (i = 0; i < NJOBS; i++) {
    if (started[i]) pthread_join(th[i], NULL);
    TAP_OK(started[i] && jobs[i].bad == 0, "thread %d: 8 runs, each its own code and output (%d bad)",
           i, jobs[i].bad);
  }
}

static void test_describe(void) {
  LvtSpawnResult r;
  char buf[64], small[6];
  memset(&r, 0, sizeof r);
  r.exited = 1;
  TAP_IS_STR(lvt_spawn_describe(&r, 0, buf, sizeof buf), "exit 0", "describe: exit 0");
  r.code = 1;
  TAP_IS_STR(lvt_spawn_describe(&r, 0, buf, sizeof buf), "exit 1", "describe: exit 1");
  memset(&r, 0, sizeof r);
  r.signal = SIGSEGV;
  TAP_IS_STR(lvt_spawn_describe(&r, 0, buf, sizeof buf), "signal 11 (Segmentation fault)",
             "describe: signal 11");
  r.signal = SIGKILL;
  r.timed_out = 1;
  TAP_IS_STR(lvt_spawn_describe(&r, 5000, buf, sizeof buf), "timeout after 5000 ms",
             "describe: a timeout wins over its SIGKILL");
  memset(&r, 0, sizeof r);
  r.exited = 1;
  r.code = 123;
  TAP_OK(lvt_spawn_describe(&r, 0, small, sizeof small) == small, "describe: returns buf");
  TAP_IS_STR(small, "exit ", "describe: cut to fit, NUL-terminated");
}

/* =====================================================================
** Trees and whole files (util/lvt_file.c)
** ===================================================================== */

static int mode_of(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

static int is_link_to(const char *path, const char *target) {
  char buf[512];
  ssize_t n = readlink(path, buf, sizeof buf - 1);
  if (n < 0) return 0;
  buf[n] = '\0';
  return strcmp(buf, target) == 0;
}

static void test_copy_tree(void) {
  static const char bin[] = "a\0b\0\xff\n";
  LvtErr e = {0, ""};
  LvtBuf got = LVT_BUF_INIT;
  char buf[256];
  int trunc = 0;
  struct stat st;
  mkdir(at("src"), 0755);
  mkdir(at("src/d1"), 0750);
  mkdir(at("src/d1/d2"), 0755);
  mkdir(at("src/empty"), 0755);
  put(at("src/a.txt"), "alpha\n", 0644);
  put(at("src/run.sh"), "#!/bin/sh\necho ran\n", 0755);
  put(at("src/d1/secret"), "s\n", 0600);
  lvt_write_file(at("src/d1/d2/deep.bin"), bin, sizeof bin - 1, NULL);
  symlink("a.txt", at("src/link"));
  symlink("d1", at("src/dirlink"));
  symlink("nowhere", at("src/dangling"));
  TAP_IS_INT(lvt_copy_tree(at("src"), at("dst"), &e), LVT_OK, "copy: works (%s)", e.msg);
  slurp(at("dst/a.txt"), buf, sizeof buf);
  TAP_IS_STR(buf, "alpha\n", "copy: file contents");
  lvt_read_file(at("dst/d1/d2/deep.bin"), 1000, &got, &trunc, NULL);
  TAP_IS_MEM(got.data, got.len, bin, sizeof bin - 1, "copy: nested binary file");
  TAP_IS_INT(mode_of(at("dst/run.sh")), 0755, "copy: executable bit kept");
  TAP_IS_INT(mode_of(at("dst/a.txt")), 0644, "copy: 0644 kept");
  TAP_IS_INT(mode_of(at("dst/d1/secret")), 0600, "copy: 0600 kept");
  TAP_IS_INT(mode_of(at("dst/d1")), 0750, "copy: directory mode kept");
  TAP_OK(stat(at("dst/empty"), &st) == 0 && S_ISDIR(st.st_mode), "copy: empty directory");
  TAP_OK(lstat(at("dst/link"), &st) == 0 && S_ISLNK(st.st_mode) && is_link_to(at("dst/link"), "a.txt"),
         "copy: a symlink stays a symlink, same target");
  TAP_OK(lstat(at("dst/dirlink"), &st) == 0 && S_ISLNK(st.st_mode) &&
         is_link_to(at("dst/dirlink"), "d1"), "copy: a symlink to a directory is not followed");
  TAP_OK(lstat(at("dst/dangling"), &st) == 0 && S_ISLNK(st.st_mode), "copy: a dangling symlink");
  /* Refusals. */
  e.msg[0] = '\0';
  TAP_IS_INT(lvt_copy_tree(at("src"), at("dst"), &e), LVT_ERR_IO, "copy: existing destination refused");
  TAP_OK(strstr(e.msg, "dst") != NULL, "copy: existing destination named (%s)", e.msg);
  TAP_IS_INT(lvt_copy_tree(at("nosrc"), at("dst2"), &e), LVT_ERR_IO, "copy: missing source refused");
  TAP_OK(strstr(e.msg, "nosrc") != NULL, "copy: missing source named (%s)", e.msg);
  TAP_OK(lstat(at("dst2"), &st) < 0, "copy: missing source: no destination made");
  TAP_IS_INT(lvt_copy_tree(at("src/a.txt"), at("dst3"), &e), LVT_ERR_IO,
             "copy: a file as source refused");
  TAP_OK(strstr(e.msg, "not a directory") != NULL, "copy: a file as source: why (%s)", e.msg);
  lvt_buf_reset(&got);
}

static int exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

/* Removes a tree with read-only subdirectories (holding files), an
** unreadable one and a read-only top, in a child that is not root: root
** ignores modes. Exit 0 removed, 1 not removed, 3 cannot drop
** privileges, 4 cannot set up. */
static int remove_ro_child(void) {
  char top[] = "/tmp/lvt-test-rmro-XXXXXX", p[256];
  FILE *f;
  if (geteuid() == 0 && (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0))
    return 3;
  if (geteuid() == 0) return 3;
  if (mkdtemp(top) == NULL) return 4;
  snprintf(p, sizeof p, "%s/ro", top);
  if (mkdir(p, 0755) < 0) return 4;
  snprintf(p, sizeof p, "%s/ro/inner", top);
  if (mkdir(p, 0755) < 0) return 4;
  snprintf(p, sizeof p, "%s/ro/inner/file", top);
  if ((f = fopen(p, "w")) == NULL) return 4;
  fputs("x\n", f);
  fclose(f);
  snprintf(p, sizeof p, "%s/ro/file", top);
  if ((f = fopen(p, "w")) == NULL) return 4;
  fclose(f);
  snprintf(p, sizeof p, "%s/locked", top);
  if (mkdir(p, 0755) < 0) return 4;
  snprintf(p, sizeof p, "%s/locked/file", top);
  if ((f = fopen(p, "w")) == NULL) return 4;
  fclose(f);
  snprintf(p, sizeof p, "%s/locked", top);
  chmod(p, 0);   /* not even readable */
  snprintf(p, sizeof p, "%s/ro/inner", top);
  chmod(p, 0500);
  snprintf(p, sizeof p, "%s/ro", top);
  chmod(p, 0500);
  chmod(top, 0500);
  lvt_remove_tree(top);
  if (!exists(top)) return 0;
  /* Not removed: clean up by hand, and say so. */
  chmod(top, 0700);
  snprintf(p, sizeof p, "%s/locked", top);
  chmod(p, 0700);
  snprintf(p, sizeof p, "%s/ro", top);
  chmod(p, 0700);
  snprintf(p, sizeof p, "%s/ro/inner", top);
  chmod(p, 0700);
  lvt_remove_tree(top);
  return 1;
}

static void test_remove_tree(void) {
  pid_t pid;
  int st = 0;
  lvt_remove_tree(NULL);                  /* no-ops: must not crash */
  lvt_remove_tree(at("no-such-tree"));
  /* A tree with nested dirs and symlinks: the link's target survives. */
  mkdir(at("outside"), 0755);
  put(at("outside/keep"), "keep\n", 0644);
  mkdir(at("rm"), 0755);
  mkdir(at("rm/a"), 0755);
  mkdir(at("rm/a/b"), 0755);
  put(at("rm/a/b/f"), "f\n", 0644);
  put(at("rm/g"), "g\n", 0444);
  symlink(at("outside"), at("rm/a/out"));
  lvt_remove_tree(at("rm"));
  TAP_OK(!exists(at("rm")), "remove: the tree is gone");
  TAP_OK(exists(at("outside/keep")), "remove: a symlink's target is not followed");
  put(at("lonely"), "x", 0644);
  lvt_remove_tree(at("lonely"));
  TAP_OK(!exists(at("lonely")), "remove: a plain file");
  symlink(at("outside"), at("toplink"));
  lvt_remove_tree(at("toplink"));
  TAP_OK(!exists(at("toplink")) && exists(at("outside/keep")),
         "remove: a symlink as the path: the link goes, not its target");
  /* Read-only directories, as a user whom modes bind. */
  fflush(stdout);
  pid = fork();
  if (pid == 0) _exit(remove_ro_child());
  if (!TAP_OK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st), "remove: child ran")) return;
  if (WEXITSTATUS(st) == 3 || WEXITSTATUS(st) == 4) {
    printf("# SKIP remove read-only tree: %s\n",
           WEXITSTATUS(st) == 3 ? "cannot drop root privileges to uid 65534"
                                : "uid 65534 cannot create a tree in /tmp");
    return;
  }
  TAP_IS_INT(WEXITSTATUS(st), 0, "remove: a tree with read-only directories (not as root)");
}

static void test_read_write(void) {
  LvtBuf b = LVT_BUF_INIT, big = LVT_BUF_INIT;
  LvtErr e = {0, ""};
  int trunc = -1;
  size_t i;
  static const char hundred[] =
      "0123456789\0" "123456789012345678901234567890123456789012345678901234567890"
      "12345678901234567890123456789";
  /* Write, read back, binary-safe. */
  TAP_IS_INT(lvt_write_file(at("w.bin"), hundred, 100, &e), LVT_OK, "write: works (%s)", e.msg);
  TAP_IS_INT(mode_of(at("w.bin")), 0644, "write: mode 0644");
  lvt_buf_adds(&b, "stale");
  TAP_IS_INT(lvt_read_file(at("w.bin"), 1000, &b, &trunc, &e), LVT_OK, "read: works (%s)", e.msg);
  TAP_IS_MEM(b.data, b.len, hundred, 100, "read: round trip, NUL inside, old content cleared");
  TAP_IS_INT(trunc, 0, "read: below max, not truncated");
  lvt_read_file(at("w.bin"), 100, &b, &trunc, &e);
  TAP_IS_INT(b.len, 100, "read: max = size: all of it");
  TAP_IS_INT(trunc, 0, "read: max = size: not truncated");
  lvt_read_file(at("w.bin"), 10, &b, &trunc, &e);
  TAP_IS_MEM(b.data, b.len, hundred, 10, "read: max 10: the first 10 bytes");
  TAP_IS_INT(trunc, 1, "read: max 10: truncated");
  TAP_IS_INT(b.data[b.len], 0, "read: NUL-terminated after the cut");
  lvt_read_file(at("w.bin"), 0, &b, &trunc, &e);
  TAP_IS_INT(b.len == 0 && trunc == 1, 1, "read: max 0 of a non-empty file: empty, truncated");
  /* Bigger than one read(): cuts inside and at chunk boundaries. */
  for (i = 0; i < 200000; i++) lvt_buf_addc(&big, (int)('a' + i % 26));
  TAP_IS_INT(lvt_write_file(at("big"), big.data, big.len, &e), LVT_OK, "write: 200000 bytes");
  lvt_read_file(at("big"), 1 << 20, &b, &trunc, &e);
  TAP_IS_MEM(b.data, b.len, big.data, big.len, "read: 200000 bytes, all");
  TAP_IS_INT(trunc, 0, "read: 200000 bytes: not truncated");
  lvt_read_file(at("big"), 100000, &b, &trunc, &e);
  TAP_IS_MEM(b.data, b.len, big.data, 100000, "read: max 100000 of 200000");
  TAP_IS_INT(trunc, 1, "read: max 100000 of 200000: truncated");
  lvt_read_file(at("big"), 65536, &b, &trunc, &e);
  TAP_IS_INT(b.len == 65536 && trunc == 1, 1, "read: max at a chunk boundary: cut, truncated");
  lvt_read_file(at("big"), 200000, &b, &trunc, &e);
  TAP_IS_INT(b.len == 200000 && trunc == 0, 1, "read: max = size of a big file: not truncated");
  /* Overwrite truncates; an empty write makes an empty file. */
  lvt_write_file(at("w.bin"), "short", 5, &e);
  lvt_read_file(at("w.bin"), 1000, &b, &trunc, &e);
  TAP_IS_STR(lvt_buf_str(&b), "short", "write: overwrite truncates");
  TAP_IS_INT(lvt_write_file(at("w.bin"), "", 0, &e), LVT_OK, "write: zero bytes");
  TAP_IS_INT(file_size(at("w.bin")), 0, "write: zero bytes: empty file");
  lvt_read_file(at("w.bin"), 0, &b, &trunc, &e);
  TAP_IS_INT(b.len == 0 && trunc == 0, 1, "read: max 0 of an empty file: not truncated");
  /* Errors. */
  lvt_buf_adds(&b, "stale");
  trunc = -1;
  e.msg[0] = '\0';
  TAP_IS_INT(lvt_read_file(at("no-such-file"), 10, &b, &trunc, &e), LVT_ERR_IO,
             "read: missing file: LVT_ERR_IO");
  TAP_OK(strstr(e.msg, "no-such-file") != NULL && strstr(e.msg, "No such file") != NULL,
         "read: missing file: named (%s)", e.msg);
  TAP_IS_INT(b.len == 0 && trunc == 0, 1, "read: missing file: buffer cleared, not truncated");
  TAP_IS_INT(lvt_read_file(dir, 10, &b, &trunc, &e), LVT_ERR_IO, "read: a directory: LVT_ERR_IO");
  e.msg[0] = '\0';
  TAP_IS_INT(lvt_write_file(at("no/dir/f"), "x", 1, &e), LVT_ERR_IO,
             "write: missing directory: LVT_ERR_IO");
  TAP_OK(strstr(e.msg, "no/dir/f") != NULL, "write: missing directory: named (%s)", e.msg);
  lvt_buf_reset(&b);
  lvt_buf_reset(&big);
}

int main(void) {
  if (mkdtemp(dir) == NULL) {
    TAP_OK(0, "mkdtemp %s", dir);
    return tap_done();
  }
  snprintf(out_file, sizeof out_file, "%s/out", dir);
  snprintf(err_file, sizeof err_file, "%s/err", dir);
  test_exit_codes();
  test_signal();
  test_timeout();
  test_orphan();
  test_stdin();
  test_outputs();
  test_cwd();
  test_env();
  test_start_failures();
  test_fsize();
  test_as_limit();
  test_stack_cpu_pin();
  test_child_setup();
  test_threads();
  test_describe();
  test_copy_tree();
  test_remove_tree();
  test_read_write();
  lvt_remove_tree(dir);
  TAP_OK(!exists(dir), "the temp directory is removed");
  return tap_done();
}
