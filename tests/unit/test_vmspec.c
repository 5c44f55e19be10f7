/*
** test_vmspec.c -- VM specs as users write them, command splitting, and
** discovery of interpreters on a PATH made for the test.
*/
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/lvt_vmspec.h"
#include "tests/tap.h"

static void touch_exec(const char *path) {
  FILE *f = fopen(path, "w");
  if (f) {
    fputs("#!/bin/sh\n", f);
    fclose(f);
  }
  chmod(path, 0755);
}

int main(void) {
  LvtVmSpec s;
  LvtErr e = {0, ""};
  char **argv;
  char dir[] = "/tmp/lvt-vmspec-XXXXXX";
  char path[512];
  LvtFound *f;
  size_t n, i;

  /* Command splitting. */
  TAP_IS_INT(lvt_split_command("luajit  -joff  'a b' \"c\\\"d\" e\\ f", &argv, &e), LVT_OK,
             "split a command with quotes and escapes");
  TAP_IS_STR(argv[0], "luajit", "word 1");
  TAP_IS_STR(argv[1], "-joff", "word 2");
  TAP_IS_STR(argv[2], "a b", "single quotes keep spaces");
  TAP_IS_STR(argv[3], "c\"d", "escaped double quote");
  TAP_IS_STR(argv[4], "e f", "escaped space");
  TAP_OK(argv[5] == NULL, "argv is NULL-terminated");
  lvt_strv_free(argv);
  TAP_IS_INT(lvt_split_command("lua 'oops", &argv, &e), LVT_ERR_USAGE, "unterminated quote");
  TAP_OK(strstr(e.msg, "unterminated") != NULL, "... says so");
  TAP_IS_INT(lvt_split_command("   ", &argv, &e), LVT_ERR_USAGE, "empty command");

  /* ref */
  TAP_IS_INT(lvt_vmspec_parse(&s, "ref", "/opt/lvtest", &e), LVT_OK, "ref");
  TAP_OK(s.is_ref && s.cfg.speaks_lvx, "ref is the reference worker speaking LVX");
  TAP_IS_STR(s.argv[0], "/opt/lvtest", "ref runs the lvtest binary");
  TAP_IS_STR(s.argv[1], "__lvx-ref", "... as 'lvtest __lvx-ref'");
  lvt_vmspec_reset(&s);

  /* A name on PATH (sh exists everywhere). */
  TAP_IS_INT(lvt_vmspec_parse(&s, "sh", "/x", &e), LVT_OK, "a command on PATH");
  TAP_IS_STR(s.name, "sh", "named after the command");
  TAP_OK(s.resolved != NULL && s.resolved[0] == '/', "resolved to an absolute path");
  lvt_vmspec_reset(&s);

  TAP_IS_INT(lvt_vmspec_parse(&s, "luajit5", "/x", &e), LVT_ERR_USAGE, "unknown command");
  TAP_OK(strstr(e.msg, "no such command on PATH") && strstr(e.msg, "lvtest vms"),
         "... says so and what to do (%s)", e.msg);
  TAP_IS_INT(lvt_vmspec_parse(&s, "/nonexistent/lua", "/x", &e), LVT_ERR_USAGE, "bad path");
  TAP_OK(strstr(e.msg, "not an executable file") != NULL, "... says so (%s)", e.msg);

  /* key=value */
  TAP_IS_INT(lvt_vmspec_parse(&s, "name=lj-joff,cmd=\"sh -c 'x, y'\",dialect=luajit,"
                                  "env=FOO=bar,args=\"-a -b\",restart=5,rss=512M",
                              "/x", &e),
             LVT_OK, "a key=value spec (%s)", e.msg);
  TAP_IS_STR(s.name, "lj-joff", "name=");
  TAP_IS_STR(s.argv[0], "sh", "cmd= word 1");
  TAP_IS_STR(s.argv[2], "x, y", "a comma inside quotes stays in the value");
  TAP_IS_STR(s.argv[3], "-a", "args= appended");
  TAP_IS_STR(s.argv[4], "-b", "args= appended (2)");
  TAP_IS_INT(s.cfg.dialect, LVT_DIALECT_LUAJIT, "dialect=");
  TAP_IS_STR(s.env[0], "FOO=bar", "env=");
  TAP_IS_INT(s.cfg.restart_every, 5, "restart=");
  TAP_IS_INT(s.cfg.rss_limit, 512u << 20, "rss=");
  lvt_vmspec_reset(&s);

  TAP_IS_INT(lvt_vmspec_parse(&s, "name=x,dialect=5.9,cmd=sh", "/x", &e), LVT_ERR_USAGE,
             "unknown dialect");
  TAP_OK(strstr(e.msg, "5.9") != NULL, "... named");
  TAP_IS_INT(lvt_vmspec_parse(&s, "name=x", "/x", &e), LVT_ERR_USAGE, "no cmd=");
  TAP_IS_INT(lvt_vmspec_parse(&s, "name=x,cmd=sh,colour=red", "/x", &e), LVT_ERR_USAGE,
             "unknown key");
  TAP_OK(strstr(e.msg, "colour") != NULL, "... named");
  TAP_IS_INT(lvt_vmspec_parse(&s, "name=ref,restart=3", "/opt/lvtest", &e), LVT_OK,
             "name=ref with options is the reference");
  TAP_OK(s.is_ref && s.cfg.restart_every == 3, "... with the option");
  lvt_vmspec_reset(&s);

  /* Discovery on a PATH made for the test: lua5.1, a symlink 'lua' to it,
  ** luac5.1 (not an interpreter), and a non-executable lua5.9. */
  TAP_OK(mkdtemp(dir) != NULL, "temp dir");
  snprintf(path, sizeof path, "%s/lua5.1", dir);
  touch_exec(path);
  snprintf(path, sizeof path, "%s/lua", dir);
  TAP_OK(symlink("lua5.1", path) == 0, "symlink");
  snprintf(path, sizeof path, "%s/luac5.1", dir);
  touch_exec(path);
  snprintf(path, sizeof path, "%s/luajit", dir);
  touch_exec(path);
  snprintf(path, sizeof path, "%s/lua5.9", dir);
  touch_exec(path);
  chmod(path, 0644);
  n = lvt_discover(dir, &f);
  TAP_IS_INT(n, 2, "two distinct interpreters (lua5.1 = lua, luajit)");
  if (n == 2) {
    TAP_IS_STR(f[0].name, "lua5.1", "lua5.1 first, under its versioned name");
    TAP_OK(f[0].aliases && f[0].aliases[0] && strcmp(f[0].aliases[0], "lua") == 0,
           "'lua' is an alias of it");
    TAP_IS_STR(f[1].name, "luajit", "luajit second");
  }
  lvt_found_free(f, n);
  for (i = 0; i < 5; i++) {
    static const char *const names[] = {"lua5.1", "lua", "luac5.1", "luajit", "lua5.9"};
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    unlink(path);
  }
  rmdir(dir);
  return tap_done();
}
