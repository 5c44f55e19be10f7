/*
** lvt_suite_harness.c -- lua-Harness (fperrad's TAP suite for Lua
** implementations), from a directory the user gives: the checkout's root
** or its test_lua/.
**
** Each *.t runs alone from a private copy of test_lua/ (the tests write
** scratch files there; HOME is set), the way 'prove --exec "lua -l
** profile_lua54" *.t' runs them: interpreter, "-l <profile>", the file.
** The profile must match the build: it is picked from the detected
** dialect (profile_lua51 ... profile_lua54, profile_luajit20 or _21) unless
** --profile names one. The tests find the interpreter at the lowest
** negative arg index and derive luac as that path + "c", so argv[0] is an
** absolute path.
**
** Files exit 0 even when subtests fail: the TAP is what counts (plan, ok /
** not ok, # skip, # TODO, 1..0 # SKIP), judged like the own suite; a short
** plan, a missing plan or a Lua error fails the file.
*/
#include "lvt_suite_script.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int str_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.t files of 'dir', sorted, into s->files. */
static void list_t(LvtScriptSuite *s, const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *de;
  size_t cap = 0;
  if (d == NULL) return;
  while ((de = readdir(d)) != NULL) {
    size_t n = strlen(de->d_name);
    if (de->d_name[0] == '.' || n < 3 || strcmp(de->d_name + n - 2, ".t") != 0) continue;
    if (s->nfiles == cap) {
      cap = cap ? cap * 2 : 64;
      s->files = lvt_xrealloc(s->files, (cap + 1) * sizeof *s->files);
    }
    s->files[s->nfiles++] = lvt_xstrdup(de->d_name);
  }
  closedir(d);
  if (s->nfiles > 1) qsort(s->files, s->nfiles, sizeof *s->files, str_cmp);
}

/* 1 when 'dir' holds some profile_*.lua. */
static int has_profile(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *de;
  int found = 0;
  if (d == NULL) return 0;
  while (!found && (de = readdir(d)) != NULL)
    found = strncmp(de->d_name, "profile", 7) == 0 && strstr(de->d_name, ".lua") != NULL;
  closedir(d);
  return found;
}

static int h_open(LvtScriptSuite *s, LvtErr *e) {
  LvtBuf dir = LVT_BUF_INIT;
  lvt_buf_addf(&dir, "%s/test_lua", s->root);
  if (!lvt_script_has(dir.data, ".")) {
    lvt_buf_clear(&dir);
    lvt_buf_adds(&dir, s->root);
  }
  list_t(s, dir.data);
  if (s->nfiles == 0 || !has_profile(dir.data)) {
    int rc = lvt_err_set(e, LVT_ERR_USAGE,
                         "%s: not lua-Harness: no test_lua/ with *.t files and profile_*.lua "
                         "(give the checkout's root or its test_lua/)",
                         s->root);
    lvt_buf_reset(&dir);
    return rc;
  }
  s->src = dir.data;
  return LVT_OK;
}

/* The profile module for 'vm' (--profile, else by dialect) into 'buf'. */
static const char *profile_for(const LvtScriptSuite *s, const LvtScriptVm *vm, char *buf,
                               size_t size) {
  if (s->o->profile != NULL) return s->o->profile;
  switch (vm->info->dialect) {
    case LVT_DIALECT_51: return "profile_lua51";
    case LVT_DIALECT_52: return "profile_lua52";
    case LVT_DIALECT_53: return "profile_lua53";
    case LVT_DIALECT_54: return "profile_lua54";
    case LVT_DIALECT_LUAJIT:
      snprintf(buf, size, "%s", strstr(vm->info->version, "LuaJIT 2.0") ? "profile_luajit20"
                                                                         : "profile_luajit21");
      return buf;
    default: return NULL;
  }
}

static const char *h_skip(LvtScriptSuite *s, const LvtScriptVm *vm, char *buf, size_t size) {
  char prof[64], file[80];
  const char *p = profile_for(s, vm, prof, sizeof prof);
  if (p == NULL) {
    snprintf(buf, size, "no lua-Harness profile for the dialect of %s (give --profile)", vm->name);
    return buf;
  }
  snprintf(file, sizeof file, "%s.lua", p);
  if (!lvt_script_has(s->src, file)) {
    snprintf(buf, size, "this lua-Harness has no %s for %s (give --profile)", file, vm->name);
    return buf;
  }
  return NULL;
}

static int h_prepare(LvtScriptSuite *s, const LvtScriptVm *vm, const char *file,
                     const char *copy, LvtScriptCmd *cmd, LvtErr *e) {
  char prof[64];
  size_t i;
  (void)copy, (void)e;
  for (i = 0; vm->cmd[i] != NULL; i++) lvt_script_cmd_add(cmd, vm->cmd[i]);
  lvt_script_cmd_add(cmd, "-l");
  lvt_script_cmd_add(cmd, profile_for(s, vm, prof, sizeof prof));
  lvt_script_cmd_add(cmd, file);
  return LVT_OK;
}

const LvtScriptKind lvt_script_harness = {
    LVT_SUITE_HARNESS, 120000, h_open, NULL, h_skip, h_prepare, lvt_script_judge_tap,
};
