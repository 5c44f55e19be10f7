/*
** lvt_proc.c -- the 'proc' backend: a persistent child process per VM that
** speaks LVX (vm/PROTOCOL.md) on its stdin/stdout.
**
** The child runs 'argv + [<dir>/<driver>]' (unless the command speaks LVX
** itself), where <driver> is lvx.lua or a Node shim (fengari.js,
** wasmoon.js) and <dir> is a private temporary directory created at open:
** it holds the driver files (written from the embedded copies) and the
** child's scratch directory, its working directory. The child gets its own
** process group, a minimal environment, resource limits and close-on-exec
** everywhere. A run writes one request and waits, with poll(), for the
** result while draining stderr (kept per program) and enforcing the
** wall-clock timeout and the RSS watchdog. The child is restarted after a
** crash, a timeout, a protocol error, a 'dirty' result and every
** 'restart_every' programs; a result is never lost and lvtest never hangs
** (unless the caller asked for no timeout).
**
** Pinning: cfg->pin_cpu pins the child to that CPU (the caller pins its
** driving thread). Without it, the environment variable LVT_PIN=1 pins the
** child and the calling thread to the CPU the thread runs on when the VM
** is opened (a pipe round trip costs ~27 us on one CPU, ~250 us across
** CPUs on small VMs; see bench/).
*/
#define _GNU_SOURCE   /* pipe2, prlimit, sched_getcpu, CPU_SET */
#include "lvt_vm.h"
#include "lvt_proto.h"
#include "../util/lvt_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define HELLO_MS 10000            /* how long a starting VM may take */
#define START_TRIES 3             /* failed starts in a row before giving up */
#define EXIT_GRACE_MS 200         /* stdout closed: time to exit before a kill */
#define CLOSE_GRACE_MS 100        /* at close: time to exit after EOF */
#define ERROUT_MAX ((size_t)256 << 10)
#define RSS_POLL_MS 5
#define READ_CHUNK 65536
#define FSIZE_LIMIT ((rlim_t)256 << 20)

typedef struct Proc {
  char *name;              /* for messages */
  char *path;              /* resolved argv[0] */
  char **argv, **envp;     /* owned, NULL-terminated */
  char *dir, *scratch;     /* private temp dir and its scratch subdir */
  unsigned restart_every;
  size_t rss_limit;
  int rss_auto;            /* rss_limit follows each run's mem_limit (ASan) */
  int pin_cpu;             /* -1: no pinning */
  /* The running child; pid 0 when there is none. */
  pid_t pid;
  int in_fd, out_fd, err_fd;
  int status_fd, clear_fd, statm_fd;   /* /proc/PID files, or -1 */
  double spawn_ms;
  unsigned runs;           /* programs since the child started */
  size_t as_limit;         /* RLIMIT_AS applied; 0 = none */
  rlim_t cpu_soft;         /* RLIMIT_CPU soft limit applied, seconds */
  LvtBuf rbuf;             /* bytes read from the child's stdout */
  LvtBuf wbuf;             /* the requests being written */
  size_t wsent;            /* bytes of 'wbuf' written so far */
  LvtBuf ebuf;             /* stderr of the current run */
  int etrunc;
  LvtBuf impl;             /* what the hello said */
} Proc;

/* =====================================================================
** Small helpers
** ===================================================================== */
static void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

static void sleep_ms(double ms) {
  struct timespec ts;
  ts.tv_sec = (time_t)(ms / 1000);
  ts.tv_nsec = (long)((ms - (double)ts.tv_sec * 1000) * 1e6);
  while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {}
}

