/*
** test_json.c -- JSON encodings: byte strings (UTF-8 or base64, NULs and
** invalid UTF-8 round-tripped exactly), runs, VM info, verdicts, and the
** results document written atomically and read back.
*/
#include "reports/lvt_json.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/tap.h"

/* Dumps 'j' compactly in key order into 'out' and drops the reference. */
static const char *dump(json_t *j, LvtBuf *out) {
  char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
  lvt_buf_set(out, s, strlen(s));
  free(s);
  json_decref(j);
  return lvt_buf_str(out);
}

/* Byte strings: bytes (with length) -> the JSON text. */
static const struct {
  const char *name, *bytes;
  size_t len;
  const char *json;
} bytes_cases[] = {
  {"empty", "", 0, "\"\""},
  {"ASCII with newline", "hello\n", 6, "\"hello\\n\""},
  {"UTF-8", "caf\xc3\xa9", 5, "\"caf\xc3\xa9\""},
  {"4-byte UTF-8", "\xf0\x9f\x98\x80", 4, "\"\xf0\x9f\x98\x80\""},
  {"lone 0xff", "\xff", 1, "{\"base64\":\"/w==\"}"},
  {"two bytes", "\xff\xfe", 2, "{\"base64\":\"//4=\"}"},
  {"three bytes", "\xff\xfe\xfd", 3, "{\"base64\":\"//79\"}"},
  {"four bytes", "\xff\xfe\xfd\xfc", 4, "{\"base64\":\"//79/A==\"}"},
  {"NUL inside", "a\0b", 3, "{\"base64\":\"YQBi\"}"},
  {"only a NUL", "\0", 1, "{\"base64\":\"AA==\"}"},
  {"overlong '/'", "\xc0\xaf", 2, "{\"base64\":\"wK8=\"}"},
  {"UTF-16 surrogate", "\xed\xa0\x80", 3, "{\"base64\":\"7aCA\"}"},
  {"cut UTF-8", "x\xe2\x82", 3, "{\"base64\":\"eOKC\"}"},
  {"above U+10FFFF", "\xf4\x90\x80\x80", 4, "{\"base64\":\"9JCAgA==\"}"},
};

