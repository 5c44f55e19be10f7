/*
** test_junit.c -- the suite reporters on a real run whose test names and
** diagnostics hold everything that breaks markup (< & " ' ]]> #, control
** bytes, NULs, invalid UTF-8): JUnit XML is checked by a small pure-C XML
** well-formedness checker (and xmllint when installed) and read back; the
** TAP stream is read back by lvtest's own TAP parser; the JSON suite
** document is validated against reports/schema-v1.json when python3 has
** jsonschema, and read back for --failed-only; the console matrix, the
** details and the section table are checked for what they must say.
*/
#include "reports/lvt_junit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/lvt_tap.h"
#include "harness/lvt_vmspec.h"
#include "reports/lvt_json.h"
#include "reports/lvt_matrix.h"
#include "reports/lvt_text.h"
#include "tests/tap.h"
#include "tests/unit/file_fixture.h"
#include "tests/unit/suite_fixture.h"

/* The tricky test name, as the test prints it and as it must read back. */
#define NASTY_TAP "§3.4 <tag> & \\\"quote\\\" 'apos' ]]> \\\\# hash"
#define NASTY "§3.4 <tag> & \"quote\" 'apos' ]]> # hash"

static void write_suite(void) {
  PUT("own/lib/x.lua", "return 1\n");
  PUT("own/t/001-nasty.t",
      "io.write('1..6\\n')\n"
      "io.write('ok 1 - §3.4 plain\\n')\n"
      "io.write(\"not ok 2 - " NASTY_TAP "\\n\")\n"
      "io.write('# got: \\1\\2 nul:\\0 bad:\\255\\254 tab:\\t cr:\\r end\\n')\n"
      "io.write('ok 3 - §6.4 # skip no <reason> & more\\n')\n"
      "io.write('not ok 4 - §6.4 todo one # TODO later & \\1\\n')\n"
      "io.write('ok 5 - §6.4 todo two # TODO fixed?\\n')\n"
      "io.write('not ok 6 - §6.5 listed\\n')\n");
  PUT("own/t/002-error.t", "io.write('1..1\\n') error('x\\0y<z>')\n");
  PUT("own/t/003-stale.t", "io.write('1..1\\nok 1 - §2 stale\\n')\n");
  PUT("own/t/004-skipall.t", "io.write('1..0 # SKIP nothing here\\n')\n");
  PUT("own/expect/5.4/001-nasty.txt", "§6.5 listed\tknown <bug>\n");
  PUT("own/expect/5.4/003-stale.txt", "§2 stale\tstale & old\n");
}

/* =====================================================================
** A small XML 1.0 well-formedness checker
** ===================================================================== */

typedef struct Xml {
  const char *p, *end;
  const char *err;
  char stack[16][32];
  int depth, roots;
  int testcase, failure, error, skipped, testsuite;
} Xml;

static int name_char(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_' || c == ':' || c == '.';
}

/* Checks an entity reference at x->p ('&'); advances past it. */
static int entity(Xml *x) {
  static const char *named[] = {"&lt;", "&gt;", "&amp;", "&quot;", "&apos;"};
  size_t i;
  const char *q;
  for (i = 0; i < 5; i++)
    if ((size_t)(x->end - x->p) >= strlen(named[i]) &&
        memcmp(x->p, named[i], strlen(named[i])) == 0) {
      x->p += strlen(named[i]);
      return 1;
    }
  if (x->end - x->p > 3 && x->p[1] == '#') {
    for (q = x->p + 2; q < x->end && *q >= '0' && *q <= '9'; q++) {}
    if (q > x->p + 2 && q < x->end && *q == ';') {
      long c = strtol(x->p + 2, NULL, 10);
      if (c == 9 || c == 10 || c == 13 || c >= 32) {
        x->p = q + 1;
        return 1;
      }
    }
  }
  x->err = "bad entity";
  return 0;
}

static size_t read_name(Xml *x, char *out, size_t cap) {
  size_t n = 0;
  while (x->p < x->end && name_char((unsigned char)*x->p)) {
    if (n + 1 < cap) out[n++] = *x->p;
    x->p++;
  }
  out[n] = '\0';
  return n;
}

static void skip_ws(Xml *x) {
  while (x->p < x->end && (*x->p == ' ' || *x->p == '\n' || *x->p == '\t' || *x->p == '\r')) x->p++;
}

