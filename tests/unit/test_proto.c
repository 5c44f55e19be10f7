/*
** test_proto.c -- LVX v1 framing (vm/lvt_proto.c, vm/PROTOCOL.md):
** round trips with binary payloads (the optional prelude too), every
** prefix of a frame is LVT_AGAIN, garbage and oversized headers are
** LVT_ERR_PROTO with a precise message.
*/
#include "vm/lvt_proto.h"

#include <string.h>

#include "tests/tap.h"

/* A source with NULs, bytes >= 0x80 and invalid UTF-8, and LFs. */
static const char binsrc[] = "print(\"a\0b\")\n\xff\xfe\x80--\n\0\0";
#define BINSRC_LEN (sizeof binsrc - 1)

/* ---------------------------------------------------------------------
** Round trips
** --------------------------------------------------------------------- */
static void test_request_roundtrip(void) {
  LvtProgram p = {"t/\xc3\x28odd name.lua", binsrc, BINSRC_LEN, NULL, 0};
  LvtLimits lim;
  LvtRequest rq;
  LvtBuf f = LVT_BUF_INIT;
  LvtErr e = {0, ""};
  size_t used = 0;
  int rc;
  lvt_limits_default(&lim);
  lim.instr_limit = UINT64_MAX;
  lim.max_output = 12345;
  lim.deterministic = 1;
  lim.allow_binary = 0;
  lim.selftest_crash = 1;
  lvt_proto_encode_request(&f, &p, &lim);
  lvt_buf_adds(&f, "LVX");   /* the start of the next frame must not be used */
  lvt_request_init(&rq);
  rc = lvt_proto_decode_request(f.data, f.len, &used, &rq, &e);
  TAP_IS_INT(rc, LVT_OK, "request decodes (%s)", e.msg);
  TAP_IS_INT(used, f.len - 3, "request: used stops at the frame's end");
  TAP_IS_MEM(rq.name.data, rq.name.len, p.name, strlen(p.name), "request: name");
  TAP_IS_MEM(rq.src.data, rq.src.len, binsrc, BINSRC_LEN, "request: binary src");
  TAP_OK(rq.lim.instr_limit == UINT64_MAX, "request: instr_limit 2^64-1");
  TAP_IS_INT(rq.lim.max_output, 12345, "request: max_output");
  TAP_IS_INT(rq.lim.deterministic, 1, "request: deterministic");
  TAP_IS_INT(rq.lim.allow_binary, 0, "request: allow_binary");
  TAP_IS_INT(rq.lim.selftest_crash, 1, "request: selftest");
  TAP_IS_INT(rq.lim.timeout_ms, 0, "request: timeout is not sent");
  lvt_request_reset(&rq);
  lvt_buf_reset(&f);
}