static void test_bytes(void) {
  size_t i;
  LvtBuf text = LVT_BUF_INIT, back = LVT_BUF_INIT;
  for (i = 0; i < sizeof bytes_cases / sizeof bytes_cases[0]; i++) {
    json_t *j = lvt_json_encode_bytes(bytes_cases[i].bytes, bytes_cases[i].len);
    json_t *loaded;
    json_error_t jerr;
    LvtErr e = {0, ""};
    TAP_IS_STR(dump(json_incref(j), &text), bytes_cases[i].json,
               "bytes %s: encoding", bytes_cases[i].name);
    /* Through text and back, as a reader would see it. */
    loaded = json_loads(text.data, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    TAP_IS_INT(lvt_json_decode_bytes(loaded, &back, &e), LVT_OK,
               "bytes %s: decodes", bytes_cases[i].name);
    TAP_IS_MEM(back.data, back.len, bytes_cases[i].bytes, bytes_cases[i].len,
               "bytes %s: round trip", bytes_cases[i].name);
    json_decref(loaded);
    json_decref(j);
  }
  lvt_buf_reset(&text);
  lvt_buf_reset(&back);
}

/* Decoding bytes from JSON text: what is accepted and what is not. */
static const struct {
  const char *json, *bytes;
  size_t len;
  int ok;
} bytes_in[] = {
  {"\"a\\u0000b\"", "a\0b", 3, 1},   /* other writers may use \u0000 */
  {"{\"base64\":\"\"}", "", 0, 1},
  {"{\"base64\":\"YQ==\"}", "a", 1, 1},
  {"{\"base64\":\"YQ=\"}", "", 0, 0},       /* length not a multiple of 4 */
  {"{\"base64\":\"Y===\"}", "", 0, 0},      /* three pads */
  {"{\"base64\":\"YQ=a\"}", "", 0, 0},      /* data after a pad */
  {"{\"base64\":\"YQ-_\"}", "", 0, 0},      /* URL alphabet */
  {"{\"base64\":\"YQ==\",\"x\":1}", "", 0, 0},
  {"{\"b64\":\"YQ==\"}", "", 0, 0},
  {"42", "", 0, 0},
  {"null", "", 0, 0},
};

static void test_bytes_in(void) {
  size_t i;
  LvtBuf back = LVT_BUF_INIT;
  for (i = 0; i < sizeof bytes_in / sizeof bytes_in[0]; i++) {
    json_error_t jerr;
    json_t *j = json_loads(bytes_in[i].json, JSON_DECODE_ANY | JSON_ALLOW_NUL,
                           &jerr);
    LvtErr e = {0, ""};
    int rc = lvt_json_decode_bytes(j, &back, &e);
    TAP_IS_INT(rc, bytes_in[i].ok ? LVT_OK : LVT_ERR_USAGE, "decode %s",
               bytes_in[i].json);
    if (bytes_in[i].ok)
      TAP_IS_MEM(back.data, back.len, bytes_in[i].bytes, bytes_in[i].len,
                 "decode %s: bytes", bytes_in[i].json);
    else
      TAP_IS_STR(e.msg, "expected a string or an object {\"base64\": ...}",
                 "decode %s: message", bytes_in[i].json);
    json_decref(j);
  }
  lvt_buf_reset(&back);
}

/* A run with every field set to something that is not its default. */
static void full_run(LvtRun *r) {
  static const char out[] = "1\n\0\xff\n";
  lvt_run_init(r);
  r->outcome = LVT_RUN_CRASH;
  lvt_buf_add(&r->out, out, sizeof out - 1);
  r->out_truncated = 1;
  lvt_buf_adds(&r->err_value, "table: 0x55c4fb13fdd0");
  snprintf(r->err_type, sizeof r->err_type, "table");
  r->exit_code = 7;
  r->signal = 11;
  r->status = 134;
  lvt_buf_adds(&r->errout, "==1==ERROR: AddressSanitizer: SEGV\n");
  r->errout_truncated = 1;
  lvt_buf_adds(&r->detail, "killed by signal 11");
  r->wall_ms = 12.5;
  r->peak_mem = 123456789;
  r->restarted = 1;
}

static int same_run(const LvtRun *a, const LvtRun *b) {
#define SAMEBUF(f) \
  (a->f.len == b->f.len && (a->f.len == 0 || memcmp(a->f.data, b->f.data, a->f.len) == 0))
  return a->outcome == b->outcome && SAMEBUF(out) &&
         a->out_truncated == b->out_truncated && SAMEBUF(err_value) &&
         strcmp(a->err_type, b->err_type) == 0 &&
         a->exit_code == b->exit_code && a->signal == b->signal &&
         a->status == b->status && SAMEBUF(errout) &&
         a->errout_truncated == b->errout_truncated && SAMEBUF(detail) &&
         a->wall_ms == b->wall_ms && a->peak_mem == b->peak_mem &&
         a->restarted == b->restarted;
#undef SAMEBUF
}

static void test_run(void) {
  static const char want[] =
      "{\"outcome\":\"ok\",\"output\":\"3\\n\",\"output_truncated\":false,"
      "\"error_type\":\"\",\"error_value\":\"\",\"exit_code\":0,\"signal\":0,"
      "\"status\":-1,\"stderr\":\"\",\"stderr_truncated\":false,\"detail\":\"\","
      "\"wall_ms\":0.0,\"peak_mem\":0,\"restarted\":false}";
  LvtRun a, b;
  LvtBuf text = LVT_BUF_INIT;
  LvtErr e = {0, ""};
  json_t *j;
  json_error_t jerr;
  lvt_run_init(&a);
  lvt_buf_adds(&a.out, "3\n");
  TAP_IS_STR(dump(lvt_json_encode_run(&a), &text), want,
             "run: every field, by name, in order");
  lvt_run_reset(&a);
  full_run(&a);
  lvt_run_init(&b);
  dump(lvt_json_encode_run(&a), &text);
  j = json_loads(text.data, JSON_ALLOW_NUL, &jerr);
  TAP_IS_INT(lvt_json_decode_run(j, &b, &e), LVT_OK, "run: decodes");
  TAP_OK(same_run(&a, &b), "run: round trip of every field");
  TAP_OK(strstr(text.data, "\"output\":{\"base64\":\"MQoA/wo=\"}") != NULL,
         "run: binary output as base64");
  json_decref(j);
  lvt_run_reset(&a);
  lvt_run_reset(&b);
  lvt_buf_reset(&text);
}

/* Bad runs: JSON in, message out. */
static const struct {
  const char *json, *msg;
} bad_runs[] = {
  {"{}", "outcome: missing"},
  {"{\"outcome\":\"bogus\"}", "outcome: expected an outcome (ok, error, exit, "
                              "timeout, memory, crash, unsupported)"},
  {"{\"outcome\":\"ok\",\"signal\":\"11\"}", "signal: expected an integer"},
  {"{\"outcome\":\"ok\",\"signal\":1e3}", "signal: expected an integer"},
  {"{\"outcome\":\"ok\",\"output\":5}",
   "output: expected a string or an object {\"base64\": ...}"},
  {"{\"outcome\":\"ok\",\"restarted\":1}", "restarted: expected true or false"},
  {"{\"outcome\":\"ok\",\"peak_mem\":-1}",
   "peak_mem: expected a non-negative integer"},
  {"{\"outcome\":\"error\",\"error_type\":\"much too long a type name\"}",
   "error_type: expected a short string without NUL bytes"},
  {"{\"outcome\":\"error\",\"error_type\":\"str\\u0000ing\"}",
   "error_type: expected a short string without NUL bytes"},
  {"[]", "expected an object"},
};

static void test_bad_runs(void) {
  size_t i;
  LvtRun r;
  lvt_run_init(&r);
  for (i = 0; i < sizeof bad_runs / sizeof bad_runs[0]; i++) {
    json_error_t jerr;
    json_t *j = json_loads(bad_runs[i].json, JSON_ALLOW_NUL, &jerr);
    LvtErr e = {0, ""};
    TAP_IS_INT(lvt_json_decode_run(j, &r, &e), LVT_ERR_USAGE, "bad run %s",
               bad_runs[i].json);
    TAP_IS_STR(e.msg, bad_runs[i].msg, "bad run %s: message", bad_runs[i].json);
    json_decref(j);
  }
  {   /* unknown fields are ignored: a newer writer may add some */
    json_error_t jerr;
    json_t *j = json_loads("{\"outcome\":\"exit\",\"exit_code\":3,\"new\":1}",
                           0, &jerr);
    TAP_IS_INT(lvt_json_decode_run(j, &r, NULL), LVT_OK, "unknown field ignored");
    TAP_IS_INT(r.exit_code, 3, "known fields still read");
    TAP_IS_INT(r.status, -1, "absent fields keep lvt_run_init's value");
    json_decref(j);
  }
  lvt_run_reset(&r);
}

static void test_vminfo(void) {
  LvtVmInfo a, b;
  LvtBuf text = LVT_BUF_INIT;
  LvtErr e = {0, ""};
  json_error_t jerr;
  json_t *j;
  memset(&a, 0, sizeof a);
  snprintf(a.version, sizeof a.version, "Lua 5.1 LuaJIT 2.1.0-beta3");
  a.dialect = LVT_DIALECT_LUAJIT;
  a.caps = LVT_CAP_GOTO | LVT_CAP_JIT | LVT_CAP_BITOPS;
  TAP_IS_STR(dump(lvt_json_encode_vminfo(&a), &text),
             "{\"version\":\"Lua 5.1 LuaJIT 2.1.0-beta3\",\"dialect\":\"luajit\","
             "\"caps\":[\"goto\",\"bitops\",\"jit\"]}",
             "vminfo: encoding");
  j = json_loads(text.data, 0, &jerr);
  TAP_IS_INT(lvt_json_decode_vminfo(j, &b, &e), LVT_OK, "vminfo: decodes");
  TAP_IS_STR(b.version, a.version, "vminfo: version");
  TAP_IS_INT(b.dialect, a.dialect, "vminfo: dialect");
  TAP_IS_INT(b.caps, a.caps, "vminfo: caps");
  json_decref(j);
  j = json_loads("{\"dialect\":\"unknown\",\"caps\":[\"int64\",\"teleport\"]}",
                 0, &jerr);
  TAP_IS_INT(lvt_json_decode_vminfo(j, &b, &e), LVT_OK, "vminfo: unknown cap ok");
  TAP_IS_INT(b.caps, LVT_CAP_INT64, "vminfo: unknown cap ignored");
  TAP_IS_INT(b.dialect, LVT_DIALECT_UNKNOWN, "vminfo: unknown dialect");
  json_decref(j);
  j = json_loads("{\"dialect\":\"5.5\"}", 0, &jerr);
  TAP_IS_INT(lvt_json_decode_vminfo(j, &b, &e), LVT_ERR_USAGE, "vminfo: bad dialect");
  TAP_IS_STR(e.msg, "dialect: expected 5.1, 5.2, 5.3, 5.4, luajit or unknown",
             "vminfo: bad dialect message");
  json_decref(j);
  lvt_buf_reset(&text);
}

/* A verdict over 4 VMs (one unsupported) with explanations in it. */
static void make_verdict(LvtVerdict *v, LvtRun *run) {
  static const char *const outs[] = {"3\n\xff", "3.0\n", "3.0\n", ""};
  static const LvtDialect d[] = {LVT_DIALECT_51, LVT_DIALECT_53,
                                 LVT_DIALECT_54, LVT_DIALECT_53};
  static const char *const names[] = {"lua5.1", "lua5.3", "lua5.4", "fengari"};
  LvtOracleEntry ent[4];
  LvtVmInfo info[4];
  LvtOracleOpts o = {1, 0, NULL};
  int i;
  for (i = 0; i < 4; i++) {
    lvt_run_init(&run[i]);
    lvt_buf_adds(&run[i].out, outs[i]);
    memset(&info[i], 0, sizeof info[i]);
    info[i].dialect = d[i];
    ent[i].vm = names[i];
    ent[i].info = &info[i];
    ent[i].run = &run[i];
  }
  run[3].outcome = LVT_RUN_UNSUPPORTED;
  lvt_verdict_init(v);
  lvt_oracle_compare(ent, 4, "p.lua", &o, v, NULL);
}

static void test_verdict(void) {
  LvtVerdict a, b;
  LvtRun run[4];
  LvtBuf ta = LVT_BUF_INIT, tb = LVT_BUF_INIT, text = LVT_BUF_INIT;
  LvtErr e = {0, ""};
  json_error_t jerr;
  json_t *j;
  int i;
  make_verdict(&a, run);
  lvt_verdict_init(&b);
  dump(lvt_json_encode_verdict(&a), &text);
  j = json_loads(text.data, 0, &jerr);
  TAP_IS_INT(lvt_json_decode_verdict(j, &b, &e), LVT_OK, "verdict: decodes");
  TAP_IS_INT(b.n, 4, "verdict: n");
  TAP_IS_STR(b.vm[3], "fengari", "verdict: names");
  TAP_IS_INT(b.cls[3], LVT_CLASS_NONE, "verdict: excluded stays excluded");
  TAP_IS_INT(b.nclasses, a.nclasses, "verdict: classes");
  TAP_IS_INT(b.majority, a.majority, "verdict: majority");
  TAP_IS_INT(b.strict_errors, 1, "verdict: options");
  for (i = 0; i < a.nclasses && i < b.nclasses; i++)
    TAP_IS_MEM(b.classes[i].why.data, b.classes[i].why.len,
               a.classes[i].why.data, a.classes[i].why.len,
               "verdict: class %d explanation", i);
  lvt_verdict_explain(&a, &ta);
  lvt_verdict_explain(&b, &tb);
  TAP_IS_STR(lvt_buf_str(&tb), lvt_buf_str(&ta),
             "verdict: the decoded one explains itself the same way");
  json_decref(j);
  /* A document that points out of bounds is refused, not trusted. */
  j = json_loads(text.data, 0, &jerr);
  json_array_set_new(json_object_get(j, "class"), 0, json_integer(9));
  TAP_IS_INT(lvt_json_decode_verdict(j, &b, &e), LVT_ERR_USAGE,
             "verdict: class out of range refused");
  TAP_IS_STR(e.msg, "class[0]: no such class", "verdict: range message");
  TAP_IS_INT(b.n, 0, "verdict: left empty on error");
  json_decref(j);
  j = json_loads(text.data, 0, &jerr);
  json_object_set_new(json_array_get(json_object_get(j, "classes"), 1), "first",
                      json_integer(4));
  TAP_IS_INT(lvt_json_decode_verdict(j, &b, &e), LVT_ERR_USAGE,
             "verdict: first out of range refused");
  TAP_IS_STR(e.msg, "classes[1]: group, first or ref out of range",
             "verdict: first range message");
  json_decref(j);
  lvt_verdict_reset(&a);
  lvt_verdict_reset(&b);
  for (i = 0; i < 4; i++) lvt_run_reset(&run[i]);
  lvt_buf_reset(&ta);
  lvt_buf_reset(&tb);
  lvt_buf_reset(&text);
}

/* Number of entries in 'dir' besides . and .. */
static int count_files(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *de;
  int n = 0;
  while (d != NULL && (de = readdir(d)) != NULL)
    if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) n++;
  if (d != NULL) closedir(d);
  return n;
}