static int tag(Xml *x) {
  char name[32], attr[32];
  int closing = 0;
  x->p++;
  if (x->p < x->end && *x->p == '/') {
    closing = 1;
    x->p++;
  }
  if (read_name(x, name, sizeof name) == 0) return x->err = "no element name", 0;
  if (closing) {
    skip_ws(x);
    if (x->p >= x->end || *x->p != '>') return x->err = "bad end tag", 0;
    x->p++;
    if (x->depth == 0 || strcmp(x->stack[x->depth - 1], name) != 0)
      return x->err = "end tag does not match", 0;
    x->depth--;
    return 1;
  }
  if (x->depth == 0 && x->roots++ > 0) return x->err = "two root elements", 0;
  if (!strcmp(name, "testcase")) x->testcase++;
  if (!strcmp(name, "failure")) x->failure++;
  if (!strcmp(name, "error")) x->error++;
  if (!strcmp(name, "skipped")) x->skipped++;
  if (!strcmp(name, "testsuite")) x->testsuite++;
  for (;;) {
    skip_ws(x);
    if (x->p >= x->end) return x->err = "unterminated tag", 0;
    if (*x->p == '>' || (*x->p == '/' && x->p + 1 < x->end && x->p[1] == '>')) break;
    if (read_name(x, attr, sizeof attr) == 0) return x->err = "bad attribute name", 0;
    if (x->p + 1 >= x->end || x->p[0] != '=' || x->p[1] != '"') return x->err = "bad attribute", 0;
    for (x->p += 2; x->p < x->end && *x->p != '"';) {
      if (*x->p == '<') return x->err = "'<' in an attribute", 0;
      if (*x->p == '&') {
        if (!entity(x)) return 0;
      } else {
        x->p++;
      }
    }
    if (x->p >= x->end) return x->err = "unterminated attribute", 0;
    x->p++;
  }
  if (*x->p == '/') {
    x->p += 2;
    return 1;
  }
  x->p++;
  if (x->depth == 16) return x->err = "too deep", 0;
  snprintf(x->stack[x->depth++], sizeof x->stack[0], "%s", name);
  return 1;
}

/* Returns NULL when 'doc' is well-formed XML, else what is wrong. */
static const char *xml_check(const char *doc, size_t n, Xml *x) {
  size_t i;
  memset(x, 0, sizeof *x);
  for (i = 0; i < n;) {   /* characters XML 1.0 allows, in valid UTF-8 */
    unsigned long cp = 0;
    size_t len = lvt_text_utf8(doc + i, n - i, &cp);
    if (len == 0) return "invalid UTF-8";
    if ((cp < 32 && cp != 9 && cp != 10 && cp != 13) || cp == 0xfffe || cp == 0xffff)
      return "a character XML cannot hold";
    i += len;
  }
  x->p = doc;
  x->end = doc + n;
  if (n < 6 || memcmp(doc, "<?xml ", 6) != 0) return "no XML declaration";
  if ((x->p = strstr(doc, "?>")) == NULL) return "unterminated declaration";
  x->p += 2;
  while (x->p < x->end) {
    if (*x->p == '<') {
      if (!tag(x)) return x->err;
    } else if (*x->p == '&') {
      if (!entity(x)) return x->err;
    } else if (*x->p == '>' && x->p - doc >= 2 && x->p[-1] == ']' && x->p[-2] == ']') {
      return "']]>' in text";
    } else {
      if (x->depth == 0 && !(*x->p == '\n' || *x->p == ' ')) return "text outside the root";
      x->p++;
    }
  }
  if (x->depth != 0) return "unclosed element";
  if (x->roots != 1) return "no root element";
  return NULL;
}

/* Decodes the XML entities of 'p[0..n)' into 'out'. */
static void xml_decode(const char *p, size_t n, LvtBuf *out) {
  const char *end = p + n;
  lvt_buf_clear(out);
  while (p < end) {
    if (*p != '&') {
      lvt_buf_addc(out, *p++);
      continue;
    }
    if (!strncmp(p, "&lt;", 4)) lvt_buf_addc(out, '<'), p += 4;
    else if (!strncmp(p, "&gt;", 4)) lvt_buf_addc(out, '>'), p += 4;
    else if (!strncmp(p, "&amp;", 5)) lvt_buf_addc(out, '&'), p += 5;
    else if (!strncmp(p, "&quot;", 6)) lvt_buf_addc(out, '"'), p += 6;
    else if (!strncmp(p, "&apos;", 6)) lvt_buf_addc(out, '\''), p += 6;
    else {
      lvt_buf_addc(out, (char)strtol(p + 2, NULL, 10));
      p = strchr(p, ';') + 1;
    }
  }
}