/* The 'prelude' field (the split form of generated programs): sent only
** when the program has one, binary-safe, and a decoded request says
** whether it came. */
static void test_prelude_roundtrip(void) {
  static const char pre[] = "\nlocal a = \"\0\"\nreturn a, 2\n\0\xff";
  LvtProgram p = {"gen.lua", binsrc, BINSRC_LEN, pre, sizeof pre - 1};
  LvtProgram q = {"gen.lua", binsrc, BINSRC_LEN, NULL, 0};
  LvtProgram empty = {"gen.lua", "", 0, "", 0};
  LvtLimits lim;
  LvtRequest rq;
  LvtBuf f = LVT_BUF_INIT, g = LVT_BUF_INIT;
  LvtErr e = {0, ""};
  size_t used = 0;
  lvt_limits_default(&lim);
  lvt_request_init(&rq);
  lvt_proto_encode_request(&f, &p, &lim);
  TAP_OK(strncmp(f.data, "LVX 1 run 9\n", 12) == 0,
         "a run frame with a prelude has 9 fields (the program is pure: test_pure)");
  TAP_IS_INT(lvt_proto_decode_request(f.data, f.len, &used, &rq, &e), LVT_OK,
             "it decodes (%s)", e.msg);
  TAP_IS_INT(used, f.len, "... all of it");
  TAP_IS_INT(rq.has_prelude, 1, "... with a prelude");
  TAP_IS_MEM(rq.prelude.data, rq.prelude.len, pre, sizeof pre - 1,
             "... byte for byte (NULs, LFs, 0xff)");
  TAP_IS_MEM(rq.src.data, rq.src.len, binsrc, BINSRC_LEN, "... and the source beside it");
  {
    size_t cut, bad = 0;
    for (cut = 0; cut < f.len; cut++)
      if (lvt_proto_decode_request(f.data, cut, &used, &rq, &e) != LVT_AGAIN) bad++;
    TAP_IS_INT(bad, 0, "... and each of its %zu prefixes asks for more", f.len);
  }
  /* The same request without one, decoded into the same LvtRequest. */
  lvt_proto_encode_request(&g, &q, &lim);
  TAP_OK(strncmp(g.data, "LVX 1 run 8\n", 12) == 0, "without a prelude: 8 fields");
  TAP_OK(strstr(g.data, "\nprelude ") == NULL, "... and no prelude key");
  TAP_IS_INT(lvt_proto_decode_request(g.data, g.len, &used, &rq, &e), LVT_OK, "it decodes");
  TAP_IS_INT(rq.has_prelude, 0, "... without a prelude (none left from the frame before)");
  TAP_IS_INT(rq.prelude.len, 0, "... and no prelude bytes");
  /* An empty prelude is a prelude. */
  lvt_buf_clear(&f);
  lvt_proto_encode_request(&f, &empty, &lim);
  TAP_OK(lvt_proto_decode_request(f.data, f.len, &used, &rq, &e) == LVT_OK && rq.has_prelude == 1 &&
         rq.prelude.len == 0 && strncmp(f.data, "LVX 1 run 9\n", 12) == 0,
         "an empty prelude is sent and comes back as one");
  lvt_request_reset(&rq);
  TAP_IS_INT(rq.has_prelude, 0, "lvt_request_reset forgets it");
  lvt_buf_reset(&f);
  lvt_buf_reset(&g);
}

