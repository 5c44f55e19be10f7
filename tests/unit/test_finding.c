/*
** test_finding.c -- harness/lvt_finding: durable writes (replace, append,
** directories published whole), signatures and line shapes, and the
** findings store (examples per signature, every occurrence indexed, a
** redone program not counted twice, a torn index line repaired), with
** write faults injected at every write in turn: whatever fails, nothing
** partial is visible and nothing recorded is lost.
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/lvt_finding.h"
#include "harness/lvt_fuzz.h"
#include "tests/tap.h"
#include "tests/unit/file_fixture.h"

static char root[256];

static size_t count_lines(const char *path) {
  size_t n = 0, len, i;
  char *b = slurp(path, &len);
  if (b == NULL) return 0;
  for (i = 0; i < len; i++) n += b[i] == '\n';
  free(b);
  return n;
}

/* ---------------------------------------------------------------------
** Shapes and first differing lines, as data
** --------------------------------------------------------------------- */
static const struct {
  const char *line;
  const char *shape;
} shapes[] = {
  {"cs17 a=123 b=4", "cs#"},
  {"checkpoint 3: 0x1f", "checkpoint"},
  {"  x=1", "x"},
  {"12345", "#"},
  {"", "<blank>"},
  {"\x01\xff" "ab", "??ab"},
  {"averyveryverylongwordthatgoesonandon", "averyveryverylongwordtha"},
};

static void test_shapes(void) {
  size_t i, n;
  const char *line;
  LvtBuf b = LVT_BUF_INIT;
  for (i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
    lvt_buf_clear(&b);
    lvt_sig_shape(shapes[i].line, strlen(shapes[i].line), &b);
    TAP_IS_STR(lvt_buf_str(&b), shapes[i].shape, "shape of '%s'", shapes[i].shape);
  }
  lvt_buf_clear(&b);
  lvt_sig_shape(NULL, 0, &b);
  TAP_IS_STR(lvt_buf_str(&b), "<end>", "shape of an output that ended");
  TAP_IS_INT(lvt_first_diff_line("a\nb\nc\n", 6, "a\nb\nc\n", 6, &line, &n), 0,
             "equal outputs: no differing line");
  TAP_IS_INT(lvt_first_diff_line("a\nb\nc\n", 6, "a\nX\nc\n", 6, &line, &n), 2,
             "the second line differs");
  TAP_IS_MEM(line, n, "b", 1, "... and it is 'b' from the first output");
  TAP_IS_INT(lvt_first_diff_line("a\n", 2, "a\nmore\n", 7, &line, &n), 2,
             "the first output ended: line 2");
  TAP_OK(line == NULL, "... with no line of its own");
  TAP_IS_INT(lvt_first_diff_line("a\nb", 3, "a\nb\n", 4, &line, &n), 2,
             "a missing final newline is a difference");
  lvt_buf_reset(&b);
}

/* ---------------------------------------------------------------------
** Signatures from real verdicts
** --------------------------------------------------------------------- */
/* 1 when the anchor class of 'v' holds "ref". */
static int class_is_ref(const LvtVerdict *v) {
  int a = lvt_sig_anchor(v), i;
  for (i = 0; i < v->n; i++)
    if (v->cls[i] == a && strcmp(v->vm[i], "ref") == 0) return 1;
  return 0;
}

static void set_run(LvtRun *r, LvtOutcome o, const char *out) {
  lvt_run_init(r);
  r->outcome = o;
  lvt_buf_adds(&r->out, out);
  if (o == LVT_RUN_ERROR) snprintf(r->err_type, sizeof r->err_type, "string");
}