/* The decoded value of attribute 'attr' of the first 'tagname' element
** at or after 'doc'. */
static int xml_attr(const char *doc, const char *tagname, const char *attr, LvtBuf *out) {
  char open[64], key[64];
  const char *t = doc, *a, *q;
  snprintf(open, sizeof open, "<%s ", tagname);
  snprintf(key, sizeof key, " %s=\"", attr);
  if ((t = strstr(t, open)) == NULL || (a = strstr(t, key)) == NULL) return 0;
  a += strlen(key);
  q = strchr(a, '"');
  xml_decode(a, (size_t)(q - a), out);
  return 1;
}

/* =====================================================================
** The checks
** ===================================================================== */

static void check_xml(LvtSuiteReport *const *reps, size_t n) {
  char path[128], *doc, cmd[256];
  size_t len = 0;
  Xml x;
  const char *why;
  LvtBuf v = LVT_BUF_INIT;
  LvtErr e = {0, ""};
  const char *p;
  snprintf(path, sizeof path, "%s/junit.xml", tmp);
  TAP_IS_INT(lvt_junit_save(path, LVT_JUNIT_XML, reps, n, &e), LVT_OK, "junit: saved");
  if (!TAP_OK((doc = slurp(path, &len)) != NULL, "junit: read back")) return;
  why = xml_check(doc, len, &x);
  if (!TAP_OK(why == NULL, "junit: well-formed XML (%s)", why ? why : "ok"))
    printf("#   near: %.60s\n", x.p ? x.p : "");
  TAP_IS_INT(x.testsuite, 3, "junit: a testsuite per suite and VM, and the absent suite");
  TAP_IS_INT(x.testcase, 13, "junit: a testcase per test");
  TAP_IS_INT(x.failure, 2, "junit: failures (fail, xpass)");
  TAP_IS_INT(x.error, 5, "junit: errors (file records: an error, four not run)");
  TAP_IS_INT(x.skipped, 4, "junit: skipped (skip, skip-all, todo, xfail)");
  TAP_OK(strstr(doc, "<testsuites name=\"lvtest\" tests=\"13\" failures=\"2\" errors=\"5\" skipped=\"4\"") != NULL,
         "junit: the totals");
  TAP_OK(strstr(doc, "<testsuite name=\"own lua5.4\" tests=\"9\" failures=\"2\" errors=\"1\" skipped=\"4\"") != NULL,
         "junit: the lua5.4 suite's counts");
  /* the nasty name reads back exactly */
  p = strstr(doc, "classname=\"t/001-nasty.t\">\n      <failure type=\"fail\" "
                  "message=\"got: \\x01\\x02 nul:\\x00 bad:\\xff\\xfe tab:&#9; cr:&#13; end\">");
  if (!TAP_OK(p != NULL, "junit: a plain failure's message is its first diagnostic"))
    printf("#   %.300s\n", strstr(doc, "<failure") ? strstr(doc, "<failure") : doc);
  if (xml_attr(strstr(doc, "<testcase name=\"§3.4 &lt;"), "testcase", "name", &v))
    TAP_IS_STR(lvt_buf_str(&v), NASTY, "junit: the tricky name reads back");
  else TAP_OK(0, "junit: the tricky name is there");
  TAP_OK(strstr(doc, "got: \\x01\\x02 nul:\\x00 bad:\\xff\\xfe tab:\t cr:&#13; end") != NULL,
         "junit: control bytes, NUL and invalid UTF-8 are written as text");
  TAP_OK(strstr(doc, "<skipped message=\"expected failure: known &lt;bug&gt;\">listed in") != NULL,
         "junit: xfail is skipped with the list's reason");
  TAP_OK(strstr(doc, "<failure type=\"xpass\" message=\"unexpected pass (on an expected-failure list): stale &amp; old\">") != NULL,
         "junit: xpass is a failure");
  TAP_OK(strstr(doc, "<error type=\"file\" message=\"Lua error (string): t/002-error.t:1: x\\x00y&lt;z&gt;\">") != NULL,
         "junit: the file record of an error is an <error>");
  TAP_OK(strstr(doc, "<property name=\"absent\" value=\"not given (--suite-dir or LVT_SUITES_DIR)\"/>") != NULL,
         "junit: the absent suite says why");
  TAP_OK(strstr(doc, "<system-out>TODO passed: fixed?</system-out>") != NULL, "junit: todo-pass is noted");
  /* xmllint, when there is one */
  if (system("command -v xmllint >/dev/null 2>&1") == 0) {
    snprintf(cmd, sizeof cmd, "xmllint --noout '%s'", path);
    TAP_IS_INT(system(cmd), 0, "junit: xmllint agrees");
  } else {
    printf("# SKIP xmllint check: xmllint is not installed\n");
  }
  /* the checker itself can fail */
  TAP_OK(xml_check("<?xml version=\"1.0\"?><a><b></a></b>", 34, &x) != NULL, "checker: refuses crossed tags");
  TAP_OK(xml_check("<?xml version=\"1.0\"?><a x=\"<\"/>", 31, &x) != NULL, "checker: refuses '<' in attributes");
  TAP_OK(xml_check("<?xml version=\"1.0\"?><a>\x01</a>", 30, &x) != NULL, "checker: refuses control bytes");
  TAP_OK(xml_check("<?xml version=\"1.0\"?><a>&nbsp;</a>", 34, &x) != NULL, "checker: refuses unknown entities");
  free(doc);
  lvt_buf_reset(&v);
}