static void write_text(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  fputs(text, f);
  fclose(f);
}

/* Documents that do not read: text in, code and message out ('%s' is the
** file's path). */
static const struct {
  const char *text, *msg;
} bad_docs[] = {
  {"{\"schema\": ", "%s:1:11: unexpected token near end of file"},
  {"{\"schema\":\"other\",\"version\":1}",
   "%s: not an lvtest results document (no \"schema\": \"lvtest-results\")"},
  {"{\"schema\":\"lvtest-results\",\"version\":2,\"command\":\"run\"}",
   "%s: written by a newer lvtest (document version 2, this lvtest reads up "
   "to 1): upgrade lvtest to read it"},
  {"{\"schema\":\"lvtest-results\",\"version\":1,\"vms\":[],\"programs\":[]}",
   "%s: command: missing"},
  {"{\"schema\":\"lvtest-results\",\"version\":1,\"command\":\"compare\","
   "\"vms\":[{\"name\":\"a\",\"selftest\":\"maybe\"}],\"programs\":[]}",
   "%s: vms[0]: selftest: expected \"skipped\", \"passed\" or \"failed\""},
  {"{\"schema\":\"lvtest-results\",\"version\":1,\"command\":\"compare\","
   "\"vms\":[],\"programs\":[{\"name\":\"p\",\"results\":[{\"vm\":\"a\","
   "\"outcome\":\"ok\"},{\"vm\":\"b\",\"outcome\":\"fine\"}]}]}",
   "%s: programs[0]: results[1]: outcome: expected an outcome (ok, error, "
   "exit, timeout, memory, crash, unsupported)"},
  {"{\"schema\":\"lvtest-results\",\"version\":1,\"command\":\"compare\","
   "\"vms\":[],\"programs\":[{\"name\":\"p\",\"results\":[],\"verdict\":"
   "{\"vms\":[],\"class\":[],\"classes\":[],\"groups\":[],\"majority\":0}}]}",
   "%s: programs[0]: verdict: majority: no such class"},
};