/* lvt_proto_pure, and the 'pure' field it sets in run frames: no
** identifier that names a way to shared state (PROTOCOL.md), in the
** program or its prelude; strings and comments are read too. */
static void test_pure(void) {
  static const struct { const char *src; int pure; const char *what; } cases[] = {
    {"print(1)", 1, "a plain program"},
    {"", 1, "an empty one"},
    {"local t = setmetatable({}, {}) print(getmetatable(t), rawget(t, 1), next(t))", 1,
     "getmetatable, raw access, next (checked as they run, or harmless)"},
    {"local debugger, loader, io2, _Gx, xjit, Debug = 1, 2, 3, 4, 5, 6", 1,
     "names that contain an escape name are other names"},
    {"local x = 0xdebug", 1, "so is a numeral that contains one"},
    {"print(debug.traceback())", 0, "debug"},
    {"print(_G.x)", 0, "_G"},
    {"local _ENV = {}", 0, "_ENV"},
    {"load('x = 1')()", 0, "load"},
    {"loadstring('x = 1')()", 0, "loadstring"},
    {"loadfile('f')", 0, "loadfile"},
    {"dofile('f')", 0, "dofile"},
    {"require('x')", 0, "require"},
    {"print(package.path)", 0, "package"},
    {"module('m')", 0, "module"},
    {"getfenv(1)", 0, "getfenv"},
    {"setfenv(1, {})", 0, "setfenv"},
    {"io.write(1)", 0, "io"},
    {"jit.off()", 0, "jit"},
    {"print('debug')", 0, "an escape name in a string counts"},
    {"-- io\nprint(1)", 0, "... in a comment too"},
    {"print(x.io)", 0, "... and as a field name"},
    {"x=1;debug", 0, "... at the very end"},
    {"\x1bLua\x54", 0, "a binary chunk is not pure"},
  };
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
    TAP_IS_INT(lvt_proto_pure(cases[i].src, strlen(cases[i].src)), cases[i].pure, "pure: %s",
               cases[i].what);
  TAP_IS_INT(lvt_proto_pure("print(1)\0debug", 14), 0, "pure: an escape name after a NUL counts");
  {
    LvtProgram pure = {"p", "print(1)", 8, "return 1", 8};
    LvtProgram body = {"p", "print(io)", 9, NULL, 0};
    LvtProgram pre = {"p", "print(1)", 8, "return require", 14};
    LvtLimits lim;
    LvtRequest rq;
    LvtBuf f = LVT_BUF_INIT;
    LvtErr e = {0, ""};
    size_t used;
    lvt_limits_default(&lim);
    lvt_request_init(&rq);
    lvt_proto_encode_request(&f, &pure, &lim);
    TAP_OK(strstr(f.data, "\npure 1\n1\n") != NULL, "a pure program's frame says 'pure'");
    TAP_OK(lvt_proto_decode_request(f.data, f.len, &used, &rq, &e) == LVT_OK && rq.pure == 1,
           "... and it decodes");
    lvt_buf_clear(&f);
    lvt_proto_encode_request(&f, &body, &lim);
    TAP_OK(strstr(f.data, "\npure ") == NULL, "a program that names 'io': no 'pure'");
    TAP_OK(lvt_proto_decode_request(f.data, f.len, &used, &rq, &e) == LVT_OK && rq.pure == 0,
           "... decoded as not pure (nothing left from the frame before)");
    lvt_buf_clear(&f);
    lvt_proto_encode_request(&f, &pre, &lim);
    TAP_OK(strstr(f.data, "\npure ") == NULL, "a pure body with a prelude that names 'require': "
           "no 'pure'");
    lvt_request_reset(&rq);
    lvt_buf_reset(&f);
  }
}

static void test_result_roundtrip(void) {
  static const int codes[] = {0, 1, -1, 255, 2147483647, -2147483647 - 1};
  LvtRun r, d;
  LvtBuf f = LVT_BUF_INIT;
  LvtErr e = {0, ""};
  size_t used = 0, i;
  int dirty = -1, rc;
  lvt_run_init(&r);
  lvt_run_init(&d);
  r.outcome = LVT_RUN_ERROR;
  lvt_buf_set(&r.out, binsrc, BINSRC_LEN);
  r.out_truncated = 1;
  strcpy(r.err_type, "table");
  lvt_buf_set(&r.err_value, "\0\xff", 2);
  lvt_buf_set(&r.detail, "why\nnot", 7);
  r.peak_mem = 123456789;
  lvt_proto_encode_result(&f, &r, 1);
  rc = lvt_proto_decode_result(f.data, f.len, &used, &d, &dirty, &e);
  TAP_IS_INT(rc, LVT_OK, "result decodes (%s)", e.msg);
  TAP_IS_INT(used, f.len, "result: all bytes used");
  TAP_IS_INT(d.outcome, LVT_RUN_ERROR, "result: outcome");
  TAP_IS_MEM(d.out.data, d.out.len, binsrc, BINSRC_LEN, "result: binary out");
  TAP_IS_INT(d.out_truncated, 1, "result: truncated");
  TAP_IS_STR(d.err_type, "table", "result: errtype");
  TAP_IS_MEM(d.err_value.data, d.err_value.len, "\0\xff", 2, "result: binary errval");
  TAP_IS_MEM(d.detail.data, d.detail.len, "why\nnot", 7, "result: detail with LF");
  TAP_IS_INT(d.peak_mem, 123456789, "result: peak_mem");
  TAP_IS_INT(dirty, 1, "result: dirty");
  TAP_IS_INT(d.status, -1, "result: status is not sent");

  /* An ok result with nothing to say is two fields; empty out survives. */
  lvt_run_clear(&r);
  lvt_buf_clear(&f);
  lvt_proto_encode_result(&f, &r, 0);
  TAP_IS_STR(f.data, "LVX 1 result 2\noutcome 2\nok\nout 0\n\n", "ok result bytes");
  rc = lvt_proto_decode_result(f.data, f.len, &used, &d, &dirty, &e);
  TAP_OK(rc == LVT_OK && d.outcome == LVT_RUN_OK && d.out.len == 0 &&
         d.err_value.len == 0 && dirty == 0 && d.out_truncated == 0,
         "empty ok result round trip clears the previous fields");

  for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
    lvt_run_clear(&r);
    r.outcome = LVT_RUN_EXIT;
    r.exit_code = codes[i];
    lvt_buf_clear(&f);
    lvt_proto_encode_result(&f, &r, 0);
    rc = lvt_proto_decode_result(f.data, f.len, &used, &d, &dirty, &e);
    TAP_OK(rc == LVT_OK && d.outcome == LVT_RUN_EXIT && d.exit_code == codes[i],
           "exit code %d round trip", codes[i]);
  }
  lvt_run_reset(&r);
  lvt_run_reset(&d);
  lvt_buf_reset(&f);
}