static void check_tap(LvtSuiteReport *const *reps, size_t n) {
  char *doc = NULL;
  size_t len = 0, i;
  FILE *f = open_memstream(&doc, &len);
  LvtErr e = {0, ""};
  LvtTapResult r;
  int found = 0;
  TAP_IS_INT(lvt_junit_write(f, LVT_JUNIT_TAP, reps, n, &e), LVT_OK, "tap: written");
  fclose(f);
  lvt_tap_init(&r);
  lvt_tap_parse(&r, doc, len);
  TAP_IS_INT(r.version, 13, "tap: version 13");
  TAP_IS_INT(r.plan, 13, "tap: the plan counts every test");
  TAP_IS_INT(r.ntests, 13, "tap: every test is there");
  TAP_IS_INT(r.failed, 7, "tap: failed (fail, xpass, file records)");
  TAP_IS_INT(r.todo, 3, "tap: todo (todo, todo-pass, xfail)");
  TAP_IS_INT(r.todo_passed, 1, "tap: the todo that passes");
  TAP_IS_INT(r.skipped, 2, "tap: skipped");
  TAP_IS_INT(r.passed, 1, "tap: passed");
  TAP_IS_INT(r.garbage, 0, "tap: no garbage line");
  TAP_IS_INT(r.nfatal, 0, "tap: no fatal problem");
  TAP_IS_INT(r.ok, 0, "tap: the stream fails");
  for (i = 0; i < r.ntests; i++)
    if (strcmp(r.tests[i].name, "own lua5.4 t/001-nasty.t: " NASTY) == 0) found = 1;
  TAP_OK(found, "tap: the tricky name reads back ('#' escaped)");
  TAP_OK(strstr(doc, "# got: \\x01\\x02 nul:\\x00 bad:\\xff\\xfe tab:\t cr:\\r end\n") != NULL,
         "tap: diagnostics escaped, one line");
  TAP_OK(strstr(doc, "# suite official is absent: not given") != NULL, "tap: the absent suite is a comment");
  TAP_OK(strstr(doc, "# TODO expected failure: known <bug>") != NULL, "tap: xfail is a TODO with the reason");
  lvt_tap_reset(&r);
  free(doc);
}