static void test_bad_docs(const char *dir) {
  char path[512], want[1024];
  size_t i;
  LvtJsonReport *r;
  LvtErr e = {0, ""};
  snprintf(path, sizeof path, "%s/bad.json", dir);
  for (i = 0; i < sizeof bad_docs / sizeof bad_docs[0]; i++) {
    write_text(path, bad_docs[i].text);
    TAP_IS_INT(lvt_jreport_read(path, &r, &e), LVT_ERR_USAGE, "bad doc %zu", i);
    TAP_OK(r == NULL, "bad doc %zu: no report", i);
    snprintf(want, sizeof want, bad_docs[i].msg, path);
    TAP_IS_STR(e.msg, want, "bad doc %zu: message", i);
  }
  unlink(path);
  TAP_IS_INT(lvt_jreport_read(path, &r, &e), LVT_ERR_IO, "missing doc");
  snprintf(want, sizeof want, "cannot read %s: No such file or directory", path);
  TAP_IS_STR(e.msg, want, "missing doc: message");
}

/* Validates 'path' against reports/schema-v1.json with Python's
** jsonschema when it is installed; says so loudly when it is not. */
static void check_schema(const char *path) {
  char cmd[2048];
  const char *src = getenv("LVT_SOURCE_DIR");
  if (src == NULL || system("python3 -c 'import jsonschema' 2>/dev/null") != 0) {
    printf("# SKIP schema validation: needs LVT_SOURCE_DIR and python3 with "
           "jsonschema\n");
    return;
  }
  snprintf(cmd, sizeof cmd,
           "python3 -c 'import json,sys,jsonschema; "
           "jsonschema.validate(json.load(open(sys.argv[2])), "
           "json.load(open(sys.argv[1])))' %s/reports/schema-v1.json %s",
           src, path);
  TAP_IS_INT(system(cmd), 0, "document validates against schema-v1.json");
}