static void test_hello(void) {
  LvtBuf f = LVT_BUF_INIT, impl = LVT_BUF_INIT;
  LvtErr e = {0, ""};
  size_t used = 0;
  lvt_proto_encode_hello(&f, "lvx.lua Lua 5.4");
  TAP_IS_STR(f.data, "LVX 1 hello 1\nimpl 15\nlvx.lua Lua 5.4\n", "hello bytes");
  TAP_IS_INT(lvt_proto_decode_hello(f.data, f.len, &used, &impl, &e), LVT_OK, "hello decodes");
  TAP_IS_STR(lvt_buf_str(&impl), "lvx.lua Lua 5.4", "hello impl");
  /* A hello is not a result. */
  {
    LvtRun r;
    int dirty;
    lvt_run_init(&r);
    TAP_IS_INT(lvt_proto_decode_result(f.data, f.len, &used, &r, &dirty, &e),
               LVT_ERR_PROTO, "hello where a result is expected");
    TAP_IS_STR(e.msg, "expected a result frame, got \"hello\"", "... message");
    lvt_run_reset(&r);
  }
  lvt_buf_reset(&f);
  lvt_buf_reset(&impl);
}

/* ---------------------------------------------------------------------
** Prefixes: every cut point of a valid frame asks for more
** --------------------------------------------------------------------- */
static void test_prefixes(void) {
  LvtProgram p = {"x", binsrc, BINSRC_LEN, NULL, 0};
  LvtLimits lim;
  LvtRun r, d;
  LvtBuf f = LVT_BUF_INIT, g = LVT_BUF_INIT;
  LvtRequest rq;
  LvtErr e = {0, ""};
  size_t cut, used, bad_req = 0, bad_res = 0;
  int dirty;
  lvt_limits_default(&lim);
  lvt_run_init(&r);
  lvt_run_init(&d);
  lvt_request_init(&rq);
  lvt_proto_encode_request(&f, &p, &lim);
  r.outcome = LVT_RUN_ERROR;
  lvt_buf_set(&r.out, binsrc, BINSRC_LEN);
  strcpy(r.err_type, "string");
  lvt_buf_set(&r.err_value, "x:1: boom", 9);
  lvt_proto_encode_result(&g, &r, 1);
  for (cut = 0; cut < f.len; cut++)
    if (lvt_proto_decode_request(f.data, cut, &used, &rq, &e) != LVT_AGAIN) {
      if (bad_req++ == 0) TAP_OK(0, "request prefix of %zu bytes: %s", cut, e.msg);
    }
  for (cut = 0; cut < g.len; cut++)
    if (lvt_proto_decode_result(g.data, cut, &used, &d, &dirty, &e) != LVT_AGAIN) {
      if (bad_res++ == 0) TAP_OK(0, "result prefix of %zu bytes: %s", cut, e.msg);
    }
  TAP_IS_INT(bad_req, 0, "all %zu request prefixes are LVT_AGAIN", f.len);
  TAP_IS_INT(bad_res, 0, "all %zu result prefixes are LVT_AGAIN", g.len);
  TAP_IS_INT(lvt_proto_decode_result(g.data, g.len, &used, &d, &dirty, &e), LVT_OK,
             "the whole result decodes");
  lvt_request_reset(&rq);
  lvt_run_reset(&r);
  lvt_run_reset(&d);
  lvt_buf_reset(&f);
  lvt_buf_reset(&g);
}

