/*
** lvt_finding.c -- durable writes, signatures and the findings store.
*/
#define _GNU_SOURCE
#include "lvt_finding.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

/* =====================================================================
** Durable writes
** ===================================================================== */
static int io_err(LvtErr *e, const char *what, const char *path) {
  return lvt_err_set(e, LVT_ERR_IO, "%s %s: %s", what, path, strerror(errno));
}

static unsigned fail_countdown;   /* lvt_finding_fail_write */

void lvt_finding_fail_write(unsigned n) {
  __atomic_store_n(&fail_countdown, n, __ATOMIC_SEQ_CST);
}

/* Writes all of 'p' to 'fd'. 0 or -1 with errno. */
static int write_all(int fd, const void *p, size_t n) {
  const char *c = p;
  unsigned left = __atomic_load_n(&fail_countdown, __ATOMIC_SEQ_CST);
  if (left > 0 && __atomic_sub_fetch(&fail_countdown, 1, __ATOMIC_SEQ_CST) == 0) {
    errno = ENOSPC;
    return -1;
  }
  while (n > 0) {
    ssize_t w = write(fd, c, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    c += w;
    n -= (size_t)w;
  }
  return 0;
}

int lvt_file_write_sync(const char *path, const void *p, size_t n, LvtErr *e) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return io_err(e, "cannot create", path);
  if (write_all(fd, p, n) != 0 || fsync(fd) != 0) {
    int rc = io_err(e, "cannot write", path);
    close(fd);
    return rc;
  }
  if (close(fd) != 0) return io_err(e, "cannot write", path);
  return LVT_OK;
}

int lvt_dir_sync(const char *dir, LvtErr *e) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_err(e, "cannot open", dir);
  /* Some file systems refuse fsync on a directory (EINVAL): nothing more
  ** can be done there, and the data files themselves were synced. */
  if (fsync(fd) != 0 && errno != EINVAL) {
    int rc = io_err(e, "cannot sync", dir);
    close(fd);
    return rc;
  }
  close(fd);
  return LVT_OK;
}

/* The directory part of 'path' ("." when none), into 'out'. */
static void parent_of(const char *path, LvtBuf *out) {
  const char *slash = strrchr(path, '/');
  lvt_buf_clear(out);
  if (slash == NULL) lvt_buf_adds(out, ".");
  else if (slash == path) lvt_buf_adds(out, "/");
  else lvt_buf_add(out, path, (size_t)(slash - path));
}

static unsigned long tmp_counter(void) {
  static unsigned long n;
  return __atomic_add_fetch(&n, 1, __ATOMIC_RELAXED);
}

int lvt_file_replace(const char *path, const void *p, size_t n, LvtErr *e) {
  LvtBuf tmp = LVT_BUF_INIT, dir = LVT_BUF_INIT;
  int rc;
  lvt_buf_addf(&tmp, "%s.tmp-%ld-%lu", path, (long)getpid(), tmp_counter());
  rc = lvt_file_write_sync(tmp.data, p, n, e);
  if (rc == LVT_OK && rename(tmp.data, path) != 0) rc = io_err(e, "cannot rename to", path);
  if (rc != LVT_OK) unlink(tmp.data);
  if (rc == LVT_OK) {
    parent_of(path, &dir);
    rc = lvt_dir_sync(dir.data, e);
  }
  lvt_buf_reset(&tmp);
  lvt_buf_reset(&dir);
  return rc;
}

int lvt_file_append_sync(const char *path, const void *p, size_t n, LvtErr *e) {
  int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return io_err(e, "cannot open", path);
  if (write_all(fd, p, n) != 0 || fsync(fd) != 0) {
    int rc = io_err(e, "cannot append to", path);
    close(fd);
    return rc;
  }
  close(fd);
  return LVT_OK;
}

