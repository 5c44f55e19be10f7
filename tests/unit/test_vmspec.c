/*
** test_vmspec.c -- VM specs as users write them, command splitting, and
** discovery of interpreters on a PATH made for the test.
*/
#include <stdio.h>
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

/* Writes 'text' into 'path' (creating it). */
static void write_text(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (f) {
    fputs(text, f);
    fclose(f);
  }
}

/* The peers, found in a cache and a PATH made for the test. */
static void peers(void) {
  char cache[] = "/tmp/lvt-peers-XXXXXX", bin[600], p[700];
  const char *old_path = getenv("PATH"), *old_cache = getenv("LVT_CACHE_DIR");
  char *keep_path = old_path ? strdup(old_path) : NULL;
  char *keep_cache = old_cache ? strdup(old_cache) : NULL;
  LvtVmSpec s;
  LvtErr e = {0, ""};
  char *c;

  /* The cache directory: LVT_CACHE_DIR, XDG_CACHE_HOME/lvtest, ~/.cache/lvtest. */
  setenv("LVT_CACHE_DIR", "/x/lvt", 1);
  c = lvt_cache_dir();
  TAP_IS_STR(c, "/x/lvt", "LVT_CACHE_DIR names the cache");
  free(c);
  unsetenv("LVT_CACHE_DIR");
  setenv("XDG_CACHE_HOME", "/x/xdg", 1);
  c = lvt_cache_dir();
  TAP_IS_STR(c, "/x/xdg/lvtest", "else XDG_CACHE_HOME/lvtest");
  free(c);
  unsetenv("XDG_CACHE_HOME");
  setenv("HOME", "/x/home", 1);
  c = lvt_cache_dir();
  TAP_IS_STR(c, "/x/home/.cache/lvtest", "else ~/.cache/lvtest");
  free(c);

  TAP_OK(lvt_peer_is("fengari") && lvt_peer_is("lj-hot") && !lvt_peer_is("lua5.4"),
         "peers are known by name");

  /* A made-up machine: a cache with glua and the npm packages, a PATH
  ** with 'node' and 'luajit' (scripts: nothing runs them here). */
  TAP_OK(mkdtemp(cache) != NULL, "temp cache");
  setenv("LVT_CACHE_DIR", cache, 1);
  snprintf(bin, sizeof bin, "%s/pathbin", cache);
  mkdir(bin, 0755);
  setenv("PATH", bin, 1);
  TAP_IS_INT(lvt_vmspec_peer(&s, "gopher-lua", &e), LVT_ERR_USAGE, "no glua: absent");
  TAP_OK(strstr(e.msg, "not installed: run ci/bootstrap") && strstr(e.msg, cache),
         "... says to run ci/bootstrap and where it looked (%s)", e.msg);
  TAP_IS_INT(lvt_vmspec_peer(&s, "fengari", &e), LVT_ERR_USAGE, "no node: fengari absent");
  TAP_OK(strstr(e.msg, "node not found on PATH") != NULL, "... says why (%s)", e.msg);
  TAP_IS_INT(lvt_vmspec_peer(&s, "lj-joff", &e), LVT_ERR_USAGE, "no luajit: lj-joff absent");
  TAP_OK(strstr(e.msg, "luajit not found") != NULL, "... says why (%s)", e.msg);
  TAP_IS_INT(lvt_vmspec_parse(&s, "wasmoon", "/x", &e), LVT_ERR_USAGE, "--vm wasmoon: absent");
  TAP_OK(strncmp(e.msg, "--vm wasmoon: ", 14) == 0, "... a usage error naming the spec (%s)", e.msg);

  snprintf(p, sizeof p, "%s/node", bin);
  touch_exec(p);
  snprintf(p, sizeof p, "%s/luajit", bin);
  touch_exec(p);
  TAP_IS_INT(lvt_vmspec_peer(&s, "wasmoon", &e), LVT_ERR_USAGE, "node but no npm package: absent");
  TAP_OK(strstr(e.msg, "npm package 'wasmoon'") != NULL, "... names the package (%s)", e.msg);
  snprintf(p, sizeof p, "%s/bin", cache);
  mkdir(p, 0755);
  snprintf(p, sizeof p, "%s/bin/glua", cache);
  touch_exec(p);
  snprintf(p, sizeof p, "%s/npm", cache);
  mkdir(p, 0755);
  snprintf(p, sizeof p, "%s/npm/node_modules", cache);
  mkdir(p, 0755);
  snprintf(p, sizeof p, "%s/npm/node_modules/fengari", cache);
  mkdir(p, 0755);
  snprintf(p, sizeof p, "%s/npm/node_modules/fengari/package.json", cache);
  write_text(p, "{\n  \"name\": \"fengari\",\n  \"version\": \"0.1.5\"\n}\n");

  TAP_IS_INT(lvt_vmspec_peer(&s, "gopher-lua", &e), LVT_OK, "gopher-lua from the cache");
  snprintf(p, sizeof p, "%s/bin/glua", cache);
  TAP_IS_STR(s.argv[0], p, "... runs <cache>/bin/glua");
  TAP_OK(s.argv[1] == NULL && s.driver == NULL, "... with lvx.lua, as any Lua command line");
  TAP_IS_INT(s.cfg.dialect, LVT_DIALECT_51, "... dialect 5.1 (its _VERSION says GopherLua)");
  lvt_vmspec_reset(&s);

  TAP_IS_INT(lvt_vmspec_parse(&s, "fengari", "/x", &e), LVT_OK, "--vm fengari (%s)", e.msg);
  snprintf(p, sizeof p, "%s/node", bin);
  TAP_IS_STR(s.argv[0], p, "... runs node");
  TAP_IS_STR(s.cfg.driver, "fengari.js", "... with the fengari.js shim");
  snprintf(p, sizeof p, "NODE_PATH=%s/npm/node_modules", cache);
  TAP_OK(s.env != NULL && strcmp(s.env[0], p) == 0, "... NODE_PATH is the npm cache");
  TAP_OK(s.cfg.rss_watch && s.cfg.rss_limit == 0, "... under an RSS watchdog, not RLIMIT_AS");
  TAP_OK(strstr(s.how, "(npm fengari 0.1.5)") != NULL, "... shown with its release (%s)", s.how);
  TAP_IS_INT(s.cfg.dialect, -1, "... dialect detected");
  lvt_vmspec_reset(&s);

  TAP_IS_INT(lvt_vmspec_parse(&s, "lj-hot", "/x", &e), LVT_OK, "--vm lj-hot");
  TAP_OK(s.argv[1] && strcmp(s.argv[1], "-Ohotloop=1") == 0 && s.argv[2] &&
         strcmp(s.argv[2], "-Ohotexit=1") == 0 && s.argv[3] == NULL,
         "... luajit -Ohotloop=1 -Ohotexit=1");
  lvt_vmspec_reset(&s);
  TAP_IS_INT(lvt_vmspec_parse(&s, "lj-joff", "/x", &e), LVT_OK, "--vm lj-joff");
  TAP_OK(s.argv[1] && strcmp(s.argv[1], "-joff") == 0 && s.argv[2] == NULL, "... luajit -joff");
  lvt_vmspec_reset(&s);

  /* driver= and rss=auto in a key=value spec. */
  TAP_IS_INT(lvt_vmspec_parse(&s, "name=f2,cmd=node,driver=fengari.js,rss=auto", "/x", &e),
             LVT_OK, "driver= and rss=auto (%s)", e.msg);
  TAP_IS_STR(s.cfg.driver, "fengari.js", "... driver=");
  TAP_OK(s.cfg.rss_watch, "... rss=auto");
  lvt_vmspec_reset(&s);
  TAP_IS_INT(lvt_vmspec_parse(&s, "name=f3,cmd=node,driver=../x.js", "/x", &e), LVT_ERR_USAGE,
             "driver= must name an embedded driver");

  if (keep_path) setenv("PATH", keep_path, 1);
  if (keep_cache) setenv("LVT_CACHE_DIR", keep_cache, 1);
  else unsetenv("LVT_CACHE_DIR");
  free(keep_path);
  free(keep_cache);
  snprintf(p, sizeof p, "rm -rf '%s'", cache);
  if (system(p) != 0) {}
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
  peers();
  return tap_done();
}
