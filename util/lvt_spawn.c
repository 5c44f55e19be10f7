/*
** lvt_spawn.c -- one command run to completion (see lvt_spawn.h).
**
** The wall clock is watched with a pidfd when the kernel has one (poll on
** it wakes at the child's exit), else by polling waitpid with a sleep that
** grows from 1 ms to 20 ms. Either way the child's process group is killed
** after the child is reaped, so a grandchild it left behind (the official
** suite's main.lua starts shells) cannot outlive the run.
*/
#define _GNU_SOURCE   /* pipe2, CPU_SET */
#include "lvt_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NOFILE_LIMIT 1024

void lvt_spawn_init(LvtSpawn *s) { memset(s, 0, sizeof *s); }

int lvt_spawn_child_setup(int in, int out, int err, int keep, size_t fsize_limit) {
  struct sigaction sa;
  struct rlimit rl;
  sigset_t none;
  setpgid(0, 0);
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_DFL;
  sigaction(SIGPIPE, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sa.sa_handler = SIG_IGN;
  sigaction(SIGXFSZ, &sa, NULL);
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) return -1;
  /* Every other descriptor goes at exec (lvtest's, and other threads'). */
  if (syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */) < 0) {
    int fd;
    for (fd = 3; fd < 4096; fd++)
      if (fd != keep) close(fd);
  } else if (keep >= 0) {
    fcntl(keep, F_SETFD, FD_CLOEXEC);
  }
  rl.rlim_cur = rl.rlim_max = 0;
  setrlimit(RLIMIT_CORE, &rl);
  rl.rlim_cur = rl.rlim_max = fsize_limit ? fsize_limit : LVT_SPAWN_FSIZE;
  setrlimit(RLIMIT_FSIZE, &rl);
  rl.rlim_cur = rl.rlim_max = NOFILE_LIMIT;
  setrlimit(RLIMIT_NOFILE, &rl);
  return 0;
}

/* Lowers the soft limit 'res' to 'v' (never raises it past the hard one). */
static void soft_limit(int res, rlim_t v) {
  struct rlimit rl;
  if (v == 0 || getrlimit(res, &rl) != 0) return;
  rl.rlim_cur = v < rl.rlim_max ? v : rl.rlim_max;
  setrlimit(res, &rl);
}

/* How far a child got before it failed: what lvtest's message names. */
enum { STAGE_SETUP, STAGE_CWD, STAGE_EXEC };

/* Between fork and exec. Reports {stage, errno} on 'rep' when it fails. */
static void child(const LvtSpawn *s, const char *path, int in, int out, int err, int rep) {
  int code[2] = {STAGE_SETUP, 0};
  if (lvt_spawn_child_setup(in, out, err, rep, s->fsize_limit) < 0) goto fail;
  code[0] = STAGE_CWD;
  if (s->cwd != NULL && chdir(s->cwd) < 0) goto fail;
  code[0] = STAGE_EXEC;
  soft_limit(RLIMIT_AS, (rlim_t)s->as_limit);
  soft_limit(RLIMIT_STACK, (rlim_t)s->stack_soft);
  soft_limit(RLIMIT_CPU, (rlim_t)s->cpu_limit_s);
  if (s->pin_cpu > 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(s->pin_cpu - 1, &set);
    sched_setaffinity(0, sizeof set, &set);
  }
  execve(path, s->argv, s->env);
fail:
  code[1] = errno;
  if (write(rep, code, sizeof code) < 0) {}   /* 8 bytes: atomic on a pipe */
  _exit(127);
}

/* argv[0] as a path: as given when it has a '/', else found on PATH. */
static char *resolve(const char *cmd) {
  const char *path = getenv("PATH"), *p;
  if (strchr(cmd, '/') != NULL) return lvt_xstrdup(cmd);
  if (path == NULL) path = "/usr/local/bin:/usr/bin:/bin";
  for (p = path;; p++) {
    const char *q = strchr(p, ':');
    size_t n = q ? (size_t)(q - p) : strlen(p);
    LvtBuf full = LVT_BUF_INIT;
    lvt_buf_add(&full, n ? p : ".", n ? n : 1);
    lvt_buf_addf(&full, "/%s", cmd);
    if (access(full.data, X_OK) == 0) return full.data;
    lvt_buf_reset(&full);
    if (q == NULL) return NULL;
    p = q;
  }
}

static int open_out(const char *path, LvtErr *e) {
  int fd = open(path ? path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) lvt_err_set(e, LVT_ERR_IO, "%s: %s", path ? path : "/dev/null", strerror(errno));
  return fd;
}

static void sleep_ms(double ms) {
  struct timespec ts;
  ts.tv_sec = (time_t)(ms / 1000);
  ts.tv_nsec = (long)((ms - (double)ts.tv_sec * 1000) * 1e6);
  while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {}
}

