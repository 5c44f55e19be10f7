/*
** test_ref_worker.c -- the crash-isolating reference worker (vm/
** lvt_ref_worker.c): lvt_ref_serve in a forked child speaking LVX over
** pipes or a socket, requests encoded and results decoded with
** vm/lvt_proto.h, exactly as the proc backend does with 'lvtest __lvx-ref'.
*/
#include "vm/lvt_ref.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/tap.h"
#include "vm/lvt_proto.h"

typedef struct Worker {
  pid_t pid;
  int to, from;      /* requests in, results out */
  int err;           /* the worker's stderr */
  LvtBuf in;         /* bytes read from 'from' not yet decoded */
} Worker;

/* Exit status of the child: 0 clean EOF, 2 protocol error, 3 other. */
static void child(int in_fd, int out_fd, size_t rlimit_as) {
  LvtErr e;
  int rc;
  if (rlimit_as != 0) {
    struct rlimit rl = {rlimit_as, rlimit_as};
    setrlimit(RLIMIT_AS, &rl);
  }
  rc = lvt_ref_serve(in_fd, out_fd, NULL, &e);
  if (rc != LVT_OK) fprintf(stderr, "worker: %s\n", e.msg);
  _exit(rc == LVT_OK ? 0 : rc == LVT_ERR_PROTO ? 2 : 3);
}

/* Starts a worker. 'stdio': the protocol on the child's fds 0 and 1 (as
** 'lvtest __lvx-ref' gets it); otherwise on one socket at a high fd. */
static int spawn(Worker *w, int stdio, size_t rlimit_as) {
  int req[2], res[2], err[2], sv[2];
  memset(w, 0, sizeof *w);
  lvt_buf_init(&w->in);
  if (pipe(err) < 0) return -1;
  if (stdio) {
    if (pipe(req) < 0 || pipe(res) < 0) return -1;
  } else {
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) return -1;
  }
  fflush(stdout);
  w->pid = fork();
  if (w->pid < 0) return -1;
  if (w->pid == 0) {
    dup2(err[1], 2);
    close(err[0]);
    close(err[1]);
    if (stdio) {
      dup2(req[0], 0);
      dup2(res[1], 1);
      close(req[0]); close(req[1]); close(res[0]); close(res[1]);
      child(0, 1, rlimit_as);
    }
    close(sv[0]);
    if (dup2(sv[1], 40) < 0) _exit(4);
    close(sv[1]);
    child(40, 40, rlimit_as);
  }
  close(err[1]);
  w->err = err[0];
  fcntl(w->err, F_SETFL, O_NONBLOCK);
  if (stdio) {
    close(req[0]);
    close(res[1]);
    w->to = req[1];
    w->from = res[0];
  } else {
    close(sv[1]);
    w->to = w->from = sv[0];
  }
  return 0;
}

/* What the worker wrote on its stderr. */
static void drain_err(Worker *w, LvtBuf *b) {
  char buf[4096];
  ssize_t n;
  while ((n = read(w->err, buf, sizeof buf)) > 0) lvt_buf_add(b, buf, (size_t)n);
}