static int set_nonblock(int fd) {
  int fl = fcntl(fd, F_GETFL);
  return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* Reads '/proc/PID/<file>' kept open as 'fd' from offset 0 into 'buf'
** (NUL-terminated); returns the length or -1. */
static ssize_t read_proc(int fd, char *buf, size_t size) {
  ssize_t n;
  if (fd < 0) return -1;
  n = pread(fd, buf, size - 1, 0);
  if (n >= 0) buf[n] = '\0';
  return n;
}

static char *join_path(const char *a, const char *b) {
  size_t n = strlen(a) + strlen(b) + 2;
  char *p = lvt_xmalloc(n);
  snprintf(p, n, "%s/%s", a, b);
  return p;
}

/* Finds 'cmd' on PATH (or takes it as is when it has a '/'); returns a
** malloc'ed path or NULL. */
static char *find_command(const char *cmd) {
  const char *path = getenv("PATH"), *p;
  if (strchr(cmd, '/') != NULL) return access(cmd, X_OK) == 0 ? lvt_xstrdup(cmd) : NULL;
  if (path == NULL) path = "/usr/local/bin:/usr/bin:/bin";
  for (p = path;; p++) {
    const char *q = strchr(p, ':');
    size_t n = q ? (size_t)(q - p) : strlen(p);
    char *dir = lvt_xstrndup(n ? p : ".", n ? n : 1);
    char *full = join_path(dir, cmd);
    free(dir);
    if (access(full, X_OK) == 0) return full;
    free(full);
    if (q == NULL) return NULL;
    p = q;
  }
}


/* =====================================================================
** The child process
** ===================================================================== */

/* Appends what the child wrote on stderr to 'pr->ebuf' (capped); returns
** 0 at EOF, 1 otherwise. Reads a bounded amount per call, so that a child
** flooding stderr cannot keep lvtest here. */
static int drain_stderr(Proc *pr) {
  char buf[READ_CHUNK];
  int i;
  for (i = 0; i < 16; i++) {
    ssize_t n;
    if (pr->err_fd < 0) return 0;
    n = read(pr->err_fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return 1;                      /* EAGAIN: nothing more now */
    if (n == 0) {
      close_fd(&pr->err_fd);
      return 0;
    }
    if (pr->ebuf.len < ERROUT_MAX) {
      size_t keep = ERROUT_MAX - pr->ebuf.len;
      if ((size_t)n > keep) pr->etrunc = 1;
      lvt_buf_add(&pr->ebuf, buf, (size_t)n < keep ? (size_t)n : keep);
    } else {
      pr->etrunc = 1;
    }
  }
  return 1;
}

/* Reads once (at most a pipe's worth) from the child's stdout into
** 'pr->rbuf'. Returns 1 when bytes came, 0 at EOF, -1 when nothing is
** there now. */
static int read_stdout(Proc *pr) {
  ssize_t n;
  lvt_buf_reserve(&pr->rbuf, READ_CHUNK);
  do n = read(pr->out_fd, pr->rbuf.data + pr->rbuf.len, READ_CHUNK);
  while (n < 0 && errno == EINTR);
  if (n < 0) return -1;
  if (n == 0) return 0;
  pr->rbuf.len += (size_t)n;
  pr->rbuf.data[pr->rbuf.len] = '\0';
  return 1;
}

/* Waits up to 'ms' for the child to exit, without reaping it (so that its
** process group id cannot be reused before the group is killed). */
static int wait_exit(Proc *pr, double ms) {
  double end = lvt_now_ms() + ms, step = 0.05;
  for (;;) {
    siginfo_t si;
    int r;
    si.si_pid = 0;
    r = waitid(P_PID, (id_t)pr->pid, &si, WEXITED | WNOHANG | WNOWAIT);
    if (r == 0 && si.si_pid != 0) return 1;
    if (r < 0 && errno == ECHILD) return 1;
    if (lvt_now_ms() >= end) return 0;
    sleep_ms(step);
    if (step < 2) step *= 2;
  }
}

/* Kills the child's whole process group, reaps the child and closes its
** pipes; '*wstatus' (may be NULL) gets its wait status. The stderr still in
** the pipe is kept in 'pr->ebuf'. */
static void kill_child(Proc *pr, int *wstatus) {
  int st = 0;
  if (pr->pid <= 0) return;
  kill(-pr->pid, SIGKILL);
  kill(pr->pid, SIGKILL);   /* in case setpgid had not happened yet */
  while (waitpid(pr->pid, &st, 0) < 0 && errno == EINTR) {}
  if (wstatus != NULL) *wstatus = st;
  drain_stderr(pr);
  pr->pid = 0;
  close_fd(&pr->in_fd);
  close_fd(&pr->out_fd);
  close_fd(&pr->err_fd);
  close_fd(&pr->status_fd);
  close_fd(&pr->clear_fd);
  close_fd(&pr->statm_fd);
  lvt_buf_clear(&pr->rbuf);
}

/* Everything between fork and exec: only async-signal-safe calls. */
static void child_exec(const Proc *pr, int in, int out, int err, int report) {
  struct rlimit rl;
  int code;
  if (lvt_spawn_child_setup(in, out, err, report, FSIZE_LIMIT) < 0) goto fail;
  if (chdir(pr->scratch) < 0) goto fail;
  if (getrlimit(RLIMIT_CPU, &rl) == 0) {
    rl.rlim_cur = pr->cpu_soft < rl.rlim_max ? pr->cpu_soft : rl.rlim_max;
    setrlimit(RLIMIT_CPU, &rl);
  }
  if (pr->as_limit > 0 && getrlimit(RLIMIT_AS, &rl) == 0) {
    rl.rlim_cur = pr->as_limit < rl.rlim_max ? pr->as_limit : rl.rlim_max;
    setrlimit(RLIMIT_AS, &rl);
  }
  if (pr->pin_cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(pr->pin_cpu, &set);
    sched_setaffinity(0, sizeof set, &set);
  }
  execve(pr->path, pr->argv, pr->envp);
fail:
  code = errno;
  if (write(report, &code, sizeof code) < 0) {}
  _exit(127);
}

static int open_proc_file(pid_t pid, const char *file, int flags) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
  return open(path, flags | O_CLOEXEC);
}

/* Waits for the hello frame. Returns LVT_OK, or LVT_ERR_VM with the reason
** (the child is killed then). */
static int await_hello(Proc *pr, LvtErr *e) {
  double end = lvt_now_ms() + HELLO_MS;
  for (;;) {
    struct pollfd pfd[2] = {{pr->out_fd, POLLIN, 0}, {pr->err_fd, POLLIN, 0}};
    double left = end - lvt_now_ms();
    size_t used;
    int rc, n;
    if (left <= 0) {
      lvt_err_set(e, LVT_ERR_VM, "no hello after %d ms", HELLO_MS);
      break;
    }
    n = poll(pfd, pr->err_fd >= 0 ? 2 : 1, (int)left + 1);
    if (n < 0 && errno != EINTR) {
      lvt_err_set(e, LVT_ERR_IO, "poll: %s", strerror(errno));
      break;
    }
    drain_stderr(pr);
    rc = read_stdout(pr);
    if (rc < 0) continue;
    if (rc > 0) {
      rc = lvt_proto_decode_hello(pr->rbuf.data, pr->rbuf.len, &used, &pr->impl, e);
      if (rc == LVT_OK) {
        lvt_buf_consume(&pr->rbuf, used);
        return LVT_OK;
      }
      if (rc == LVT_AGAIN) continue;
      lvt_err_prefix(e, "protocol");
      e->code = LVT_ERR_VM;
      break;
    }
    /* EOF: the VM died (or closed stdout) before saying hello. */
    if (wait_exit(pr, EXIT_GRACE_MS)) {
      int st = 0;
      kill_child(pr, &st);
      if (WIFSIGNALED(st))
        lvt_err_set(e, LVT_ERR_VM, "killed by signal %d (%s) before saying hello",
                    WTERMSIG(st), strsignal(WTERMSIG(st)));
      else
        lvt_err_set(e, LVT_ERR_VM, "exited with status %d before saying hello",
                    WEXITSTATUS(st));
    } else {
      lvt_err_set(e, LVT_ERR_VM, "closed its stdout before saying hello");
    }
    break;
  }
  kill_child(pr, NULL);
  if (pr->ebuf.len > 0) {   /* the VM's own words help most */
    char line[120];
    size_t n = strcspn(pr->ebuf.data, "\n");
    snprintf(line, sizeof line, "%.*s", (int)(n < 100 ? n : 100), pr->ebuf.data);
    snprintf(e->msg + strlen(e->msg), sizeof e->msg - strlen(e->msg), ": %s", line);
  }
  return e->code;
}

/* Starts the child and waits for its hello. Returns LVT_OK, LVT_ERR_SPAWN
** (could not start the command at all) or LVT_ERR_VM (it started but did
** not come up); 'e' says why. */
static int spawn_child(Proc *pr, LvtErr *e) {
  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1}, rep[2] = {-1, -1};
  int code = 0, rc;
  ssize_t n;
  pid_t pid;
  lvt_buf_clear(&pr->rbuf);
  lvt_buf_clear(&pr->ebuf);
  pr->etrunc = 0;
  if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 ||
      pipe2(err, O_CLOEXEC) < 0 || pipe2(rep, O_CLOEXEC) < 0) {
    rc = lvt_err_set(e, LVT_ERR_SPAWN, "pipe: %s", strerror(errno));
    goto fail;
  }
  pr->cpu_soft = 60;
  pid = fork();
  if (pid < 0) {
    rc = lvt_err_set(e, LVT_ERR_SPAWN, "fork: %s", strerror(errno));
    goto fail;
  }
  if (pid == 0) child_exec(pr, in[0], out[1], err[1], rep[1]);
  setpgid(pid, pid);       /* also here: no race with kill(-pid) */
  close_fd(&in[0]);
  close_fd(&out[1]);
  close_fd(&err[1]);
  close_fd(&rep[1]);
  do n = read(rep[0], &code, sizeof code); while (n < 0 && errno == EINTR);
  close_fd(&rep[0]);
  pr->pid = pid;
  pr->in_fd = in[1];
  pr->out_fd = out[0];
  pr->err_fd = err[0];
  pr->spawn_ms = lvt_now_ms();
  pr->runs = 0;
  if (n == (ssize_t)sizeof code) {
    kill_child(pr, NULL);
    return lvt_err_set(e, LVT_ERR_SPAWN, "cannot run %s: %s", pr->path, strerror(code));
  }
  set_nonblock(pr->in_fd);
  set_nonblock(pr->out_fd);
  set_nonblock(pr->err_fd);
  pr->status_fd = open_proc_file(pid, "status", O_RDONLY);
  pr->clear_fd = open_proc_file(pid, "clear_refs", O_WRONLY);
  pr->statm_fd = pr->rss_limit ? open_proc_file(pid, "statm", O_RDONLY) : -1;
  return await_hello(pr, e);