static void test_signatures(void) {
  LvtRun run[4];
  LvtOracleEntry ent[4];
  const char *names[4] = {"luajit", "ref", "lua5.4", "gopher-lua"};
  LvtOracleOpts oo;
  LvtVerdict v;
  LvtErr e;
  LvtBuf sig = LVT_BUF_INIT;
  int i;
  set_run(&run[0], LVT_RUN_OK, "cs1 1\ncs2 9\n");
  set_run(&run[1], LVT_RUN_OK, "cs1 1\ncs2 8\n");
  set_run(&run[2], LVT_RUN_OK, "cs1 1\ncs2 8\n");
  set_run(&run[3], LVT_RUN_ERROR, "cs1 1\n");
  for (i = 0; i < 4; i++) {
    ent[i].vm = names[i];
    ent[i].info = NULL;
    ent[i].run = &run[i];
  }
  memset(&oo, 0, sizeof oo);
  lvt_verdict_init(&v);
  TAP_IS_INT(lvt_oracle_compare(ent, 4, "p.lua", &oo, &v, &e), LVT_OK, "a verdict");
  TAP_IS_INT(v.nclasses, 3, "three classes");
  TAP_OK(class_is_ref(&v), "the anchor is the class holding ref");
  lvt_sig_divergence(&v, "cs#", &sig);
  TAP_IS_STR(lvt_buf_str(&sig),
             "divergence {lua5.4,ref}=ok / {gopher-lua}=error (string) / {luajit}=ok @cs#",
             "divergence signature: anchor first, names and classes sorted");
  lvt_buf_clear(&sig);
  run[2].signal = 11;
  run[2].outcome = LVT_RUN_CRASH;
  lvt_sig_crash("lua5.4", &run[2], &sig);
  TAP_IS_STR(lvt_buf_str(&sig), "crash lua5.4 signal 11", "crash signature: VM and signal");
  lvt_buf_clear(&sig);
  run[2].signal = 0;
  run[2].status = 3;
  lvt_sig_crash("x", &run[2], &sig);
  TAP_IS_STR(lvt_buf_str(&sig), "crash x status 3", "crash signature: VM and exit status");
  lvt_buf_clear(&sig);
  lvt_sig_metamorphic("ref", &run[1], &run[3], "cs#", &sig);
  TAP_IS_STR(lvt_buf_str(&sig), "metamorphic ref ok/error (string) @cs#",
             "metamorphic signature: VM and both outcomes");
  TAP_OK(lvt_hash64("a", 1) != lvt_hash64("b", 1), "hashes differ for different strings");
  for (i = 0; i < 4; i++) lvt_run_reset(&run[i]);
  lvt_verdict_reset(&v);
  lvt_buf_reset(&sig);
}

/* ---------------------------------------------------------------------
** Durable writes
** --------------------------------------------------------------------- */
static void test_files(void) {
  char path[400];
  size_t n;
  char *b;
  LvtErr e;
  snprintf(path, sizeof path, "%s/f.txt", root);
  TAP_IS_INT(lvt_file_replace(path, "one", 3, &e), LVT_OK, "replace: create");
  TAP_IS_INT(lvt_file_replace(path, "two\0x", 5, &e), LVT_OK, "replace: replace");
  b = slurp(path, &n);
  TAP_IS_MEM(b, n, "two\0x", 5, "the new content, binary-safe");
  free(b);
  TAP_IS_INT(dir_entries(root, "f.txt.tmp"), 0, "no temporary file left");
  lvt_finding_fail_write(1);
  TAP_IS_INT(lvt_file_replace(path, "three", 5, &e), LVT_ERR_IO, "a failed write is an error");
  TAP_OK(strstr(e.msg, "No space left") != NULL, "... that says why (%s)", e.msg);
  b = slurp(path, &n);
  TAP_IS_MEM(b, n, "two\0x", 5, "... and the old content is untouched");
  free(b);
  TAP_IS_INT(dir_entries(root, "f.txt.tmp"), 0, "... with no temporary left");
  snprintf(path, sizeof path, "%s/a.log", root);
  TAP_IS_INT(lvt_file_append_sync(path, "l1\n", 3, &e), LVT_OK, "append: first line");
  TAP_IS_INT(lvt_file_append_sync(path, "l2\n", 3, &e), LVT_OK, "append: second line");
  TAP_IS_INT(count_lines(path), 2, "two lines");
  snprintf(path, sizeof path, "%s/deep/er/dir", root);
  TAP_IS_INT(lvt_dir_probe(path, 4096, &e), LVT_OK, "probe makes missing parents");
  TAP_IS_INT(dir_entries(path, ".lvt-probe"), 0, "... and leaves no probe file");
  snprintf(path, sizeof path, "%s/f.txt/sub", root);
  TAP_IS_INT(lvt_dir_probe(path, 10, &e), LVT_ERR_IO, "probe under a file fails");
  lvt_finding_fail_write(1);
  TAP_IS_INT(lvt_dir_probe(root, 65536, &e), LVT_ERR_IO, "probe on a full disk fails");
  TAP_OK(strstr(e.msg, "No space left") != NULL, "... saying the disk is full");
}