/* Closes the request side, collects the worker's stderr into 'err' (may be
** NULL) and returns its exit status (-1 when it did not exit normally
** within 10 s). */
static int finish(Worker *w, LvtBuf *err) {
  int st = 0, i;
  if (w->to == w->from) shutdown(w->to, SHUT_WR);
  else close(w->to);
  for (i = 0; i < 1000; i++) {
    pid_t r = waitpid(w->pid, &st, WNOHANG);
    if (r == w->pid) break;
    usleep(10000);
  }
  if (i == 1000) {
    kill(w->pid, SIGKILL);
    waitpid(w->pid, &st, 0);
  }
  if (err != NULL) drain_err(w, err);
  close(w->from);
  close(w->err);
  lvt_buf_reset(&w->in);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Reads more bytes from the worker (10 s at most); 0 at EOF or timeout. */
static int read_more(Worker *w) {
  struct pollfd pfd = {w->from, POLLIN, 0};
  ssize_t n;
  if (poll(&pfd, 1, 10000) <= 0) return 0;
  lvt_buf_reserve(&w->in, 65536);
  n = read(w->from, w->in.data + w->in.len, 65536);
  if (n <= 0) return 0;
  w->in.len += (size_t)n;
  w->in.data[w->in.len] = '\0';
  return 1;
}

static int read_hello(Worker *w, LvtBuf *impl) {
  LvtErr e;
  size_t used;
  for (;;) {
    int rc = lvt_proto_decode_hello(lvt_buf_str(&w->in), w->in.len, &used, impl, &e);
    if (rc == LVT_OK) {
      lvt_buf_consume(&w->in, used);
      return LVT_OK;
    }
    if (rc != LVT_AGAIN || !read_more(w)) return rc == LVT_AGAIN ? LVT_ERR_IO : rc;
  }
}

/* Sends run frame 'frame' and decodes the result into 'r' and '*dirty'. */
static int ask_frame(Worker *w, const LvtBuf *frame, LvtRun *r, int *dirty) {
  LvtErr e;
  size_t used, off = 0;
  int rc;
  while (off < frame->len) {
    ssize_t n = write(w->to, frame->data + off, frame->len - off);
    if (n < 0) return LVT_ERR_IO;
    off += (size_t)n;
  }
  for (;;) {
    rc = lvt_proto_decode_result(lvt_buf_str(&w->in), w->in.len, &used, r, dirty, &e);
    if (rc == LVT_OK) {
      lvt_buf_consume(&w->in, used);
      return LVT_OK;
    }
    if (rc != LVT_AGAIN) {
      printf("# decode: %s\n", e.msg);
      return rc;
    }
    if (!read_more(w)) return LVT_ERR_IO;
  }
}

/* Sends 'src' after prelude 'pre' (NULL: none) under 'lim' and decodes
** the result into 'r'. */
static int ask_pre(Worker *w, const char *pre, const char *src, const LvtLimits *lim,
                   LvtRun *r) {
  LvtProgram p = {"w", src, strlen(src), pre, pre != NULL ? strlen(pre) : 0};
  LvtBuf frame = LVT_BUF_INIT;
  int dirty, rc;
  lvt_proto_encode_request(&frame, &p, lim);
  rc = ask_frame(w, &frame, r, &dirty);
  lvt_buf_reset(&frame);
  return rc;
}

static int ask(Worker *w, const char *src, const LvtLimits *lim, LvtRun *r) {
  return ask_pre(w, NULL, src, lim, r);
}

static void test_session(int stdio) {
  const char *how = stdio ? "fds 0/1" : "a socket";
  Worker w;
  LvtBuf impl = LVT_BUF_INIT, err = LVT_BUF_INIT;
  LvtLimits lim;
  LvtRun r;
  lvt_run_init(&r);
  if (spawn(&w, stdio, 0) != 0) {
    TAP_OK(0, "spawn a worker on %s: %s", how, strerror(errno));
    return;
  }
  TAP_IS_INT(read_hello(&w, &impl), LVT_OK, "[%s] the worker says hello", how);
  TAP_OK(strstr(lvt_buf_str(&impl), "Lua 5.4") != NULL, "[%s] ... naming Lua 5.4", how);
  lvt_limits_default(&lim);
  lim.timeout_ms = 0;
  lim.mem_limit = 0;
  TAP_IS_INT(ask(&w, "print('hi', 1.5)", &lim, &r), LVT_OK, "[%s] a run gets a result", how);
  TAP_IS_STR(lvt_buf_str(&r.out), "hi\t1.5\n", "[%s] ... with the output", how);
  TAP_OK(r.peak_mem > 0, "[%s] ... and the peak memory", how);
  ask(&w, "error({})", &lim, &r);
  TAP_IS_STR(lvt_outcome_name(r.outcome), "error", "[%s] an error is an error", how);
  TAP_IS_STR(r.err_type, "table", "[%s] ... with its type", how);
  ask(&w, "debug.getregistry()._LOADED._G.print('junk') io.stderr:write('to stderr\\n') "
          "warn('@on') warn('careful') print('fine')", &lim, &r);
  TAP_IS_STR(lvt_buf_str(&r.out), "fine\n", "[%s] the real print cannot reach the frames", how);
  ask(&w, "print(1 + 1)", &lim, &r);
  TAP_IS_STR(lvt_buf_str(&r.out), "2\n", "[%s] ... and the stream stays in sync", how);
  ask_pre(&w, "local k = 20\nreturn k, k + 1\n", "local a, b = ...\nprint(a + b, select('#', ...))",
          &lim, &r);
  TAP_IS_STR(lvt_buf_str(&r.out), "41\t2\n", "[%s] a run with a prelude gets its results as '...'",
             how);
  ask(&w, "print(select('#', ...))", &lim, &r);
  TAP_IS_STR(lvt_buf_str(&r.out), "0\n", "[%s] ... and the next run without one gets none", how);
  lim.instr_limit = 100000;
  ask(&w, "while true do pcall(function() while true do end end) end", &lim, &r);
  TAP_IS_STR(lvt_outcome_name(r.outcome), "timeout", "[%s] the instruction budget is honoured", how);
  TAP_IS_STR(lvt_buf_str(&r.detail), "instruction limit", "[%s] ... with its detail", how);
  lim.instr_limit = 0;
  lim.deterministic = 1;
  lim.max_output = 12;
  ask(&w, "print(os.time(), math.random(100))", &lim, &r);
  TAP_OK(strncmp(lvt_buf_str(&r.out), "1000000000\t", 11) == 0, "[%s] deterministic mode is honoured", how);
  TAP_IS_INT(r.out_truncated, 1, "[%s] ... and max_output (%zu bytes)", how, r.out.len);
  lim.deterministic = 0;
  lim.max_output = 0;
  lim.selftest_crash = 1;
  ask(&w, "print('still here')", &lim, &r);
  TAP_IS_STR(lvt_buf_str(&r.out), "still here\n", "[%s] a self-test request runs normally (lvtest kills)", how);
  lim.selftest_crash = 0;
  ask(&w, "os.exit(9)", &lim, &r);
  TAP_IS_INT(r.exit_code, 9, "[%s] os.exit is an outcome, the worker lives on", how);
  ask(&w, "print('after exit')", &lim, &r);
  TAP_IS_STR(lvt_buf_str(&r.out), "after exit\n", "[%s] ... and answers the next run", how);
  {
    /* 'pure' (PROTOCOL.md): the worker takes lvtest's word for it and does
    ** not scan again, so a program sent as pure is not walked after (the
    ** sandbox's detail says nothing), while the same one sent as it is,
    ** is ("changed the string metatable"; the worker restores its image
    ** anyway, so it is not 'dirty' for lvtest). */
    static const char impure[] = "debug.getmetatable('').lvt_marker = 1";
    LvtBuf f = LVT_BUF_INIT;
    int dirty = -1;
    lvt_buf_addf(&f, "LVX 1 run 2\nsrc %zu\n%s\npure 1\n0\n", strlen(impure), impure);
    ask_frame(&w, &f, &r, &dirty);
    TAP_IS_STR(lvt_buf_str(&r.detail), "changed the string metatable",
               "[%s] a change to shared state is seen ('pure 0')", how);
    lvt_buf_clear(&f);
    lvt_buf_addf(&f, "LVX 1 run 2\nsrc %zu\n%s\npure 1\n1\n", strlen(impure), impure);
    ask_frame(&w, &f, &r, &dirty);
    TAP_IS_STR(lvt_buf_str(&r.detail), "", "[%s] ... not looked for in a run sent as pure", how);
    lvt_buf_reset(&f);
  }
  TAP_IS_INT(finish(&w, &err), 0, "[%s] EOF between frames ends it cleanly", how);
  TAP_OK(strstr(lvt_buf_str(&err), "junk") != NULL && strstr(lvt_buf_str(&err), "to stderr") != NULL,
         "[%s] stray stdout writes and io.stderr land on stderr", how);
  TAP_OK(strstr(lvt_buf_str(&err), "Lua warning: careful") != NULL, "[%s] so do Lua warnings", how);
  lvt_buf_reset(&impl);
  lvt_buf_reset(&err);
  lvt_run_reset(&r);
}

/* A worker whose address space is limited reports memory, not a crash. */
static void test_rlimit(void) {
  Worker w;
  LvtBuf impl = LVT_BUF_INIT;
  LvtLimits lim;
  LvtRun r;
#ifdef __SANITIZE_ADDRESS__
  printf("# SKIP RLIMIT_AS test: ASan's shadow memory cannot live under RLIMIT_AS\n");
  return;
#endif
  lvt_run_init(&r);
  if (spawn(&w, 1, (size_t)320 << 20) != 0) {
    TAP_OK(0, "spawn: %s", strerror(errno));
    return;
  }
  read_hello(&w, &impl);
  lvt_limits_default(&lim);
  lim.timeout_ms = 0;
  lim.mem_limit = 0;
  ask(&w, "local t = {} for i = 1, 1e9 do t[i] = {} end", &lim, &r);
  TAP_IS_STR(lvt_outcome_name(r.outcome), "memory", "under RLIMIT_AS a memory hog is outcome memory");
  ask(&w, "print('ok')", &lim, &r);
  TAP_IS_STR(lvt_buf_str(&r.out), "ok\n", "... and the worker goes on");
  TAP_IS_INT(finish(&w, NULL), 0, "... and ends cleanly");
  lvt_buf_reset(&impl);
  lvt_run_reset(&r);
}

/* $LVT_SCRATCH (the proc backend's dir for the child) is the scratch dir:
** relative paths land there, and the worker does not remove it. */
static void test_scratch_env(void) {
  char dir[] = "/tmp/lvt-test-worker-XXXXXX", path[64];
  Worker w;
  LvtBuf impl = LVT_BUF_INIT;
  LvtLimits lim;
  LvtRun r;
  FILE *f;
  if (mkdtemp(dir) == NULL) {
    TAP_OK(0, "mkdtemp: %s", strerror(errno));
    return;
  }
  snprintf(path, sizeof path, "%s/given.txt", dir);
  if ((f = fopen(path, "w")) != NULL) {
    fputs("from the parent", f);
    fclose(f);
  }
  lvt_run_init(&r);
  setenv("LVT_SCRATCH", dir, 1);
  if (spawn(&w, 1, 0) != 0) {
    TAP_OK(0, "spawn: %s", strerror(errno));
    unsetenv("LVT_SCRATCH");
    return;
  }
  unsetenv("LVT_SCRATCH");
  read_hello(&w, &impl);
  lvt_limits_default(&lim);
  ask(&w, "print(io.open('given.txt'):read('a'))", &lim, &r);
  TAP_IS_STR(lvt_buf_str(&r.out), "from the parent\n", "$LVT_SCRATCH is the worker's scratch dir");
  TAP_IS_INT(finish(&w, NULL), 0, "... the worker ends cleanly");
  TAP_IS_INT(remove(path), 0, "... leaving the dir and what the parent put there in place");
  rmdir(dir);
  lvt_buf_reset(&impl);
  lvt_run_reset(&r);
}

/* Bytes that are not LVX end the worker with a protocol error. */
static void test_bad_input(void) {
  static const struct { const char *what, *bytes; int status; } inputs[] = {
    {"garbage", "HELLO THERE\n", 2},
    {"a truncated frame", "LVX 1 run 1\nsrc 10\nprint", 2},
    {"a result frame", "LVX 1 result 1\noutcome 2\nok\n", 2},
    {"nothing", "", 0},
  };
  size_t i;
  for (i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
    Worker w;
    LvtBuf impl = LVT_BUF_INIT, err = LVT_BUF_INIT;
    if (spawn(&w, 1, 0) != 0) {
      TAP_OK(0, "spawn: %s", strerror(errno));
      return;
    }
    read_hello(&w, &impl);
    if (write(w.to, inputs[i].bytes, strlen(inputs[i].bytes)) < 0) TAP_OK(0, "write");
    TAP_IS_INT(finish(&w, &err), inputs[i].status, "%s: the worker exits with %d",
               inputs[i].what, inputs[i].status);
    if (inputs[i].status == 2)
      TAP_OK(strstr(lvt_buf_str(&err), "protocol") != NULL, "... and says it was the protocol");
    lvt_buf_reset(&impl);
    lvt_buf_reset(&err);
  }
}

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  test_session(1);
  test_session(0);
  test_rlimit();
  test_scratch_env();
  test_bad_input();
  return tap_done();
}