fail:
  close_fd(&in[0]), close_fd(&in[1]), close_fd(&out[0]), close_fd(&out[1]);
  close_fd(&err[0]), close_fd(&err[1]), close_fd(&rep[0]), close_fd(&rep[1]);
  return rc;
}

/* Makes sure a child is running: up to START_TRIES starts in a row. */
static int ensure_child(Proc *pr, LvtErr *e) {
  int i, rc = LVT_OK;
  if (pr->pid > 0) return LVT_OK;
  for (i = 0; i < START_TRIES; i++) {
    rc = spawn_child(pr, e);
    if (rc == LVT_OK || rc == LVT_ERR_SPAWN) return rc;
  }
  lvt_err_prefix(e, "%s failed to start %d times in a row", pr->name, START_TRIES);
  return LVT_ERR_VM;
}

/* =====================================================================
** Limits and measurements around a run
** ===================================================================== */
static void apply_limits(Proc *pr, const LvtLimits *lim, size_t runs) {
  struct rlimit rl;
  rlim_t need;
  if (pr->rss_auto && lim->mem_limit > 0) pr->rss_limit = lim->mem_limit;
  if (pr->rss_limit == 0 && lim->mem_limit != pr->as_limit) {
    if (prlimit(pr->pid, RLIMIT_AS, NULL, &rl) == 0) {
      rl.rlim_cur = lim->mem_limit ? (rlim_t)lim->mem_limit : rl.rlim_max;
      if (rl.rlim_cur > rl.rlim_max) rl.rlim_cur = rl.rlim_max;
      if (prlimit(pr->pid, RLIMIT_AS, &rl, NULL) == 0) pr->as_limit = lim->mem_limit;
    }
  }
  /* RLIMIT_CPU is a backstop behind the wall clock: the child's CPU time
  ** is at most its age, so its age plus this run's timeout is enough. */
  need = lim->timeout_ms == 0 ? RLIM_INFINITY
       : (rlim_t)((lvt_now_ms() - pr->spawn_ms + (double)lim->timeout_ms * (double)runs) /
                  1000) + 2;
  if (need > pr->cpu_soft && prlimit(pr->pid, RLIMIT_CPU, NULL, &rl) == 0) {
    rl.rlim_cur = need == RLIM_INFINITY ? rl.rlim_max : need + 60;
    if (rl.rlim_cur > rl.rlim_max) rl.rlim_cur = rl.rlim_max;
    if (prlimit(pr->pid, RLIMIT_CPU, &rl, NULL) == 0) pr->cpu_soft = rl.rlim_cur;
  }
}