/* mkdir -p */
static int make_dirs(const char *dir, LvtErr *e) {
  char *c = lvt_xstrdup(dir), *s;
  int rc = LVT_OK;
  for (s = c + 1; ; s++) {
    if (*s == '/' || *s == '\0') {
      char save = *s;
      *s = '\0';
      if (mkdir(c, 0755) != 0 && errno != EEXIST) {
        rc = io_err(e, "cannot create directory", c);
        break;
      }
      *s = save;
      if (save == '\0') break;
    }
  }
  if (rc == LVT_OK) {
    struct stat st;
    if (stat(dir, &st) != 0) rc = io_err(e, "cannot use", dir);
    else if (!S_ISDIR(st.st_mode))
      rc = lvt_err_set(e, LVT_ERR_IO, "%s: not a directory", dir);
  }
  free(c);
  return rc;
}

int lvt_dir_probe(const char *dir, size_t bytes, LvtErr *e) {
  LvtBuf path = LVT_BUF_INIT;
  char *junk;
  int rc = make_dirs(dir, e);
  if (rc != LVT_OK) return rc;
  lvt_buf_addf(&path, "%s/.lvt-probe-%ld", dir, (long)getpid());
  junk = lvt_xcalloc(bytes ? bytes : 1, 1);
  memset(junk, 'x', bytes);
  rc = lvt_file_write_sync(path.data, junk, bytes, e);
  unlink(path.data);
  if (rc == LVT_OK) rc = lvt_dir_sync(dir, e);
  free(junk);
  lvt_buf_reset(&path);
  return rc;
}

/* =====================================================================
** Signatures
** ===================================================================== */
const char *lvt_finding_kind_name(LvtFindingKind k) {
  switch (k) {
    case LVT_FINDING_DIVERGENCE: return "divergence";
    case LVT_FINDING_CRASH: return "crash";
    case LVT_FINDING_METAMORPHIC: return "metamorphic";
    default: return "?";
  }
}

static int kind_parse(const char *s) {
  int k;
  for (k = 0; k < LVT_FINDING__COUNT; k++)
    if (strcmp(s, lvt_finding_kind_name((LvtFindingKind)k)) == 0) return k;
  return -1;
}

void lvt_sig_shape(const char *line, size_t n, LvtBuf *out) {
  size_t i, kept = 0;
  int in_digits = 0;
  if (line == NULL) {
    lvt_buf_adds(out, "<end>");
    return;
  }
  for (i = 0; i < n && kept < 24; i++) {
    unsigned char c = (unsigned char)line[i];
    if (c == ' ' || c == '=' || c == ':' || c == ',' || c == '\t') {
      if (kept > 0) break;
      continue;   /* leading separators */
    }
    if (c >= '0' && c <= '9') {
      if (!in_digits) lvt_buf_addc(out, '#'), kept++;
      in_digits = 1;
      continue;
    }
    in_digits = 0;
    lvt_buf_addc(out, c >= 33 && c < 127 ? (int)c : '?');
    kept++;
  }
  if (kept == 0) lvt_buf_adds(out, "<blank>");
}

size_t lvt_first_diff_line(const char *a, size_t alen, const char *b, size_t blen,
                           const char **line, size_t *n) {
  size_t ia = 0, ib = 0, no = 1;
  for (;;) {
    const char *ea = ia < alen ? memchr(a + ia, '\n', alen - ia) : NULL;
    const char *eb = ib < blen ? memchr(b + ib, '\n', blen - ib) : NULL;
    size_t la = ia < alen ? (ea ? (size_t)(ea - (a + ia)) : alen - ia) : 0;
    size_t lb = ib < blen ? (eb ? (size_t)(eb - (b + ib)) : blen - ib) : 0;
    int enda = ia >= alen, endb = ib >= blen;
    if (enda && endb) return 0;
    if (enda != endb || la != lb || memcmp(a + ia, b + ib, la) != 0 ||
        (ea == NULL) != (eb == NULL)) {
      *line = enda ? NULL : a + ia;
      *n = la;
      return no;
    }
    ia += la + 1;
    ib += lb + 1;
    no++;
  }
}

/* 1 when class 'c' of 'v' holds a VM named 'name' / starting with 'pre'. */
static int class_has(const LvtVerdict *v, int c, const char *name, const char *pre) {
  int i;
  for (i = 0; i < v->n; i++) {
    if (v->cls[i] != c) continue;
    if (name != NULL && strcmp(v->vm[i], name) == 0) return 1;
    if (pre != NULL && strncmp(v->vm[i], pre, strlen(pre)) == 0) return 1;
  }
  return 0;
}