/* Waits for 'pid' until 'deadline' (0: none). Returns 1 when it ended
** ('*st' set), 0 at the deadline. */
static int await(pid_t pid, double deadline, int *st) {
  int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
  double nap = 1;
  for (;;) {
    pid_t w = waitpid(pid, st, WNOHANG);
    double left;
    if (w == pid || (w < 0 && errno != EINTR)) break;
    left = deadline > 0 ? deadline - lvt_now_ms() : 1000;
    if (left <= 0) {
      if (pfd >= 0) close(pfd);
      return 0;
    }
    if (pfd >= 0) {
      struct pollfd p = {pfd, POLLIN, 0};
      poll(&p, 1, left > 1000 ? 1000 : (int)left + 1);
    } else {
      sleep_ms(nap < left ? nap : left);
      if (nap < 20) nap *= 2;
    }
  }
  if (pfd >= 0) close(pfd);
  return 1;
}

int lvt_spawn_run(const LvtSpawn *s, LvtSpawnResult *r, LvtErr *e) {
  int in[2] = {-1, -1}, rep[2] = {-1, -1}, out = -1, err = -1, code[2] = {0, 0}, st = 0;
  int rc = LVT_OK;
  ssize_t n;
  double t0 = lvt_now_ms();
  char *path;
  pid_t pid;
  memset(r, 0, sizeof *r);
  if (s->argv == NULL || s->argv[0] == NULL)
    return lvt_err_set(e, LVT_ERR_SPAWN, "no command to run");
  if ((path = resolve(s->argv[0])) == NULL)
    return lvt_err_set(e, LVT_ERR_SPAWN, "%s: no such command on PATH", s->argv[0]);
  if ((out = open_out(s->out_path, e)) < 0) goto io_fail;
  if (s->err_path != NULL && s->out_path != NULL && strcmp(s->err_path, s->out_path) == 0)
    err = dup(out);
  else if ((err = open_out(s->err_path, e)) < 0)
    goto io_fail;
  if (err < 0 || pipe2(in, O_CLOEXEC) < 0 || pipe2(rep, O_CLOEXEC) < 0) {
    rc = lvt_err_set(e, LVT_ERR_SPAWN, "pipe: %s", strerror(errno));
    goto done;
  }
  if ((pid = fork()) < 0) {
    rc = lvt_err_set(e, LVT_ERR_SPAWN, "fork: %s", strerror(errno));
    goto done;
  }
  if (pid == 0) child(s, path, in[0], out, err, rep[1]);
  setpgid(pid, pid);   /* also here: no race with kill(-pid) */
  close(in[0]), close(in[1]), close(rep[1]);
  in[0] = in[1] = rep[1] = -1;     /* stdin: an empty pipe, at EOF at once */
  do n = read(rep[0], code, sizeof code); while (n < 0 && errno == EINTR);
  if (!await(pid, s->timeout_ms ? t0 + s->timeout_ms : 0, &st)) {
    r->timed_out = 1;
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
  }
  kill(-pid, SIGKILL);   /* what the command left behind in its group */
  r->wall_ms = lvt_now_ms() - t0;
  if (n == (ssize_t)sizeof code && code[0] == STAGE_CWD) {
    rc = lvt_err_set(e, LVT_ERR_SPAWN, "cannot run %s in %s: %s", path, s->cwd,
                     strerror(code[1]));
  } else if (n == (ssize_t)sizeof code && code[0] == STAGE_SETUP) {
    rc = lvt_err_set(e, LVT_ERR_SPAWN, "cannot run %s: child set-up: %s", path,
                     strerror(code[1]));
  } else if (n == (ssize_t)sizeof code) {
    rc = lvt_err_set(e, LVT_ERR_SPAWN, "cannot run %s: %s", path, strerror(code[1]));
  } else if (WIFEXITED(st)) {
    r->exited = 1;
    r->code = WEXITSTATUS(st);
  } else if (WIFSIGNALED(st)) {
    r->signal = WTERMSIG(st);
  }
  goto done;
io_fail:
  rc = LVT_ERR_IO;
done:
  if (in[0] >= 0) close(in[0]);
  if (in[1] >= 0) close(in[1]);
  if (rep[0] >= 0) close(rep[0]);
  if (rep[1] >= 0) close(rep[1]);
  if (out >= 0) close(out);
  if (err >= 0) close(err);
  free(path);
  return rc;
}

const char *lvt_spawn_describe(const LvtSpawnResult *r, unsigned timeout_ms, char *buf,
                               size_t size) {
  if (r->timed_out)
    snprintf(buf, size, "timeout after %u ms", timeout_ms);
  else if (r->exited)
    snprintf(buf, size, "exit %d", r->code);
  else
    snprintf(buf, size, "signal %d (%s)", r->signal, strsignal(r->signal));
  return buf;
}