/* Bytes of the child's peak resident set (VmHWM), 0 when unknown. */
static size_t peak_rss(Proc *pr) {
  char buf[4096];
  const char *p;
  if (read_proc(pr->status_fd, buf, sizeof buf) <= 0) return 0;
  p = strstr(buf, "VmHWM:");
  return p != NULL ? (size_t)strtoull(p + 6, NULL, 10) << 10 : 0;
}

/* Bytes of the child's current resident set, 0 when unknown. */
static size_t current_rss(Proc *pr) {
  char buf[128];
  unsigned long long size, res;
  if (read_proc(pr->statm_fd, buf, sizeof buf) <= 0) return 0;
  if (sscanf(buf, "%llu %llu", &size, &res) != 2) return 0;
  return (size_t)res * (size_t)sysconf(_SC_PAGESIZE);
}

/* =====================================================================
** Outcomes lvtest decides (the child could not say)
** ===================================================================== */

/* The child closed its stdout: it died, or it is alive without a voice.
** Fills 'out' as a crash. */
static void child_gone(Proc *pr, LvtRun *out) {
  size_t partial = pr->rbuf.len;
  int st = 0, exited = wait_exit(pr, EXIT_GRACE_MS);
  kill_child(pr, &st);
  out->outcome = LVT_RUN_CRASH;
  if (!exited) {
    lvt_buf_adds(&out->detail, "protocol: the VM closed its stdout");
    return;
  }
  if (partial > 0)
    lvt_buf_addf(&out->detail, "protocol: EOF in the middle of a result frame (%zu bytes); ",
                 partial);
  if (WIFSIGNALED(st)) {
    out->signal = WTERMSIG(st);
    lvt_buf_addf(&out->detail, "the VM was killed by signal %d (%s)", out->signal,
                 strsignal(out->signal));
  } else {
    out->status = WEXITSTATUS(st);
    lvt_buf_addf(&out->detail, "the VM exited with status %d", out->status);
  }
}

