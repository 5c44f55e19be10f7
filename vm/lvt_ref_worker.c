/*
** lvt_ref_worker.c -- the crash-isolating reference: 'lvtest __lvx-ref'
** serves LVX (vm/PROTOCOL.md) on two fds with the in-process backend, so
** the proc backend can run the reference in a child like any other Lua; a
** crash of the reference kills only that child, which proc restarts.
**
** The protocol fds are kept away from 0 and 1: fd 0 then reads /dev/null
** and fd 1 writes to stderr, so neither a program (the sandbox captures
** its output anyway) nor Lua nor a stray printf can read or corrupt a
** frame. stderr stays the child's stderr, which proc keeps per program.
*/
#include "lvt_ref.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "lvt_proto.h"

#define READ_CHUNK ((size_t)64 << 10)

/* Returns 'fd', or a close-on-exec duplicate of it above 2 when it is one
** of the standard fds; -1 with 'e' set on failure. */
static int fd_lift(int fd, LvtErr *e) {
  int nfd;
  if (fd > 2) return fd;
  nfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (nfd < 0) lvt_err_set(e, LVT_ERR_IO, "__lvx-ref: dup of fd %d: %s", fd, strerror(errno));
  return nfd;
}

/* Points fd 0 at /dev/null and fd 1 at stderr (or /dev/null when there
** is no stderr). Called once the protocol fds are lifted. */
static int std_fds_quiet(LvtErr *e) {
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null < 0)
    return lvt_err_set(e, LVT_ERR_IO, "__lvx-ref: /dev/null: %s", strerror(errno));
  fflush(stdout);
  if (dup2(null, 0) < 0 || (dup2(2, 1) < 0 && dup2(null, 1) < 0)) {
    int rc = lvt_err_set(e, LVT_ERR_IO, "__lvx-ref: redirecting fds 0/1: %s", strerror(errno));
    close(null);
    return rc;
  }
  if (null > 2) close(null);
  return LVT_OK;
}

static int write_all(int fd, const char *p, size_t n, LvtErr *e) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return lvt_err_set(e, LVT_ERR_IO, "__lvx-ref: write: %s", strerror(errno));
    }
    p += w;
    n -= (size_t)w;
  }
  return LVT_OK;
}

/* The memory cap of a run when the request gives none: three quarters of
** the address space RLIMIT_AS leaves (the parent's limit then shows up as
** outcome 'memory' rather than as a failed malloc); 0 without a limit. */
static size_t mem_cap_from_rlimit(void) {
  struct rlimit rl;
  unsigned long pages = 0;
  size_t vm, avail;
  FILE *f;
  if (getrlimit(RLIMIT_AS, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return 0;
  f = fopen("/proc/self/statm", "r");
  if (f != NULL) {
    if (fscanf(f, "%lu", &pages) != 1) pages = 0;
    fclose(f);
  }
  vm = (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
  avail = (size_t)rl.rlim_cur > vm ? (size_t)rl.rlim_cur - vm : 0;
  return avail / 4 * 3 > 0 ? avail / 4 * 3 : 1;
}

/* Runs one request and sends its result frame. */
static int serve_one(LvtRef *ref, int out_fd, const LvtRequest *rq, size_t cap,
                     LvtRun *run, LvtBuf *frame, LvtErr *e) {
  LvtProgram p;
  LvtLimits lim = rq->lim;
  int rc;
  p.name = lvt_buf_str(&rq->name);
  p.src = lvt_buf_str(&rq->src);
  p.len = rq->src.len;
  p.prelude = rq->has_prelude ? lvt_buf_str(&rq->prelude) : NULL;
  p.prelude_len = rq->prelude.len;
  lim.selftest_crash = 0;   /* lvtest kills us while it runs: nothing to do */
  if (lim.mem_limit == 0) lim.mem_limit = cap;
  if (rq->pure) lvt_ref_set_pure(ref);   /* (lvtest scanned it already) */
  if ((rc = lvt_ref_run(ref, &p, &lim, run, e)) != LVT_OK) return rc;
  if (run->errout.len > 0)  /* Lua warnings: the child's stderr */
    (void)write_all(2, run->errout.data, run->errout.len, NULL);
  lvt_buf_clear(frame);
  lvt_proto_encode_result(frame, run, 0);   /* every run starts pristine */
  return write_all(out_fd, frame->data, frame->len, e);
}

int lvt_ref_serve(int in_fd, int out_fd, const LvtRefOptions *opt, LvtErr *e) {
  LvtRefOptions o;
  LvtRef *ref = NULL;
  LvtBuf in = LVT_BUF_INIT, frame = LVT_BUF_INIT;
  LvtRequest rq;
  LvtRun run;
  char impl[96];
  size_t cap;
  int rc;
  lvt_request_init(&rq);
  lvt_run_init(&run);
  if (opt != NULL) o = *opt;
  else lvt_ref_options_init(&o);
  if (o.scratch == NULL) {        /* the proc backend's dir for this child */
    const char *s = getenv("LVT_SCRATCH");
    if (s != NULL && *s) o.scratch = s;
  }
  if ((in_fd = fd_lift(in_fd, e)) < 0 || (out_fd = fd_lift(out_fd, e)) < 0) {
    rc = LVT_ERR_IO;
    goto done;
  }
  if ((rc = std_fds_quiet(e)) != LVT_OK) goto done;
  signal(SIGPIPE, SIG_IGN);  /* a vanished parent is a write error */
  if ((rc = lvt_ref_open(&ref, &o, e)) != LVT_OK) goto done;
  cap = mem_cap_from_rlimit();
  snprintf(impl, sizeof impl, "lvtest __lvx-ref Lua %s (seed %u, gc %s)",
           lvt_ref_lua_version(), o.hash_seed, lvt_ref_gc_name(o.gc));
  lvt_proto_encode_hello(&frame, impl);
  if ((rc = write_all(out_fd, frame.data, frame.len, e)) != LVT_OK) goto done;
  for (;;) {
    size_t used = 0;
    ssize_t n;
    rc = lvt_proto_decode_request(lvt_buf_str(&in), in.len, &used, &rq, e);
    if (rc == LVT_OK) {
      lvt_buf_consume(&in, used);
      if ((rc = serve_one(ref, out_fd, &rq, cap, &run, &frame, e)) != LVT_OK) break;
      continue;
    }
    if (rc != LVT_AGAIN) {
      lvt_err_prefix(e, "__lvx-ref: protocol");
      break;
    }
    lvt_buf_reserve(&in, READ_CHUNK);
    n = read(in_fd, in.data + in.len, READ_CHUNK);
    if (n < 0) {
      if (errno == EINTR) continue;
      rc = lvt_err_set(e, LVT_ERR_IO, "__lvx-ref: read: %s", strerror(errno));
      break;
    }
    if (n == 0) {
      rc = in.len == 0 ? LVT_OK
           : lvt_err_set(e, LVT_ERR_PROTO,
                         "__lvx-ref: protocol: EOF in the middle of a run frame (%zu bytes)",
                         in.len);
      break;
    }
    in.len += (size_t)n;
    in.data[in.len] = '\0';
  }
done:
  lvt_ref_close(ref);
  lvt_request_reset(&rq);
  lvt_run_reset(&run);
  lvt_buf_reset(&in);
  lvt_buf_reset(&frame);
  return rc;
}