int lvt_sig_anchor(const LvtVerdict *v) {
  int c;
  if (v->nclasses == 0) return -1;
  for (c = 0; c < v->nclasses; c++)
    if (class_has(v, c, "ref", NULL)) return c;
  for (c = 0; c < v->nclasses; c++)
    if (class_has(v, c, NULL, "lua5")) return c;
  if (v->ngroups > 0 && v->groups[0].majority >= 0) return v->groups[0].majority;
  return 0;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "{a,b}=label" of class 'c' (names sorted) into 'out'. */
static void class_text(const LvtVerdict *v, int c, LvtBuf *out) {
  const char **names = lvt_xcalloc((size_t)v->n + 1, sizeof *names);
  int i, k = 0;
  for (i = 0; i < v->n; i++)
    if (v->cls[i] == c) names[k++] = v->vm[i];
  qsort(names, (size_t)k, sizeof *names, cmp_str);
  lvt_buf_addc(out, '{');
  for (i = 0; i < k; i++) {
    if (i) lvt_buf_addc(out, ',');
    lvt_buf_adds(out, names[i]);
  }
  lvt_buf_addf(out, "}=%s", v->classes[c].label);
  free(names);
}

void lvt_sig_divergence(const LvtVerdict *v, const char *shape, LvtBuf *sig) {
  int anchor = lvt_sig_anchor(v), c, k = 0;
  char **others = lvt_xcalloc((size_t)v->nclasses + 1, sizeof *others);
  LvtBuf t = LVT_BUF_INIT;
  lvt_buf_adds(sig, "divergence ");
  if (anchor >= 0) class_text(v, anchor, sig);
  for (c = 0; c < v->nclasses; c++) {
    if (c == anchor) continue;
    lvt_buf_clear(&t);
    class_text(v, c, &t);
    others[k++] = lvt_xstrdup(t.data);
  }
  qsort(others, (size_t)k, sizeof *others, cmp_str);
  for (c = 0; c < k; c++) {
    lvt_buf_addf(sig, " / %s", others[c]);
    free(others[c]);
  }
  if (shape != NULL && *shape != '\0') lvt_buf_addf(sig, " @%s", shape);
  free(others);
  lvt_buf_reset(&t);
}

void lvt_run_label(const LvtRun *r, char *out, size_t size) {
  switch (r->outcome) {
    case LVT_RUN_ERROR:
      snprintf(out, size, "error (%s)", r->err_type[0] ? r->err_type : "?");
      break;
    case LVT_RUN_EXIT: snprintf(out, size, "exit %d", r->exit_code); break;
    default: snprintf(out, size, "%s", lvt_outcome_name(r->outcome)); break;
  }
}

void lvt_sig_crash(const char *vm, const LvtRun *r, LvtBuf *sig) {
  if (r->signal > 0) lvt_buf_addf(sig, "crash %s signal %d", vm, r->signal);
  else if (r->status >= 0) lvt_buf_addf(sig, "crash %s status %d", vm, r->status);
  else lvt_buf_addf(sig, "crash %s abnormal", vm);
}

void lvt_sig_metamorphic(const char *vm, const LvtRun *orig, const LvtRun *var,
                         const char *shape, LvtBuf *sig) {
  char a[64], b[64];
  lvt_run_label(orig, a, sizeof a);
  lvt_run_label(var, b, sizeof b);
  lvt_buf_addf(sig, "metamorphic %s %s/%s", vm, a, b);
  if (shape != NULL && *shape != '\0') lvt_buf_addf(sig, " @%s", shape);
}

uint64_t lvt_hash64(const void *p, size_t n) {
  const unsigned char *c = p;
  uint64_t h = 0xcbf29ce484222325ULL;
  size_t i;
  for (i = 0; i < n; i++) {
    h ^= c[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}

/* =====================================================================
** Finding directories
** ===================================================================== */
void lvt_fdir_init(LvtFindingDir *d) {
  d->n = 0;
  d->name = NULL;
  d->data = NULL;
}

void lvt_fdir_reset(LvtFindingDir *d) {
  size_t i;
  for (i = 0; i < d->n; i++) {
    free(d->name[i]);
    lvt_buf_reset(&d->data[i]);
  }
  free(d->name);
  free(d->data);
  lvt_fdir_init(d);
}

LvtBuf *lvt_fdir_add(LvtFindingDir *d, const char *name, const void *p, size_t n) {
  d->name = lvt_xrealloc(d->name, (d->n + 1) * sizeof *d->name);
  d->data = lvt_xrealloc(d->data, (d->n + 1) * sizeof *d->data);
  d->name[d->n] = lvt_xstrdup(name);
  lvt_buf_init(&d->data[d->n]);
  lvt_buf_add(&d->data[d->n], p, n);
  /* an empty buffer still needs 'data' for writing */
  lvt_buf_reserve(&d->data[d->n], 1);
  return &d->data[d->n++];
}

/* rm -r of a directory holding only files (what publish makes). */
static void remove_flat_dir(const char *dir) {
  DIR *dh = opendir(dir);
  struct dirent *de;
  LvtBuf p = LVT_BUF_INIT;
  if (dh != NULL) {
    while ((de = readdir(dh)) != NULL) {
      if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
      lvt_buf_clear(&p);
      lvt_buf_addf(&p, "%s/%s", dir, de->d_name);
      unlink(p.data);
    }
    closedir(dh);
  }
  rmdir(dir);
  lvt_buf_reset(&p);
}

int lvt_fdir_publish(const LvtFindingDir *d, const char *parent, const char *name,
                     int *existed, LvtErr *e) {
  LvtBuf tmp = LVT_BUF_INIT, fin = LVT_BUF_INIT, p = LVT_BUF_INIT;
  struct stat st;
  size_t i;
  int rc = LVT_OK;
  if (existed) *existed = 0;
  lvt_buf_addf(&fin, "%s/%s", parent, name);
  if (stat(fin.data, &st) == 0) {
    if (existed) *existed = 1;
    goto out;
  }
  lvt_buf_addf(&tmp, "%s/.tmp-%s-%ld-%lu", parent, name, (long)getpid(), tmp_counter());
  if (mkdir(tmp.data, 0755) != 0) {
    rc = io_err(e, "cannot create directory", tmp.data);
    goto out;
  }
  for (i = 0; i < d->n && rc == LVT_OK; i++) {
    lvt_buf_clear(&p);
    lvt_buf_addf(&p, "%s/%s", tmp.data, d->name[i]);
    rc = lvt_file_write_sync(p.data, d->data[i].data, d->data[i].len, e);
    if (rc == LVT_OK && strcmp(d->name[i], "repro.sh") == 0) chmod(p.data, 0755);
  }
  if (rc == LVT_OK) rc = lvt_dir_sync(tmp.data, e);
  if (rc == LVT_OK && rename(tmp.data, fin.data) != 0) {
    if (errno == EEXIST || errno == ENOTEMPTY) {   /* raced: keep the first */
      if (existed) *existed = 1;
      remove_flat_dir(tmp.data);
      goto out;
    }
    rc = io_err(e, "cannot rename to", fin.data);
  }
  if (rc != LVT_OK) remove_flat_dir(tmp.data);
  else rc = lvt_dir_sync(parent, e);
out:
  lvt_buf_reset(&tmp);
  lvt_buf_reset(&fin);
  lvt_buf_reset(&p);
  return rc;
}

/* =====================================================================
** The store
** ===================================================================== */
typedef struct SigEntry {
  char *sig;
  uint64_t hash;
  LvtFindingKind kind;
  uint64_t count;
  unsigned examples;
  char *first_example;
} SigEntry;

struct LvtStore {
  char *dir;             /* DIR/findings */
  char *index_path;
  unsigned keep;
  pthread_mutex_t lock;
  SigEntry *sigs;
  size_t nsigs;
  uint64_t total, per_kind[LVT_FINDING__COUNT];
  uint64_t *seen;        /* open-addressing set of (index, sighash) keys */
  size_t seen_cap, seen_n;
};

static uint64_t seen_key(uint64_t index, uint64_t hash) {
  uint64_t k = hash ^ (index * 0x9e3779b97f4a7c15ULL);
  return k == 0 ? 1 : k;   /* 0 marks an empty slot */
}

static int seen_has(const LvtStore *s, uint64_t k) {
  size_t i;
  if (s->seen_cap == 0) return 0;
  for (i = (size_t)(k % s->seen_cap); s->seen[i] != 0; i = (i + 1) % s->seen_cap)
    if (s->seen[i] == k) return 1;
  return 0;
}

static void seen_add(LvtStore *s, uint64_t k) {
  size_t i;
  if (seen_has(s, k)) return;
  if ((s->seen_n + 1) * 2 > s->seen_cap) {
    size_t old = s->seen_cap, j;
    uint64_t *o = s->seen;
    s->seen_cap = old ? old * 2 : 256;
    s->seen = lvt_xcalloc(s->seen_cap, sizeof *s->seen);
    s->seen_n = 0;
    for (j = 0; j < old; j++)
      if (o[j] != 0) seen_add(s, o[j]);
    free(o);
  }
  for (i = (size_t)(k % s->seen_cap); s->seen[i] != 0; i = (i + 1) % s->seen_cap) {}
  s->seen[i] = k;
  s->seen_n++;
}

/* Removes 'k' (a record that failed): the cluster after it is re-inserted. */
static void seen_del(LvtStore *s, uint64_t k) {
  size_t i, j;
  if (s->seen_cap == 0) return;
  for (i = (size_t)(k % s->seen_cap); s->seen[i] != 0 && s->seen[i] != k;
       i = (i + 1) % s->seen_cap) {}
  if (s->seen[i] == 0) return;
  s->seen[i] = 0;
  s->seen_n--;
  for (j = (i + 1) % s->seen_cap; s->seen[j] != 0; j = (j + 1) % s->seen_cap) {
    uint64_t x = s->seen[j];
    s->seen[j] = 0;
    s->seen_n--;
    seen_add(s, x);
  }
}

static SigEntry *sig_find(LvtStore *s, const char *sig, uint64_t h) {
  size_t i;
  for (i = 0; i < s->nsigs; i++)
    if (s->sigs[i].hash == h && strcmp(s->sigs[i].sig, sig) == 0) return &s->sigs[i];
  return NULL;
}

static SigEntry *sig_get(LvtStore *s, const char *sig, LvtFindingKind kind) {
  uint64_t h = lvt_hash64(sig, strlen(sig));
  SigEntry *en = sig_find(s, sig, h);
  if (en != NULL) return en;
  s->sigs = lvt_xrealloc(s->sigs, (s->nsigs + 1) * sizeof *s->sigs);
  en = &s->sigs[s->nsigs++];
  memset(en, 0, sizeof *en);
  en->sig = lvt_xstrdup(sig);
  en->hash = h;
  en->kind = kind;
  return en;
}

/* Reads index.jsonl back. A last line cut short by a kill is removed. */
static int load_index(LvtStore *s, LvtErr *e) {
  FILE *f = fopen(s->index_path, "r");
  char *line = NULL;
  size_t cap = 0, lineno = 0;
  ssize_t n;
  off_t good = 0;
  int rc = LVT_OK;
  if (f == NULL) return errno == ENOENT ? LVT_OK : io_err(e, "cannot read", s->index_path);
  while ((n = getline(&line, &cap, f)) > 0) {
    json_t *j, *ex;
    json_error_t je;
    const char *sig, *kind;
    int k;
    lineno++;
    if (line[n - 1] != '\n') break;   /* torn last line */
    j = json_loads(line, 0, &je);
    sig = json_string_value(json_object_get(j, "signature"));
    kind = json_string_value(json_object_get(j, "kind"));
    k = kind ? kind_parse(kind) : -1;
    if (j == NULL || sig == NULL || k < 0 || !json_is_integer(json_object_get(j, "index"))) {
      rc = lvt_err_set(e, LVT_ERR_USAGE, "%s:%zu: not an lvtest findings index line",
                       s->index_path, lineno);
      json_decref(j);
      break;
    }
    {
      SigEntry *en = sig_get(s, sig, (LvtFindingKind)k);
      uint64_t idx = (uint64_t)json_integer_value(json_object_get(j, "index"));
      en->count++;
      s->total++;
      s->per_kind[k]++;
      ex = json_object_get(j, "example");
      if (json_is_string(ex)) {
        en->examples++;
        if (en->first_example == NULL) en->first_example = lvt_xstrdup(json_string_value(ex));
      }
      seen_add(s, seen_key(idx, en->hash));
    }
    json_decref(j);
    good += n;
  }
  free(line);
  fclose(f);
  if (rc == LVT_OK) {
    struct stat st;
    if (stat(s->index_path, &st) == 0 && st.st_size > good && truncate(s->index_path, good) != 0)
      rc = io_err(e, "cannot repair", s->index_path);
  }
  return rc;
}

/* Removes '.tmp-*' directories a killed run left in the findings dir. */
static void remove_temps(const char *dir) {
  DIR *dh = opendir(dir);
  struct dirent *de;
  LvtBuf p = LVT_BUF_INIT;
  if (dh == NULL) return;
  while ((de = readdir(dh)) != NULL) {
    if (strncmp(de->d_name, ".tmp-", 5) != 0) continue;
    lvt_buf_clear(&p);
    lvt_buf_addf(&p, "%s/%s", dir, de->d_name);
    remove_flat_dir(p.data);
  }
  closedir(dh);
  lvt_buf_reset(&p);
}

int lvt_store_open(LvtStore **out, const char *dir, size_t probe_bytes, unsigned keep,
                   LvtErr *e) {
  LvtStore *s = lvt_xcalloc(1, sizeof *s);
  LvtBuf b = LVT_BUF_INIT;
  int rc;
  *out = NULL;
  lvt_buf_addf(&b, "%s/findings", dir);
  s->dir = lvt_xstrdup(b.data);
  lvt_buf_clear(&b);
  lvt_buf_addf(&b, "%s/index.jsonl", s->dir);
  s->index_path = lvt_xstrdup(b.data);
  lvt_buf_reset(&b);
  s->keep = keep ? keep : 3;
  pthread_mutex_init(&s->lock, NULL);
  rc = lvt_dir_probe(s->dir, probe_bytes, e);
  if (rc == LVT_OK) {
    remove_temps(s->dir);
    rc = load_index(s, e);
  }
  if (rc != LVT_OK) {
    lvt_store_close(s);
    return rc;
  }
  *out = s;
  return LVT_OK;
}

void lvt_store_close(LvtStore *s) {
  size_t i;
  if (s == NULL) return;
  for (i = 0; i < s->nsigs; i++) {
    free(s->sigs[i].sig);
    free(s->sigs[i].first_example);
  }
  free(s->sigs);
  free(s->seen);
  free(s->dir);
  free(s->index_path);
  pthread_mutex_destroy(&s->lock);
  free(s);
}

/* The index line of 'oc' (no newline) into 'out'. */
static void index_line(const LvtOccurrence *oc, const char *example, const char *hash,
                       LvtBuf *out) {
  json_t *j = json_object();
  char seed[24], *text;
  snprintf(seed, sizeof seed, "0x%016llx", (unsigned long long)oc->seed);
  json_object_set_new(j, "kind", json_string(lvt_finding_kind_name(oc->kind)));
  json_object_set_new(j, "index", json_integer((json_int_t)oc->index));
  json_object_set_new(j, "seed", json_string(seed));
  json_object_set_new(j, "profile", json_string(oc->profile ? oc->profile : ""));
  json_object_set_new(j, "signature", json_string(oc->signature));
  json_object_set_new(j, "sighash", json_string(hash));
  json_object_set_new(j, "label", json_string(oc->label ? oc->label : ""));
  json_object_set_new(j, "vms", json_string(oc->vms ? oc->vms : ""));
  json_object_set_new(j, "example", example ? json_string(example) : json_null());
  text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
  lvt_buf_adds(out, text);
  free(text);
  json_decref(j);
}

int lvt_store_record(LvtStore *s, const LvtOccurrence *oc, LvtFillFinding fill, void *ud,
                     LvtRecorded *what, char **dir_out, LvtErr *e) {
  uint64_t h = lvt_hash64(oc->signature, strlen(oc->signature));
  uint64_t key = seen_key(oc->index, h);
  char hash[16], name[96];
  int want_example, rc = LVT_OK;
  LvtBuf line = LVT_BUF_INIT;
  SigEntry *en;
  if (dir_out) *dir_out = NULL;
  snprintf(hash, sizeof hash, "%012llx", (unsigned long long)(h & 0xffffffffffffULL));
  snprintf(name, sizeof name, "%s-%s-%llu", lvt_finding_kind_name(oc->kind), hash,
           (unsigned long long)oc->index);
  pthread_mutex_lock(&s->lock);
  if (seen_has(s, key)) {
    pthread_mutex_unlock(&s->lock);
    *what = LVT_REC_KNOWN;
    return LVT_OK;
  }
  seen_add(s, key);   /* claimed: another worker cannot record it too */
  en = sig_get(s, oc->signature, oc->kind);
  want_example = en->examples < s->keep;
  if (want_example) en->examples++;   /* reserve the slot */
  pthread_mutex_unlock(&s->lock);

  if (want_example) {
    LvtFindingDir d;
    int existed = 0;
    lvt_fdir_init(&d);
    fill(ud, &d);
    rc = lvt_fdir_publish(&d, s->dir, name, &existed, e);
    lvt_fdir_reset(&d);
  }
  if (rc == LVT_OK) {
    index_line(oc, want_example ? name : NULL, hash, &line);
    lvt_buf_addc(&line, '\n');
    pthread_mutex_lock(&s->lock);   /* one writer at a time: whole lines */
    rc = lvt_file_append_sync(s->index_path, line.data, line.len, e);
    if (rc == LVT_OK) {
      en = sig_get(s, oc->signature, oc->kind);   /* 'sigs' may have moved */
      en->count++;
      s->total++;
      s->per_kind[oc->kind]++;
      if (want_example && en->first_example == NULL) en->first_example = lvt_xstrdup(name);
    }
    pthread_mutex_unlock(&s->lock);
  }
  lvt_buf_reset(&line);
  if (rc != LVT_OK) {   /* not recorded: a later attempt may record it */
    pthread_mutex_lock(&s->lock);
    seen_del(s, key);
    if (want_example) sig_get(s, oc->signature, oc->kind)->examples--;
    pthread_mutex_unlock(&s->lock);
    return rc;
  }
  *what = want_example ? LVT_REC_EXAMPLE : LVT_REC_COUNTED;
  if (want_example && dir_out) {
    LvtBuf p = LVT_BUF_INIT;
    lvt_buf_addf(&p, "%s/%s", s->dir, name);
    *dir_out = lvt_xstrdup(p.data);
    lvt_buf_reset(&p);
  }
  return LVT_OK;
}

/* Readers lock too: the status line reads while workers record. */
size_t lvt_store_unique(const LvtStore *s) {
  size_t n, i;
  pthread_mutex_lock((pthread_mutex_t *)&s->lock);
  for (i = n = 0; i < s->nsigs; i++)
    if (s->sigs[i].count > 0) n++;
  pthread_mutex_unlock((pthread_mutex_t *)&s->lock);
  return n;
}

uint64_t lvt_store_total(const LvtStore *s, uint64_t *per_kind) {
  uint64_t t;
  pthread_mutex_lock((pthread_mutex_t *)&s->lock);
  if (per_kind) memcpy(per_kind, s->per_kind, sizeof s->per_kind);
  t = s->total;
  pthread_mutex_unlock((pthread_mutex_t *)&s->lock);
  return t;
}

void lvt_store_each(const LvtStore *s,
                    void (*fn)(void *ud, const char *sig, LvtFindingKind k, uint64_t count,
                               const char *first_example),
                    void *ud) {
  size_t i;
  for (i = 0; i < s->nsigs; i++)
    if (s->sigs[i].count > 0)
      fn(ud, s->sigs[i].sig, s->sigs[i].kind, s->sigs[i].count, s->sigs[i].first_example);
}

const char *lvt_store_dir(const LvtStore *s) {
  return s->dir;
}