/* lvtest ends the child: 'outcome' with a printf-style detail. */
static void stop_child(Proc *pr, LvtRun *out, LvtOutcome outcome, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void stop_child(Proc *pr, LvtRun *out, LvtOutcome outcome, const char *fmt, ...) {
  va_list ap;
  kill_child(pr, NULL);
  out->outcome = outcome;
  lvt_buf_clear(&out->detail);
  va_start(ap, fmt);
  lvt_buf_vaddf(&out->detail, fmt, ap);
  va_end(ap);
}

/* =====================================================================
** Running one program
** ===================================================================== */

/* Before a run: bytes or EOF on a child's stdout between programs mean it
** misbehaved (or died) while idle; it is replaced, so that the program is
** not blamed. Returns 1 when the child had to go. */
static int idle_check(Proc *pr) {
  if (pr->pid <= 0) return 0;
  if (read_stdout(pr) < 0) return 0;
  kill_child(pr, NULL);
  return 1;
}

/* The wait loop: writes what is left of the requests in 'pr->wbuf' while
** it reads the next result (the wall clock of this program starts now).
** Returns 1 when a result frame was decoded into 'out' ('*dirty' set), 0
** when lvtest had to decide the outcome itself (the child is gone then). */
/* Decodes the result at the start of 'pr->rbuf' into 'out': 1 when it was
** there, 0 when the child broke the protocol (it is stopped, 'out' says
** why), -1 when more bytes are needed. */
static int take_result(Proc *pr, LvtRun *out, int *dirty, size_t cap) {
  LvtErr e = {0, ""};
  size_t used;
  int rc = lvt_proto_decode_result(pr->rbuf.data, pr->rbuf.len, &used, out, dirty, &e);
  if (rc == LVT_OK) {
    lvt_buf_consume(&pr->rbuf, used);
    drain_stderr(pr);
    return 1;
  }
  if (rc == LVT_ERR_PROTO) {
    stop_child(pr, out, LVT_RUN_CRASH, "protocol: %s", e.msg);
    return 0;
  }
  if (pr->rbuf.len > cap) {
    stop_child(pr, out, LVT_RUN_CRASH, "protocol: result frame larger than %zu bytes", cap);
    return 0;
  }
  return -1;
}

static int exchange(Proc *pr, const LvtLimits *lim, LvtRun *out, int *dirty) {
  size_t maxo = lim->max_output ? lim->max_output : LVT_DEFAULT_MAX_OUTPUT;
  size_t cap = 2 * maxo + ((size_t)64 << 10);
  double start = lvt_now_ms();
  double deadline = lim->timeout_ms ? start + lim->timeout_ms : 0;
  int crashed_on_purpose = 0, rc;
  /* A pipelined child's result may have come with its predecessor's. */
  if (pr->rbuf.len > 0 && (rc = take_result(pr, out, dirty, cap)) >= 0) return rc;
  for (;;) {
    struct pollfd pfd[3];
    int nfd = 0, wait = -1, in_ix = -1;
    double now;
    pfd[nfd++] = (struct pollfd){pr->out_fd, POLLIN, 0};
    if (pr->err_fd >= 0) pfd[nfd++] = (struct pollfd){pr->err_fd, POLLIN, 0};
    if (pr->in_fd >= 0 && pr->wsent < pr->wbuf.len) {
      in_ix = nfd;
      pfd[nfd++] = (struct pollfd){pr->in_fd, POLLOUT, 0};
    }
    now = lvt_now_ms();
    if (deadline > 0) wait = deadline > now ? (int)(deadline - now) + 1 : 0;
    if (pr->rss_limit && (wait < 0 || wait > RSS_POLL_MS)) wait = RSS_POLL_MS;
    if (poll(pfd, (nfds_t)nfd, wait) < 0 && errno != EINTR) {
      stop_child(pr, out, LVT_RUN_CRASH, "lvtest: poll: %s", strerror(errno));
      return 0;
    }
    if (in_ix >= 0 && pfd[in_ix].revents) {
      ssize_t n = write(pr->in_fd, pr->wbuf.data + pr->wsent, pr->wbuf.len - pr->wsent);
      if (n > 0) pr->wsent += (size_t)n;
      else if (n < 0 && errno != EAGAIN && errno != EINTR) close_fd(&pr->in_fd);  /* EPIPE */
      if (pr->wsent == pr->wbuf.len && lim->selftest_crash && !crashed_on_purpose) {
        kill(pr->pid, SIGSEGV);
        crashed_on_purpose = 1;
      }
    }
    drain_stderr(pr);
    rc = read_stdout(pr);
    if (rc == 0) {
      child_gone(pr, out);
      return 0;
    }
    if (rc > 0 && !crashed_on_purpose && (rc = take_result(pr, out, dirty, cap)) >= 0)
      return rc;
    if (pr->rss_limit) {
      size_t rss = current_rss(pr);
      if (rss > pr->rss_limit) {
        stop_child(pr, out, LVT_RUN_NOMEM, "RSS of %zu MiB over the limit of %zu MiB",
                   rss >> 20, pr->rss_limit >> 20);
        return 0;
      }
    }
    if (deadline > 0 && lvt_now_ms() >= deadline) {
      stop_child(pr, out, LVT_RUN_TIMEOUT, "killed after %u ms (wall-clock timeout)",
                 lim->timeout_ms);
      return 0;
    }
  }
}

/* Runs p[0..n) (n >= 1) on the child in order, all their requests
** written at once (pipelined: the child runs one after the other while
** lvtest reads each result as it comes, with each program's wall clock
** starting when lvtest starts waiting for it). Fills out[0..*done): fewer
** than n when the child had to go after program *done - 1 (crash, timeout,
** protocol error, a dirty result, restart_every, RSS): it is restarted and
** the rest is for the next call. With more than one program, stderr read
** while waiting for a result goes to that program (a chatty program's
** words may land on its successor) and no peak memory is measured. */
static int run_some(Proc *pr, const LvtProgram *const *p, size_t n, const LvtLimits *lim,
                    LvtRun *out, size_t *done, LvtErr *e) {
  int restarted, rc, restart = 0;
  int measure = !lim->no_peak_mem && n == 1;
  size_t i, k;
  *done = 0;
  restarted = idle_check(pr);
  rc = ensure_child(pr, e);
  if (rc != LVT_OK) return rc;
  apply_limits(pr, lim, n);
  lvt_buf_clear(&pr->wbuf);
  pr->wsent = 0;
  for (i = 0; i < n; i++) lvt_proto_encode_request(&pr->wbuf, p[i], lim);
  lvt_buf_clear(&pr->ebuf);
  pr->etrunc = 0;
  if (measure && pr->clear_fd >= 0 && pwrite(pr->clear_fd, "5", 1, 0) < 0)
    close_fd(&pr->clear_fd);
  for (k = 0; k < n && !restart; k++) {
    LvtRun *o = &out[k];
    LvtBuf swap;
    int dirty = 0, answered;
    double t0;
    lvt_run_clear(o);
    t0 = lvt_now_ms();
    answered = exchange(pr, lim, o, &dirty);
    o->wall_ms = lvt_now_ms() - t0;
    if (answered) {
      size_t hwm = measure ? peak_rss(pr) : 0;
      if (hwm > 0) o->peak_mem = hwm;
      pr->runs++;
      restart = dirty || (k + 1 == n && pr->rbuf.len > 0) ||
                (pr->restart_every > 0 && pr->runs >= pr->restart_every);
      /* A garbage-collected host (V8, Go) keeps what earlier programs
      ** left until it feels like collecting: a child still holding more
      ** than half of the RSS cap after a run starts afresh, so that the
      ** next program is not charged for its predecessors' garbage. */
      if (pr->rss_limit && current_rss(pr) > pr->rss_limit / 2) restart = 1;
    } else {
      restart = 1;   /* the child is gone already */
    }
    /* The run's stderr goes to the caller without a copy. */
    swap = o->errout;
    o->errout = pr->ebuf;
    pr->ebuf = swap;
    lvt_buf_clear(&pr->ebuf);
    o->errout_truncated = pr->etrunc;
    pr->etrunc = 0;
    o->restarted = k == 0 && restarted;
  }
  *done = k;
  if (restart) {
    LvtErr ignored;
    kill_child(pr, NULL);   /* (with the requests it had not answered) */
    out[k - 1].restarted = 1;
    /* A failed restart is reported by the next run (this result stands). */
    ensure_child(pr, &ignored);
    lvt_buf_clear(&pr->ebuf);   /* start-up noise is nobody's output */
  }
  return LVT_OK;
}

static int proc_run(void *vm, const LvtProgram *p, const LvtLimits *lim,
                    LvtRun *out, LvtErr *e) {
  size_t done;
  return run_some(vm, &p, 1, lim, out, &done, e);
}

static int proc_run_batch(void *vm, const LvtProgram *const *p, size_t n,
                          const LvtLimits *lim, LvtRun *out, size_t *done, LvtErr *e) {
  size_t k;
  int rc = LVT_OK;
  *done = 0;
  if (lim->selftest_crash) {   /* the crash is aimed at one program */
    for (; *done < n && (rc = proc_run(vm, p[*done], lim, &out[*done], e)) == LVT_OK; ++*done) {}
    return rc;
  }
  while (*done < n && rc == LVT_OK) {
    rc = run_some(vm, p + *done, n - *done, lim, out + *done, &k, e);
    *done += k;
  }
  return rc;
}

/* =====================================================================
** Open and close
** ===================================================================== */
static char **copy_strv(char *const *v, size_t extra, size_t *count) {
  size_t n = 0, i;
  char **c;
  while (v != NULL && v[n] != NULL) n++;
  c = lvt_xcalloc(n + extra + 1, sizeof *c);
  for (i = 0; i < n; i++) c[i] = lvt_xstrdup(v[i]);
  *count = n;
  return c;
}

static void free_strv(char **v) {
  size_t i;
  if (v == NULL) return;
  for (i = 0; v[i] != NULL; i++) free(v[i]);
  free(v);
}

static char *env_entry(const char *name, const char *value) {
  size_t n = strlen(name) + strlen(value) + 2;
  char *s = lvt_xmalloc(n);
  snprintf(s, n, "%s=%s", name, value);
  return s;
}

/* The child's environment: cfg->env first (it wins: getenv takes the
** first match), then PATH, HOME, LVT_SCRATCH (the scratch dir),
** LVT_DRIVER_DIR (where the driver files are: for a VM whose 'arg' has no
** [0], like gopher-lua's glua), LANG=C and TZ when lvtest has one.
** Nothing else: no LUA_INIT, LUA_PATH... */
static char **make_env(const Proc *pr, char *const *extra) {
  const char *path = getenv("PATH"), *tz = getenv("TZ");
  size_t n, k;
  char **env = copy_strv(extra, 6, &n);
  k = n;
  env[k++] = env_entry("PATH", path ? path : "/usr/local/bin:/usr/bin:/bin");
  env[k++] = env_entry("HOME", pr->scratch);
  env[k++] = env_entry("LVT_SCRATCH", pr->scratch);
  env[k++] = env_entry("LVT_DRIVER_DIR", pr->dir);
  env[k++] = env_entry("LANG", "C");
  if (tz != NULL) env[k++] = env_entry("TZ", tz);
  return env;
}

/* Creates the private directory (under 'tmp'), the scratch dir in it and
** the driver files: the Lua ones, and the Node ones for a Node driver
** (they load the Lua ones into their engine). */
static int make_dirs(Proc *pr, const char *tmp, int with_driver, int node, LvtErr *e) {
  static const char *const files[] = {"lvx.lua", "sandbox.lua", "lvx-node.js",
                                      "fengari.js", "wasmoon.js"};
  const size_t nfiles = node ? sizeof files / sizeof files[0] : 2;
  size_t i;
  int rc;
  pr->dir = join_path(tmp, "lvt-proc-XXXXXX");
  if (mkdtemp(pr->dir) == NULL)
    return lvt_err_set(e, LVT_ERR_IO, "mkdtemp %s: %s", pr->dir, strerror(errno));
  pr->scratch = join_path(pr->dir, "scratch");
  if (mkdir(pr->scratch, 0700) < 0)
    return lvt_err_set(e, LVT_ERR_IO, "mkdir %s: %s", pr->scratch, strerror(errno));
  for (i = 0; with_driver && i < nfiles; i++) {
    const LvtEmbedded *f = lvt_embedded_find(files[i]);
    char *path;
    if (f == NULL)
      return lvt_err_set(e, LVT_ERR_INTERNAL, "driver file %s not embedded", files[i]);
    path = join_path(pr->dir, files[i]);
    rc = lvt_write_file(path, f->data, f->len, e);
    free(path);
    if (rc != LVT_OK) return rc;
  }
  return LVT_OK;
}

/* SIGPIPE: writing to a dead child must be an EPIPE, not the end of
** lvtest. Only a default disposition is changed. */
static void ignore_sigpipe(void) {
  struct sigaction sa;
  if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL) {
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
  }
}