static void check_json(LvtSuiteReport *const *reps, size_t n) {
  char path[128], list[128], cmd[512], **names = NULL;
  size_t nn = 0;
  LvtJsonReport *jr = lvt_jreport_new("suite");
  LvtErr e = {0, ""};
  const char *src = getenv("LVT_SOURCE_DIR");
  json_t *j = lvt_json_encode_suite(reps[0]);
  TAP_IS_INT(json_integer_value(json_object_get(json_object_get(json_array_get(json_object_get(j, "vms"), 0),
                                                                "totals"), "xpass")), 1,
             "json: lua5.4 totals have the xpass");
  TAP_IS_INT(json_array_size(json_object_get(json_array_get(json_object_get(json_array_get(
                 json_object_get(j, "files"), 0), "results"), 0), "tests")),
             6, "json: file 1 on lua5.4 has its six tests");
  json_decref(j);
  snprintf(path, sizeof path, "%s/out.json", tmp);
  TAP_IS_INT(lvt_jreport_write_suites(jr, reps, n, path, &e), LVT_OK, "json: written");
  TAP_IS_INT(lvt_json_read_failed(path, "own", &names, &nn, &e), LVT_OK, "json: failed files read back");
  /* every file fails on 'broken' (not run): all four */
  TAP_IS_INT(nn, 4, "json: four files failed somewhere");
  TAP_OK(nn > 0 && names[nn] == NULL, "json: the list is NULL-terminated");
  TAP_IS_STR(nn > 1 ? names[1] : "", "t/002-error.t", "json: in run order");
  lvt_strv_free(names);
  TAP_IS_INT(lvt_json_read_failed(path, "corpus", &names, &nn, &e), LVT_OK, "json: another suite");
  TAP_IS_INT(nn, 0, "json: ... has no failed file");
  lvt_strv_free(names);
  snprintf(list, sizeof list, "%s/list.txt", tmp);
  PUT("list.txt", "# to re-run\n t/002-error.t \r\n\nseeds/a.lua\n003-stale.t\n");
  TAP_IS_INT(lvt_json_read_failed(list, "own", &names, &nn, &e), LVT_OK, "text list: read");
  TAP_OK(nn == 2 && !strcmp(names[0], "t/002-error.t") && !strcmp(names[1], "003-stale.t"),
         "text list: own's names, trimmed");
  lvt_strv_free(names);
  PUT("bad.json", "{\"schema\": 1");
  snprintf(list, sizeof list, "%s/bad.json", tmp);
  TAP_IS_INT(lvt_json_read_failed(list, "own", &names, &nn, &e), LVT_ERR_USAGE, "bad JSON is refused");
  TAP_OK(strstr(e.msg, "bad.json:1:") != NULL, "... naming where: %s", e.msg);
  lvt_strv_free(names);
  TAP_IS_INT(lvt_json_read_failed("/nonexistent/x.json", "own", &names, &nn, &e), LVT_ERR_IO,
             "a missing file is an I/O error");
  lvt_strv_free(names);
  if (src == NULL || system("python3 -c 'import jsonschema' 2>/dev/null") != 0) {
    printf("# SKIP schema validation: needs LVT_SOURCE_DIR and python3 with jsonschema\n");
  } else {
    snprintf(cmd, sizeof cmd,
             "python3 -c 'import json,sys,jsonschema; "
             "jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))' "
             "%s/reports/schema-v1.json %s",
             src, path);
    TAP_IS_INT(system(cmd), 0, "json: the suite document validates against schema-v1.json");
  }
  lvt_jreport_free(jr);
}

/* The console rendering (what = 0) or lua5.4's section table (1). */
static char *render(LvtSuiteReport *const *reps, size_t n, int verbose, int what) {
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);
  LvtConsole c = {f, 0, verbose};
  LvtErr e = {0, ""};
  if (what == 0) lvt_matrix_render(&c, reps, n);
  else if (lvt_matrix_sections(&c, reps, n, "lua5.4", &e) != LVT_OK) printf("# %s\n", e.msg);
  fclose(f);
  return out;
}