static void fill(void *ud, LvtFindingDir *d) {
  const char *prog = ud;
  lvt_fdir_add(d, "program.lua", prog, strlen(prog));
  lvt_fdir_add(d, "finding.json", "{}\n", 3);
  lvt_fdir_add(d, "repro.sh", "#!/bin/sh\n", 10);
}

static int record(LvtStore *s, uint64_t index, const char *sig, LvtRecorded *what) {
  LvtOccurrence oc;
  LvtErr e;
  memset(&oc, 0, sizeof oc);
  oc.kind = LVT_FINDING_DIVERGENCE;
  oc.index = index;
  oc.seed = index * 7;
  oc.profile = "5.4";
  oc.signature = sig;
  oc.label = "deterministic";
  oc.vms = "ref,bad";
  return lvt_store_record(s, &oc, fill, (void *)"print(1)\n", what, NULL, &e);
}

/* ---------------------------------------------------------------------
** The store
** --------------------------------------------------------------------- */
static void test_store(void) {
  char dir[400], fdir[420], idx[440];
  LvtStore *s;
  LvtErr e;
  LvtRecorded what;
  uint64_t per[LVT_FINDING__COUNT];
  int i, ex = 0;
  FILE *f;
  snprintf(dir, sizeof dir, "%s/camp", root);
  snprintf(fdir, sizeof fdir, "%s/findings", dir);
  snprintf(idx, sizeof idx, "%s/index.jsonl", fdir);
  TAP_IS_INT(lvt_store_open(&s, dir, 4096, 3, &e), LVT_OK, "open a new store");
  for (i = 0; i < 5; i++) {
    record(s, (uint64_t)i, "divergence {ref}=ok / {bad}=ok @cs#", &what);
    ex += what == LVT_REC_EXAMPLE;
  }
  record(s, 9, "crash bad signal 11", &what);
  TAP_IS_INT(what, LVT_REC_EXAMPLE, "a new signature gets an example");
  TAP_IS_INT(ex, 3, "the first 3 occurrences of a signature get examples");
  TAP_IS_INT(dir_entries(fdir, "divergence-"), 4, "4 example directories in all");
  TAP_IS_INT(count_lines(idx), 6, "every occurrence has an index line");
  TAP_IS_INT(record(s, 2, "divergence {ref}=ok / {bad}=ok @cs#", &what), LVT_OK,
             "the same program again");
  TAP_IS_INT(what, LVT_REC_KNOWN, "... is known, not counted twice");
  TAP_IS_INT(lvt_store_unique(s), 2, "2 unique signatures");
  TAP_IS_INT(lvt_store_total(s, per), 6, "6 occurrences");
  lvt_store_close(s);
  /* a torn last line, as a kill in the middle of a write would leave */
  f = fopen(idx, "a");
  fputs("{\"kind\":\"divergence\",\"ind", f);
  fclose(f);
  TAP_IS_INT(lvt_store_open(&s, dir, 4096, 3, &e), LVT_OK, "reopen");
  TAP_IS_INT(lvt_store_total(s, NULL), 6, "occurrences read back; the torn line ignored");
  TAP_IS_INT(lvt_store_unique(s), 2, "signatures read back");
  record(s, 3, "divergence {ref}=ok / {bad}=ok @cs#", &what);
  TAP_IS_INT(what, LVT_REC_KNOWN, "a program recorded before the restart stays known");
  record(s, 17, "divergence {ref}=ok / {bad}=ok @cs#", &what);
  TAP_IS_INT(what, LVT_REC_COUNTED, "a new occurrence beyond 3 examples: counted");
  TAP_IS_INT(count_lines(idx), 7, "the index was repaired before appending");
  lvt_store_close(s);
}