/* ---------------------------------------------------------------------
** Garbage: data-driven, each case with the message it must give
** --------------------------------------------------------------------- */
typedef struct Bad {
  const char *bytes;
  size_t len;       /* 0: strlen */
  const char *msg;  /* expected message (prefix) */
} Bad;

static const Bad bad_results[] = {
  {"GET / HTTP/1.1\r\n", 0, "header: bad \"LVX\" at byte 0: 'G'"},
  {"\0\0\0\0", 4, "header: bad \"LVX\" at byte 0: 0x00"},
  {"LVX1 result 1\n", 0, "header: bad \"LVX\" at byte 3: '1'"},
  {"LVX  1", 0, "header: version expected at byte 4, got 0x20"},
  {"LVX 2 result 1\n", 0, "LVX version 2, lvtest speaks 1"},
  {"LVX 01 result", 0, "header: bad version at byte 5: '1'"},
  {"LVX 1000", 0, "header: version longer than 3 bytes at byte 7"},
  {"LVX 1 Result", 0, "header: bad kind at byte 6: 'R'"},
  {"LVX 1 resultresultresult", 0, "header: kind longer than 16 bytes at byte 22"},
  {"LVX 1 result 1\r\n", 0, "header: bad field count at byte 14: 0x0d"},
  {"LVX 1 result 100", 0, "header: field count longer than 2 bytes at byte 15"},
  {"LVX 1 result 33\n", 0, "frame has 33 fields, at most 32"},
  {"LVX 1 result\n", 0, "header: line ends early at byte 12"},
  {"LVX 1 result 1 \n", 0, "header: LF expected at byte 14"},
  {"LVX 1 result 1\nOUT 1\n", 0, "field line: bad key at byte 15: 'O'"},
  {"LVX 1 result 1\nout -1\n", 0, "field line: bad length at byte 19: '-'"},
  {"LVX 1 result 1\nout 00\n", 0, "field line: bad length at byte 20: '0'"},
  {"LVX 1 result 1\nout 12345678901", 0, "field line: length longer than 10 bytes"},
  {"LVX 1 result 1\nout 2000000000\n", 0, "value of \"out\" longer than 1073741824 bytes"},
  {"LVX 1 result 1\nthis_key_is_far_too_long 1\n", 0, "field line: key longer than 16 bytes"},
  {"LVX 1 result 1\nout 1\nab\n", 0, "value of \"out\" not followed by LF at byte 22"},
  {"LVX 1 result 2\nout 0\n\nout 0\n\n", 0, "duplicate key \"out\""},
  {"LVX 1 result 1\nout 0\n\n", 0, "missing key \"outcome\" in a result frame"},
  {"LVX 1 result 1\noutcome 4\nfine\n", 0, "unknown outcome \"fine\""},
  {"LVX 1 result 2\noutcome 4\nexit\nexit 2\n1x\n", 0, "bad value for \"exit\": not an int"},
  {"LVX 1 result 2\noutcome 4\nexit\nexit 10\n2147483648\n", 0, "bad value for \"exit\": not an int"},
  {"LVX 1 result 2\noutcome 2\nok\ndirty 1\n2\n", 0, "bad value for \"dirty\": \"2\""},
  {"LVX 1 result 2\noutcome 2\nok\nerrtype 16\n0123456789abcdef\n", 0,
   "bad value for \"errtype\" (16 bytes)"},
  {"LVX 1 run 1\nsrc 0\n\n", 0, "expected a result frame, got \"run\""},
};