static void test_report(void) {
  char dir[] = "/tmp/lvt-test-json-XXXXXX", path[512], none[512];
  LvtJsonVm vms[2];
  LvtVerdict v;
  LvtRun run[4];
  LvtOracleEntry ent[4];
  LvtJsonReport *w, *r = NULL;
  LvtErr e = {0, ""};
  struct stat st;
  int i;
  if (!TAP_OK(mkdtemp(dir) != NULL, "temp dir")) return;
  snprintf(path, sizeof path, "%s/out.json", dir);
  snprintf(none, sizeof none, "%s/no/such/dir/out.json", dir);
  memset(vms, 0, sizeof vms);
  vms[0].name = "lua5.4";
  vms[0].backend = "proc";
  vms[0].how = "lua5.4";
  vms[0].usable = 1;
  vms[0].selftest = LVT_SELFTEST_PASSED;
  snprintf(vms[0].info.version, sizeof vms[0].info.version, "Lua 5.4");
  vms[0].info.dialect = LVT_DIALECT_54;
  vms[0].info.caps = LVT_CAP_INTEGER | LVT_CAP_UTF8;
  vms[1].name = "broken\xff";   /* names are bytes too */
  vms[1].backend = "proc";
  vms[1].how = "./broken --flag";
  vms[1].selftest = LVT_SELFTEST_FAILED;
  vms[1].why = "self-test 'error' failed: got ok";
  make_verdict(&v, run);
  for (i = 0; i < 4; i++) {
    ent[i].vm = v.vm[i];
    ent[i].info = NULL;
    ent[i].run = &run[i];
  }
  w = lvt_jreport_new("compare");
  lvt_jreport_add_vm(w, &vms[0]);
  lvt_jreport_add_vm(w, &vms[1]);
  lvt_jreport_add_program(w, "t/001.lua", ent, 4, &v);
  lvt_jreport_add_program(w, "t/\x80odd.lua", ent, 1, NULL);
  TAP_IS_INT(lvt_jreport_write(w, path, &e), LVT_OK, "report written");
  TAP_IS_INT(count_files(dir), 1, "no temporary file left behind");
  TAP_IS_INT(stat(path, &st) == 0 ? (int)(st.st_mode & 0777) : -1, 0644,
             "new report is 0644");
  TAP_IS_INT(lvt_jreport_read(path, &r, &e), LVT_OK, "report read back");
  if (r == NULL) {
    printf("#   %s\n", e.msg);
  } else {
    TAP_IS_STR(r->command, "compare", "read: command");
    TAP_IS_STR(r->lvtest, w->lvtest, "read: lvtest version");
    TAP_IS_STR(r->created, w->created, "read: created");
    TAP_IS_INT(r->nvms, 2, "read: vms");
    TAP_IS_STR(r->vms[1].name, "broken\xff", "read: binary VM name");
    TAP_IS_STR(r->vms[1].why, vms[1].why, "read: why");
    TAP_OK(r->vms[0].why == NULL, "read: no why when usable");
    TAP_IS_INT(r->vms[1].selftest, LVT_SELFTEST_FAILED, "read: selftest");
    TAP_IS_INT(r->vms[0].usable, 1, "read: usable");
    TAP_IS_INT(r->vms[0].info.caps, vms[0].info.caps, "read: caps");
    TAP_IS_INT(r->nprograms, 2, "read: programs");
    TAP_IS_STR(r->programs[1].name, "t/\x80odd.lua", "read: binary program name");
    TAP_IS_INT(r->programs[0].n, 4, "read: results");
    for (i = 0; i < 4 && i < r->programs[0].n; i++) {
      TAP_IS_STR(r->programs[0].vm[i], v.vm[i], "read: result %d vm", i);
      TAP_OK(same_run(&r->programs[0].run[i], &run[i]), "read: result %d run", i);
    }
    TAP_IS_INT(r->programs[0].has_verdict, 1, "read: verdict present");
    TAP_IS_INT(r->programs[0].verdict.majority, v.majority, "read: verdict majority");
    TAP_IS_INT(r->programs[1].has_verdict, 0, "read: no verdict");
    TAP_IS_INT(r->programs[1].n, 1, "read: one result");
  }
  check_schema(path);
  /* Rewriting keeps the mode of the file it replaces. */
  chmod(path, 0600);
  TAP_IS_INT(lvt_jreport_write(w, path, &e), LVT_OK, "report rewritten");
  TAP_IS_INT(stat(path, &st) == 0 ? (int)(st.st_mode & 0777) : -1, 0600,
             "rewritten report keeps its mode");
  TAP_IS_INT(lvt_jreport_write(w, none, &e), LVT_ERR_IO, "unwritable path");
  TAP_OK(strstr(e.msg, "no/such/dir/out.json: No such file or directory") != NULL,
         "unwritable path: message (%s)", e.msg);
  TAP_IS_INT(count_files(dir), 1, "still one file");
  /* The rename fails (a directory is in the way): no temporary file left. */
  snprintf(none, sizeof none, "%s/sub", dir);
  mkdir(none, 0755);
  TAP_IS_INT(lvt_jreport_write(w, none, &e), LVT_ERR_IO, "rename onto a dir");
  TAP_IS_INT(count_files(dir), 2, "rename failure: temporary file removed");
  rmdir(none);
  {   /* A full disk is an I/O error, not a crash or a silent success. */
    FILE *full = fopen("/dev/full", "w");
    if (full == NULL) {
      printf("# SKIP /dev/full write test: cannot open /dev/full\n");
    } else {
      TAP_IS_INT(lvt_jreport_write_file(w, full, &e), LVT_ERR_IO,
                 "disk full: LVT_ERR_IO");
      TAP_IS_STR(e.msg, "cannot write JSON report: No space left on device",
                 "disk full: message");
      fclose(full);
    }
  }
  test_bad_docs(dir);
  lvt_jreport_free(r);
  lvt_jreport_free(w);
  lvt_verdict_reset(&v);
  for (i = 0; i < 4; i++) lvt_run_reset(&run[i]);
  unlink(path);
  rmdir(dir);
}

int main(void) {
  test_bytes();
  test_bytes_in();
  test_run();
  test_bad_runs();
  test_vminfo();
  test_verdict();
  test_report();
  return tap_done();
}