/* Every write in turn fails: a record either happens whole or not at all,
** and once the fault is gone it can be recorded exactly once. */
static void test_faults(void) {
  char dir[400], fdir[420], idx[440];
  unsigned n;
  int clean = 1, exact = 1, failed = 0;
  for (n = 1; n < 40; n++) {
    LvtStore *s;
    LvtErr e;
    LvtRecorded what;
    int rc;
    snprintf(dir, sizeof dir, "%s/fault%u", root, n);
    snprintf(fdir, sizeof fdir, "%s/findings", dir);
    snprintf(idx, sizeof idx, "%s/index.jsonl", fdir);
    if (lvt_store_open(&s, dir, 16, 3, &e) != LVT_OK) {
      clean = 0;
      break;
    }
    lvt_finding_fail_write(n);
    rc = record(s, 1, "sig", &what);
    lvt_finding_fail_write(0);
    if (rc != LVT_OK) failed++;
    if (dir_entries(fdir, ".tmp-") != 0) clean = 0;
    if (rc != LVT_OK) {
      if (count_lines(idx) != 0) exact = 0;
      if (record(s, 1, "sig", &what) != LVT_OK || what != LVT_REC_EXAMPLE) exact = 0;
    }
    if (count_lines(idx) != 1 || dir_entries(fdir, "divergence-") != 1) exact = 0;
    lvt_store_close(s);
    if (rc == LVT_OK) break;   /* no write left to fail */
  }
  TAP_OK(failed >= 4, "faults were injected into %d writes", failed);
  TAP_OK(clean, "no temporary directory is ever left behind");
  TAP_OK(exact, "a failed record leaves nothing; a retry records it exactly once");
}

static void test_parsers(void) {
  uint64_t s;
  LvtProfile p[LVT_PROFILE__COUNT];
  size_t n = 0;
  TAP_IS_INT(lvt_fuzz_parse_seed("0x10", &s), 0, "hex seed");
  TAP_IS_INT(s, 16, "... is 16");
  TAP_IS_INT(lvt_fuzz_parse_seed("18446744073709551615", &s), 0, "the largest seed");
  TAP_IS_INT(lvt_fuzz_parse_seed("18446744073709551616", &s), -1, "a seed over 64 bits");
  TAP_IS_INT(lvt_fuzz_parse_seed("-3", &s), -1, "a negative seed");
  TAP_IS_INT(lvt_fuzz_parse_seed("12ab", &s), -1, "a seed with junk");
  TAP_IS_INT(lvt_fuzz_parse_profiles("5.4,portable,5.4", p, &n), 0, "a profile list");
  TAP_IS_INT(n, 2, "... duplicates dropped");
  TAP_IS_INT(p[0], LVT_PROFILE_54, "... in order");
  TAP_IS_INT(lvt_fuzz_parse_profiles("5.3,lua", p, &n), -1, "an unknown profile");
  TAP_OK(lvt_fuzz_program_seed(1, 0) == lvt_fuzz_program_seed(1, 0),
         "program seeds are deterministic");
  TAP_OK(lvt_fuzz_program_seed(1, 0) != lvt_fuzz_program_seed(1, 1) &&
             lvt_fuzz_program_seed(1, 0) != lvt_fuzz_program_seed(2, 0),
         "... and differ by index and campaign seed");
}

int main(void) {
  char cmd[300];
  snprintf(root, sizeof root, "%s/lvt-finding-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (mkdtemp(root) == NULL) return 1;
  test_shapes();
  test_signatures();
  test_files();
  test_store();
  test_faults();
  test_parsers();
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
  if (system(cmd) != 0) printf("# could not remove %s\n", root);
  return tap_done();
}