/* LVT_PIN=1: the CPU this thread runs on, which it is then pinned to. */
static int pin_cpu(void) {
  const char *s = getenv("LVT_PIN");
  cpu_set_t set;
  int cpu;
  if (s == NULL || strcmp(s, "1") != 0) return -1;
  cpu = sched_getcpu();
  if (cpu < 0) return -1;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  sched_setaffinity(0, sizeof set, &set);
  return cpu;
}

static void proc_close(void *vm);

static int proc_open(void **vm, const LvtVmConfig *cfg, LvtErr *e) {
  const char *tmp, *driver;
  Proc *pr;
  size_t n;
  int rc, node;
  *vm = NULL;
  if (cfg->argv == NULL || cfg->argv[0] == NULL)
    return lvt_err_set(e, LVT_ERR_USAGE, "%s: no command given", cfg->name ? cfg->name : "proc");
  pr = lvt_xcalloc(1, sizeof *pr);
  pr->in_fd = pr->out_fd = pr->err_fd = -1;
  pr->status_fd = pr->clear_fd = pr->statm_fd = -1;
  pr->name = lvt_xstrdup(cfg->name ? cfg->name : cfg->argv[0]);
  pr->restart_every = cfg->restart_every;
  pr->rss_limit = cfg->rss_limit;
  if (cfg->rss_watch && pr->rss_limit == 0) {
    pr->rss_auto = 1;
    pr->rss_limit = (size_t)1 << 30;
  }
  pr->path = find_command(cfg->argv[0]);
  if (pr->path == NULL) {
    rc = lvt_err_set(e, LVT_ERR_SPAWN, "%s: no such command on PATH", cfg->argv[0]);
    goto fail;
  }
  /* RLIMIT_AS breaks AddressSanitizer (it reserves terabytes of shadow
  ** address space): for an ASan-built VM, cap its RSS instead. */
  if (pr->rss_limit == 0 && lvt_file_contains(pr->path, "__asan_init")) {
    pr->rss_auto = 1;
    pr->rss_limit = (size_t)1 << 30;
  }
  tmp = cfg->tmp_dir != NULL ? cfg->tmp_dir : getenv("TMPDIR");
  driver = cfg->driver != NULL ? cfg->driver : "lvx.lua";
  if (!cfg->speaks_lvx && lvt_embedded_find(driver) == NULL) {
    rc = lvt_err_set(e, LVT_ERR_USAGE, "no driver '%s' (lvx.lua, fengari.js, wasmoon.js)", driver);
    goto fail;
  }
  node = strlen(driver) > 3 && strcmp(driver + strlen(driver) - 3, ".js") == 0;
  rc = make_dirs(pr, tmp != NULL && *tmp ? tmp : "/tmp", !cfg->speaks_lvx, node, e);
  if (rc != LVT_OK) goto fail;
  pr->argv = copy_strv(cfg->argv, 1, &n);
  if (!cfg->speaks_lvx) pr->argv[n] = join_path(pr->dir, driver);
  pr->envp = make_env(pr, cfg->env);
  pr->pin_cpu = cfg->pin_cpu > 0 ? cfg->pin_cpu - 1 : pin_cpu();
  ignore_sigpipe();
  rc = ensure_child(pr, e);
  if (rc != LVT_OK) goto fail;
  *vm = pr;
  return LVT_OK;
fail:
  lvt_err_prefix(e, "%s", pr->name);
  proc_close(pr);
  return rc;
}

/* Ends the child politely (EOF on its stdin), then by force. */
static void proc_close(void *vm) {
  Proc *pr = vm;
  if (pr == NULL) return;
  if (pr->pid > 0) {
    close_fd(&pr->in_fd);
    wait_exit(pr, CLOSE_GRACE_MS);
    kill_child(pr, NULL);
  }
  lvt_remove_tree(pr->dir);
  free(pr->dir);
  free(pr->scratch);
  free(pr->name);
  free(pr->path);
  free_strv(pr->argv);
  free_strv(pr->envp);
  lvt_buf_reset(&pr->rbuf);
  lvt_buf_reset(&pr->wbuf);
  lvt_buf_reset(&pr->ebuf);
  lvt_buf_reset(&pr->impl);
  free(pr);
}

const LvtVmOps lvt_vm_proc_ops = {"proc", proc_open, proc_run, proc_close, 0,
                                   proc_run_batch};