static void test_garbage(void) {
  LvtRun d;
  LvtErr e;
  size_t i, used;
  int dirty;
  lvt_run_init(&d);
  for (i = 0; i < sizeof bad_results / sizeof bad_results[0]; i++) {
    const Bad *b = &bad_results[i];
    size_t n = b->len ? b->len : strlen(b->bytes);
    int rc;
    e.msg[0] = '\0';
    rc = lvt_proto_decode_result(b->bytes, n, &used, &d, &dirty, &e);
    TAP_IS_INT(rc, LVT_ERR_PROTO, "garbage %zu is rejected", i);
    if (strncmp(e.msg, b->msg, strlen(b->msg)) != 0) {
      TAP_IS_STR(e.msg, b->msg, "garbage %zu message", i);
    } else {
      TAP_OK(1, "garbage %zu message: %s", i, e.msg);
    }
  }
  /* Unknown keys are skipped (forward compatibility within v1). */
  {
    static const char s[] = "LVX 1 result 2\nnewthing 3\na\0b\noutcome 2\nok\n";
    TAP_IS_INT(lvt_proto_decode_result(s, sizeof s - 1, &used, &d, &dirty, &e), LVT_OK,
               "unknown key skipped (%s)", e.msg);
  }
  /* A request needs its source; bad booleans are refused. */
  {
    LvtRequest rq;
    lvt_request_init(&rq);
    TAP_IS_INT(lvt_proto_decode_request("LVX 1 run 0\n", 12, &used, &rq, &e),
               LVT_ERR_PROTO, "run without src");
    TAP_IS_STR(e.msg, "missing key \"src\" in a run frame", "... message");
    static const char s[] = "LVX 1 run 2\nsrc 0\n\ndeterministic 3\nyes\n";
    TAP_IS_INT(lvt_proto_decode_request(s, sizeof s - 1, &used, &rq, &e),
               LVT_ERR_PROTO, "deterministic=yes refused");
    lvt_request_reset(&rq);
  }
  lvt_run_reset(&d);
}

/* Endless garbage is refused after a bounded number of bytes: feeding a
** line with no LF fails by the time it is 64 bytes long. */
static void test_bounded(void) {
  char buf[200];
  LvtRun d;
  LvtErr e;
  size_t n, used, first_err = 0;
  int dirty;
  lvt_run_init(&d);
  memcpy(buf, "LVX 1 result 1\nout ", 19);
  memset(buf + 19, '7', sizeof buf - 19);
  for (n = 1; n <= sizeof buf && first_err == 0; n++)
    if (lvt_proto_decode_result(buf, n, &used, &d, &dirty, &e) == LVT_ERR_PROTO)
      first_err = n;
  TAP_OK(first_err > 0 && first_err <= 15 + 32, "a long field line fails by byte %zu", first_err);
  memset(buf, 'L', sizeof buf);
  TAP_IS_INT(lvt_proto_decode_result(buf, 2, &used, &d, &dirty, &e), LVT_ERR_PROTO,
             "\"LL\" fails at the second byte");
  lvt_run_reset(&d);
}

int main(void) {
  test_request_roundtrip();
  test_prelude_roundtrip();
  test_pure();
  test_result_roundtrip();
  test_hello();
  test_prefixes();
  test_garbage();
  test_bounded();
  return tap_done();
}