static void check_console(LvtSuiteReport *const *reps, size_t n) {
  char *s = render(reps, n, 0, 0), *v = render(reps, n, 1, 0), *sec = render(reps, n, 0, 1);
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);
  LvtConsole c = {f, 1, 0};
  LvtErr e = {0, ""};
  TAP_OK(strstr(s, "suite              lua5.4    broken\n") != NULL, "console: header with the VMs");
  TAP_OK(strstr(s, "own                2/3/2 x2  -     \n") != NULL, "console: the suite row");
  TAP_OK(strstr(s, "official (absent)") != NULL, "console: the absent suite has a row");
  TAP_OK(strstr(s, "FAIL  lua5.4  own t/001-nasty.t: " NASTY "\n        got: \\x01\\x02 nul:\\x00") != NULL,
         "console: a failure with its diagnostics, bytes escaped");
  TAP_OK(strstr(s, "FAIL  lua5.4  own t/002-error.t: (file): Lua error (string): t/002-error.t:1: x\\x00y<z>\n"
                   "        planned 1 test but ran 0\n") != NULL,
         "console: a failing file record, its reason not repeated");
  TAP_OK(strstr(s, "XPASS lua5.4  own t/003-stale.t: §2 stale\n        expected to fail by own/expect/5.4/003-stale.txt:1: stale & old") != NULL,
         "console: the unexpected pass names the list line");
  TAP_OK(strstr(s, "NOT RUN broken  own: 4 of 4 files: ") != NULL, "console: the VM that did not run, once");
  TAP_OK(strstr(s, "1 TODO test passes (-v lists them)") != NULL, "console: TODO passes counted");
  TAP_OK(strstr(s, "Absent suites:\n  official: not given (--suite-dir or LVT_SUITES_DIR)\n") != NULL,
         "console: absent suites with why");
  TAP_OK(strstr(s, "own: 4 files on 1 VM: 2 passed, 6 failed, 2 skipped, 1 todo, 1 expected failure, "
                   "1 unexpected pass; 1 VM not usable") != NULL,
         "console: the summary line");
  TAP_OK(strstr(s, "FAIL\n") != NULL && strstr(s, "\033[") == NULL, "console: verdict, no colour when off");
  TAP_OK(strstr(v, "  t/001-nasty.t    2/1/1 x2  -") != NULL, "console -v: file rows");
  TAP_OK(strstr(v, "TODO  lua5.4  own t/001-nasty.t: §6.4 todo two: fixed?") != NULL, "console -v: TODO passes listed");
  TAP_OK(strstr(sec, "Sections on lua5.4 (own):\n  section   pass   fail   skip   todo  xfail  xpass\n") != NULL,
         "sections: header");
  TAP_OK(strstr(sec, "  §3.4         1      1      0      0      0      0\n") != NULL, "sections: §3.4 row");
  TAP_OK(strstr(sec, "  §6.4         1      0      1      1      0      0\n") != NULL, "sections: §6.4 row (todo-pass counts as pass)");
  TAP_OK(strstr(sec, "  (none)       0      1      1      0      0      0\n") != NULL, "sections: tests without a section");
  TAP_IS_INT(lvt_matrix_sections(&c, reps, n, "lua9", &e), LVT_ERR_USAGE, "sections: an unknown VM is refused");
  TAP_OK(strstr(e.msg, "there are: lua5.4, broken") != NULL, "... naming the VMs: %s", e.msg);
  lvt_matrix_table(&c, reps, n);
  fclose(f);
  TAP_OK(strstr(out, "\033[31m2/3/2 x2\033[0m") != NULL, "console: colour when asked");
  free(s);
  free(v);
  free(sec);
  free(out);
}

int main(void) {
  static const char *vms[] = {"lua5.4", "name=broken,cmd=/bin/false"};
  LvtVmSet set;
  LvtVmSetOpts so;
  LvtSuiteOpts o;
  LvtSuiteReport *reps[2] = {NULL, NULL};
  LvtErr e = {0, ""};
  size_t i;
  if (!TAP_OK(fixture_open("junit"), "temp dir")) return tap_done();
  write_suite();
  lvt_vmset_init(&set);
  for (i = 0; i < 2; i++)
    if (!TAP_OK(lvt_vmset_add(&set, vms[i], NULL, &e) == LVT_OK, "add %s", vms[i])) printf("# %s\n", e.msg);
  memset(&so, 0, sizeof so);
  lvt_vmset_start(&set, &so);
  lvt_suite_opts_init(&o);
  o.root = at("own");
  if (TAP_OK(lvt_suite_run(&set, &o, &reps[0], &e) == LVT_OK, "the suite runs (%s)", e.msg)) {
    reps[1] = lvt_suite_report_absent("official", "not given (--suite-dir or LVT_SUITES_DIR)");
    check_xml(reps, 2);
    check_tap(reps, 2);
    check_json(reps, 2);
    check_console(reps, 2);
  }
  lvt_suite_report_free(reps[0]);
  lvt_suite_report_free(reps[1]);
  lvt_vmset_reset(&set);
  fixture_close();
  return tap_done();
}
