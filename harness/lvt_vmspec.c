/*
** lvt_vmspec.c -- parsing VM specs and discovering interpreters on PATH.
*/
#include "lvt_vmspec.h"
#include "lvt_opts.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void lvt_strv_free(char **v) {
  size_t i;
  if (v == NULL) return;
  for (i = 0; v[i] != NULL; i++) free(v[i]);
  free(v);
}

static void strv_push(char ***v, size_t *n, char *s) {
  *v = lvt_xrealloc(*v, (*n + 2) * sizeof **v);
  (*v)[(*n)++] = s;
  (*v)[*n] = NULL;
}

void lvt_vmspec_init(LvtVmSpec *s) {
  memset(s, 0, sizeof *s);
  s->cfg.dialect = -1;
}

void lvt_vmspec_reset(LvtVmSpec *s) {
  free(s->name);
  lvt_strv_free(s->argv);
  lvt_strv_free(s->env);
  free(s->how);
  free(s->driver);
  free(s->resolved);
  lvt_vmspec_init(s);
}

/* =====================================================================
** Command lines
** ===================================================================== */
int lvt_split_command(const char *cmd, char ***argv, LvtErr *e) {
  char **v = NULL;
  size_t n = 0;
  const char *p = cmd;
  LvtBuf word = LVT_BUF_INIT;
  *argv = NULL;
  for (;;) {
    int in_word = 0;
    while (*p == ' ' || *p == '\t') p++;
    if (*p == '\0') break;
    lvt_buf_clear(&word);
    while (*p != '\0' && *p != ' ' && *p != '\t') {
      in_word = 1;
      if (*p == '\'' || *p == '"') {
        char q = *p++;
        while (*p != '\0' && *p != q) {
          if (q == '"' && *p == '\\' && p[1] != '\0') p++;
          lvt_buf_addc(&word, *p++);
        }
        if (*p != q) {
          lvt_buf_reset(&word);
          lvt_strv_free(v);
          return lvt_err_set(e, LVT_ERR_USAGE, "unterminated %c quote in '%s'", q, cmd);
        }
        p++;
      } else if (*p == '\\' && p[1] != '\0') {
        lvt_buf_addc(&word, p[1]);
        p += 2;
      } else {
        lvt_buf_addc(&word, *p++);
      }
    }
    if (in_word) strv_push(&v, &n, lvt_xstrndup(lvt_buf_str(&word), word.len));
  }
  lvt_buf_reset(&word);
  if (n == 0) return lvt_err_set(e, LVT_ERR_USAGE, "empty command '%s'", cmd);
  *argv = v;
  return LVT_OK;
}

char *lvt_which(const char *name) {
  const char *path = getenv("PATH");
  char buf[PATH_MAX];
  if (name == NULL || *name == '\0') return NULL;
  if (strchr(name, '/') != NULL) {
    if (access(name, X_OK) != 0 || realpath(name, buf) == NULL) return NULL;
    return lvt_xstrdup(buf);
  }
  if (path == NULL) path = "/usr/local/bin:/usr/bin:/bin";
  while (*path) {
    const char *colon = strchr(path, ':');
    size_t n = colon ? (size_t)(colon - path) : strlen(path);
    char cand[PATH_MAX];
    struct stat st;
    if (n > 0 && n + strlen(name) + 2 < sizeof cand) {
      memcpy(cand, path, n);
      cand[n] = '/';
      strcpy(cand + n + 1, name);
      if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0)
        return lvt_xstrdup(cand);
    }
    path += n + (colon ? 1 : 0);
  }
  return NULL;
}

/* =====================================================================
** Specs
** ===================================================================== */
void lvt_vmspec_ref(LvtVmSpec *s, const char *self_exe) {
  size_t n = 0;
  lvt_vmspec_init(s);
  s->name = lvt_xstrdup("ref");
  strv_push(&s->argv, &n, lvt_xstrdup(self_exe));
  strv_push(&s->argv, &n, lvt_xstrdup("__lvx-ref"));
  s->how = lvt_xstrdup("linked in; worker 'lvtest __lvx-ref'");
  s->is_ref = 1;
  s->cfg.name = s->name;
  s->cfg.backend = LVT_BACKEND_PROC;
  s->cfg.argv = s->argv;
  s->cfg.speaks_lvx = 1;
}

/* =====================================================================
** Peers
** ===================================================================== */
const char *const lvt_peer_names[LVT_NPEERS] = {
  "lj-joff", "lj-hot", "gopher-lua", "fengari", "wasmoon"
};

typedef enum PeerKind { PEER_LUAJIT, PEER_GLUA, PEER_NODE } PeerKind;

static char *join_argv(char *const *argv);

static const struct PeerDef {
  const char *name;
  PeerKind kind;
  const char *a, *b;    /* luajit options; npm package and its shim */
} peer_defs[LVT_NPEERS] = {
  {"lj-joff", PEER_LUAJIT, "-joff", NULL},
  {"lj-hot", PEER_LUAJIT, "-Ohotloop=1", "-Ohotexit=1"},
  {"gopher-lua", PEER_GLUA, NULL, NULL},
  {"fengari", PEER_NODE, "fengari", "fengari.js"},
  {"wasmoon", PEER_NODE, "wasmoon", "wasmoon.js"},
};

char *lvt_cache_dir(void) {
  const char *d = getenv("LVT_CACHE_DIR"), *x = getenv("XDG_CACHE_HOME"),
             *h = getenv("HOME");
  LvtBuf b = LVT_BUF_INIT;
  if (d != NULL && *d) lvt_buf_adds(&b, d);
  else if (x != NULL && *x) lvt_buf_addf(&b, "%s/lvtest", x);
  else lvt_buf_addf(&b, "%s/.cache/lvtest", h != NULL && *h ? h : "/tmp");
  return b.data;
}

int lvt_peer_is(const char *name) {
  size_t i;
  for (i = 0; i < LVT_NPEERS; i++)
    if (strcmp(name, lvt_peer_names[i]) == 0) return 1;
  return 0;
}

/* The "version" of an npm package.json (a plain scan: the file is
** npm's), or "?". */
static void npm_version(const char *pkgjson, char *out, size_t size) {
  FILE *f = fopen(pkgjson, "r");
  char line[256];
  snprintf(out, size, "?");
  if (f == NULL) return;
  while (fgets(line, sizeof line, f) != NULL) {
    const char *p = strstr(line, "\"version\"");
    const char *q;
    if (p == NULL || (p = strchr(p + 9, '"')) == NULL) continue;
    q = strchr(++p, '"');
    if (q != NULL) snprintf(out, size, "%.*s", (int)(q - p), p);
    break;
  }
  fclose(f);
}

int lvt_vmspec_peer(LvtVmSpec *s, const char *name, LvtErr *e) {
  const struct PeerDef *d = NULL;
  char *cache = lvt_cache_dir(), *exe = NULL;
  LvtBuf b = LVT_BUF_INIT;
  size_t n = 0, i;
  int rc = LVT_OK;
  lvt_vmspec_init(s);
  for (i = 0; i < LVT_NPEERS; i++)
    if (strcmp(name, peer_defs[i].name) == 0) d = &peer_defs[i];
  if (d == NULL) {
    rc = lvt_err_set(e, LVT_ERR_USAGE, "%s: not a peer", name);
    goto done;
  }
  switch (d->kind) {
    case PEER_LUAJIT:
      exe = lvt_which("luajit");
      if (exe == NULL) {
        rc = lvt_err_set(e, LVT_ERR_USAGE, "luajit not found on PATH (ci/bootstrap installs it)");
        goto done;
      }
      strv_push(&s->argv, &n, exe);
      strv_push(&s->argv, &n, lvt_xstrdup(d->a));
      if (d->b != NULL) strv_push(&s->argv, &n, lvt_xstrdup(d->b));
      s->how = join_argv(s->argv);
      break;
    case PEER_GLUA:
      lvt_buf_addf(&b, "%s/bin/glua", cache);
      exe = lvt_which(b.data);
      if (exe == NULL) exe = lvt_which("glua");
      if (exe == NULL) {
        rc = lvt_err_set(e, LVT_ERR_USAGE,
                         "not installed: run ci/bootstrap (it builds glua into %s/bin)", cache);
        goto done;
      }
      strv_push(&s->argv, &n, exe);
      s->cfg.dialect = LVT_DIALECT_51;     /* _VERSION says "GopherLua 0.1" */
      s->how = lvt_xstrdup(exe);
      break;
    case PEER_NODE: {
      char ver[32];
      exe = lvt_which("node");
      if (exe == NULL) {
        rc = lvt_err_set(e, LVT_ERR_USAGE, "node not found on PATH (ci/bootstrap installs Debian's nodejs)");
        goto done;
      }
      lvt_buf_addf(&b, "%s/npm/node_modules/%s/package.json", cache, d->a);
      if (access(b.data, R_OK) != 0) {
        free(exe);
        rc = lvt_err_set(e, LVT_ERR_USAGE,
                         "not installed: run ci/bootstrap (npm package '%s' into %s/npm)", d->a, cache);
        goto done;
      }
      npm_version(b.data, ver, sizeof ver);
      strv_push(&s->argv, &n, exe);
      s->driver = lvt_xstrdup(d->b);
      lvt_buf_clear(&b);
      lvt_buf_addf(&b, "NODE_PATH=%s/npm/node_modules", cache);
      n = 0;
      strv_push(&s->env, &n, lvt_xstrdup(b.data));
      lvt_buf_clear(&b);
      lvt_buf_addf(&b, "%s %s (npm %s %s)", exe, d->b, d->a, ver);
      s->how = lvt_xstrdup(b.data);
      s->cfg.rss_watch = 1;   /* V8 and wasm reserve more address space than RLIMIT_AS allows */
      break;
    }
  }
  s->name = lvt_xstrdup(d->name);
  s->resolved = lvt_xstrdup(s->argv[0]);
  s->cfg.name = s->name;
  s->cfg.argv = s->argv;
  s->cfg.env = s->env;
  s->cfg.driver = s->driver;
done:
  if (rc != LVT_OK) lvt_vmspec_reset(s);
  lvt_buf_reset(&b);
  free(cache);
  return rc;
}

int lvt_vmspec_is_group(const char *spec, int *with_ref) {
  if (strcmp(spec, "all") == 0) {
    *with_ref = 1;
    return 1;
  }
  if (strcmp(spec, "system") == 0) {
    *with_ref = 0;
    return 1;
  }
  return 0;
}

/* Joins argv for display, quoting words with spaces. */
static char *join_argv(char *const *argv) {
  LvtBuf b = LVT_BUF_INIT;
  size_t i;
  for (i = 0; argv[i] != NULL; i++) {
    if (i) lvt_buf_addc(&b, ' ');
    if (strpbrk(argv[i], " \t'\"") != NULL) lvt_buf_addf(&b, "'%s'", argv[i]);
    else lvt_buf_adds(&b, argv[i]);
  }
  return b.data != NULL ? b.data : lvt_xstrdup("");
}

/* The last path component. */
static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

/* Reads the next "key=value" item of a key-value spec; values may be
** quoted. Advances '*p' past the item and a following ','. */
static int next_item(const char **p, LvtBuf *key, LvtBuf *val, LvtErr *e,
                     const char *spec) {
  const char *s = *p;
  lvt_buf_clear(key);
  lvt_buf_clear(val);
  while (*s && *s != '=' && *s != ',') lvt_buf_addc(key, *s++);
  if (*s != '=')
    return lvt_err_set(e, LVT_ERR_USAGE,
                       "--vm '%s': item '%s' is not key=value", spec, lvt_buf_str(key));
  s++;
  while (*s && *s != ',') {
    if (*s == '"' || *s == '\'') {
      /* Keep the quotes: cmd= is split later with the same rules, and a
      ** quoted value may contain commas. */
      char q = *s;
      lvt_buf_addc(val, *s++);
      while (*s && *s != q) {
        if (q == '"' && *s == '\\' && s[1]) lvt_buf_addc(val, *s++);
        lvt_buf_addc(val, *s++);
      }
      if (*s != q)
        return lvt_err_set(e, LVT_ERR_USAGE, "--vm '%s': unterminated %c quote", spec, q);
      lvt_buf_addc(val, *s++);
    } else {
      lvt_buf_addc(val, *s++);
    }
  }
  if (*s == ',') s++;
  *p = s;
  return LVT_OK;
}

/* Removes one level of quotes from a value that is not a command line. */
static char *unquote(const char *v, LvtErr *e) {
  char **w;
  char *r;
  if (*v == '\0') return lvt_xstrdup("");
  if (lvt_split_command(v, &w, e) != LVT_OK) return NULL;
  r = lvt_xstrdup(w[0]);
  lvt_strv_free(w);
  return r;
}

/* A command value may come quoted as a whole (cmd="luajit -joff" when the
** shell did not eat the quotes) or not (cmd=luajit -joff when it did):
** returns the value without a pair of quotes that encloses all of it. */
static char *strip_outer_quotes(const char *v) {
  size_t n = strlen(v), i;
  if (n >= 2 && (v[0] == '"' || v[0] == '\'')) {
    for (i = 1; i < n && v[i] != v[0]; i++)
      if (v[0] == '"' && v[i] == '\\' && i + 1 < n) i++;
    if (i == n - 1) return lvt_xstrndup(v + 1, n - 2);
  }
  return lvt_xstrdup(v);
}

static int parse_kv(LvtVmSpec *s, const char *spec, const char *self_exe, LvtErr *e) {
  LvtBuf key = LVT_BUF_INIT, val = LVT_BUF_INIT;
  const char *p = spec;
  char **args = NULL;
  size_t nenv = 0;
  int rc = LVT_OK, have_cmd = 0;
  while (*p && rc == LVT_OK) {
    const char *k, *v;
    unsigned long long n;
    rc = next_item(&p, &key, &val, e, spec);
    if (rc != LVT_OK) break;
    k = lvt_buf_str(&key);
    v = lvt_buf_str(&val);
    if (strcmp(k, "name") == 0) {
      char *u = unquote(v, e);
      if (u == NULL || *u == '\0') {
        free(u);
        rc = lvt_err_set(e, LVT_ERR_USAGE, "--vm '%s': empty name", spec);
        break;
      }
      free(s->name);
      s->name = u;
    } else if (strcmp(k, "cmd") == 0) {
      char *c = strip_outer_quotes(v);
      lvt_strv_free(s->argv);
      s->argv = NULL;
      rc = lvt_split_command(c, &s->argv, e);
      free(c);
      if (rc != LVT_OK) lvt_err_prefix(e, "--vm '%s': cmd", spec);
      have_cmd = 1;
    } else if (strcmp(k, "args") == 0) {
      char *c = strip_outer_quotes(v);
      lvt_strv_free(args);
      args = NULL;
      rc = lvt_split_command(c, &args, e);
      free(c);
      if (rc != LVT_OK) lvt_err_prefix(e, "--vm '%s': args", spec);
    } else if (strcmp(k, "dialect") == 0) {
      int d = lvt_dialect_parse(v);
      if (d < 0)
        rc = lvt_err_set(e, LVT_ERR_USAGE,
                         "--vm '%s': unknown dialect '%s' (5.1, 5.2, 5.3, 5.4, luajit)", spec, v);
      s->cfg.dialect = d;
    } else if (strcmp(k, "env") == 0) {
      char *u = unquote(v, e);
      if (u == NULL || strchr(u, '=') == NULL || u[0] == '=') {
        free(u);
        rc = lvt_err_set(e, LVT_ERR_USAGE, "--vm '%s': env= wants NAME=VALUE", spec);
        break;
      }
      strv_push(&s->env, &nenv, u);
    } else if (strcmp(k, "restart") == 0) {
      if (lvt_parse_uint(v, 0xffffffffULL, &n) != 0)
        rc = lvt_err_set(e, LVT_ERR_USAGE, "--vm '%s': restart= wants a whole number", spec);
      s->cfg.restart_every = (unsigned)n;
    } else if (strcmp(k, "rss") == 0 && strcmp(v, "auto") == 0) {
      s->cfg.rss_watch = 1;
    } else if (strcmp(k, "driver") == 0) {
      char *u = unquote(v, e);
      if (u == NULL || lvt_embedded_find(u) == NULL || strchr(u, '/') != NULL) {
        rc = lvt_err_set(e, LVT_ERR_USAGE,
                         "--vm '%s': driver= names an embedded driver (lvx.lua, fengari.js, wasmoon.js)",
                         spec);
        free(u);
        break;
      }
      free(s->driver);
      s->driver = u;
    } else if (strcmp(k, "rss") == 0) {
      size_t sz;
      if (lvt_parse_size(v, &sz) != 0)
        rc = lvt_err_set(e, LVT_ERR_USAGE, "--vm '%s': rss= wants a size (512M, 2G)", spec);
      s->cfg.rss_limit = sz;
    } else if (strcmp(k, "lvx") == 0) {
      s->cfg.speaks_lvx = strcmp(v, "1") == 0 || strcmp(v, "yes") == 0 || strcmp(v, "true") == 0;
    } else {
      rc = lvt_err_set(e, LVT_ERR_USAGE,
                       "--vm '%s': unknown key '%s' (name, cmd, args, dialect, env, restart, rss, lvx, driver)",
                       spec, k);
    }
  }
  lvt_buf_reset(&key);
  lvt_buf_reset(&val);
  if (rc == LVT_OK && !have_cmd) {
    if (s->name != NULL && strcmp(s->name, "ref") == 0) {
      /* name=ref with options: the reference under another config */
      char *keepname = s->name;
      char **keepenv = s->env;
      int d = s->cfg.dialect;
      unsigned re = s->cfg.restart_every;
      s->name = NULL;
      s->env = NULL;
      lvt_vmspec_reset(s);
      lvt_vmspec_ref(s, self_exe);
      free(s->name);
      s->name = keepname;
      s->env = keepenv;
      s->cfg.dialect = d;
      s->cfg.restart_every = re;
    } else {
      rc = lvt_err_set(e, LVT_ERR_USAGE, "--vm '%s': needs cmd=\"COMMAND ARGS\"", spec);
    }
  }
  if (rc == LVT_OK && args != NULL) {
    size_t n = 0, i;
    while (s->argv[n] != NULL) n++;
    for (i = 0; args[i] != NULL; i++) strv_push(&s->argv, &n, lvt_xstrdup(args[i]));
  }
  lvt_strv_free(args);
  return rc;
}

int lvt_vmspec_parse(LvtVmSpec *s, const char *spec, const char *self_exe, LvtErr *e) {
  int rc = LVT_OK;
  lvt_vmspec_init(s);
  if (spec == NULL || *spec == '\0')
    return lvt_err_set(e, LVT_ERR_USAGE, "--vm: empty VM spec (try 'lvtest vms')");
  if (strcmp(spec, "ref") == 0) {
    lvt_vmspec_ref(s, self_exe);
    return LVT_OK;
  }
  if (lvt_peer_is(spec)) {
    rc = lvt_vmspec_peer(s, spec, e);
    if (rc != LVT_OK) lvt_err_prefix(e, "--vm %s", spec);
    return rc;
  }
  if (strchr(spec, '=') != NULL) {
    rc = parse_kv(s, spec, self_exe, e);
  } else {
    size_t n = 0;
    strv_push(&s->argv, &n, lvt_xstrdup(spec));
    s->name = lvt_xstrdup(base_name(spec));
  }
  if (rc != LVT_OK) {
    lvt_vmspec_reset(s);
    return rc;
  }
  if (!s->is_ref) {
    s->resolved = lvt_which(s->argv[0]);
    if (s->resolved == NULL) {
      rc = lvt_err_set(e, LVT_ERR_USAGE,
                       strchr(s->argv[0], '/') ? "--vm %s: '%s' is not an executable file (try 'lvtest vms')"
                                               : "--vm %s: '%s': no such command on PATH (try 'lvtest vms')",
                       spec, s->argv[0]);
      lvt_vmspec_reset(s);
      return rc;
    }
    if (s->name == NULL) s->name = lvt_xstrdup(base_name(s->argv[0]));
    {
      /* shown with the path it was found at */
      char *arg0 = s->argv[0];
      s->argv[0] = s->resolved;
      s->how = join_argv(s->argv);
      s->argv[0] = arg0;
    }
  }
  s->cfg.name = s->name;
  s->cfg.argv = s->argv;
  s->cfg.env = s->env;
  s->cfg.driver = s->driver;
  return LVT_OK;
}

/* =====================================================================
** Discovery
** ===================================================================== */

/* Names that start with "lua" but are not interpreters. */
static int not_an_interpreter(const char *name) {
  static const char *const prefixes[] = {
    "luac", "luarocks", "lua-config", "luadoc", "luacheck", "luaotfload",
    "luatex", "lualatex", "luahbtex", "luajittex", "luaformatter", "lua-format",
  };
  size_t i;
  for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
    if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0) return 1;
  return 0;
}

static int rank(const char *name) {
  static const char *const order[] = {"lua5.1", "lua5.2", "lua5.3", "lua5.4", "luajit", "lua"};
  size_t i;
  for (i = 0; i < sizeof order / sizeof order[0]; i++)
    if (strcmp(name, order[i]) == 0) return (int)i;
  return 100;
}

static int found_cmp(const void *a, const void *b) {
  const LvtFound *x = a, *y = b;
  int rx = rank(x->name), ry = rank(y->name);
  if (rx != ry) return rx - ry;
  return strcmp(x->name, y->name);
}

size_t lvt_discover(const char *path_env, LvtFound **out) {
  LvtFound *v = NULL;
  size_t n = 0;
  const char *path = path_env ? path_env : getenv("PATH");
  if (path == NULL) path = "/usr/local/bin:/usr/bin:/bin";
  while (*path) {
    const char *colon = strchr(path, ':');
    size_t len = colon ? (size_t)(colon - path) : strlen(path);
    char dir[PATH_MAX];
    DIR *d;
    struct dirent *de;
    if (len == 0 || len >= sizeof dir) goto next;
    memcpy(dir, path, len);
    dir[len] = '\0';
    if ((d = opendir(dir)) == NULL) goto next;
    while ((de = readdir(d)) != NULL) {
      char full[PATH_MAX], real[PATH_MAX];
      struct stat st;
      size_t i;
      if (strncmp(de->d_name, "lua", 3) != 0 || not_an_interpreter(de->d_name)) continue;
      if ((size_t)snprintf(full, sizeof full, "%s/%s", dir, de->d_name) >= sizeof full) continue;
      if (stat(full, &st) != 0 || !S_ISREG(st.st_mode) || access(full, X_OK) != 0) continue;
      if (realpath(full, real) == NULL) continue;
      for (i = 0; i < n; i++) {
        if (strcmp(v[i].real, real) == 0) {
          /* same binary: keep the better-ranked name, the other as alias */
          size_t na = 0;
          char *alias = lvt_xstrdup(de->d_name);
          while (v[i].aliases && v[i].aliases[na]) {
            if (strcmp(v[i].aliases[na], de->d_name) == 0) break;
            na++;
          }
          /* the same name in two PATH directories (/bin -> /usr/bin) */
          if (strcmp(v[i].name, de->d_name) == 0 || (v[i].aliases && v[i].aliases[na])) {
            free(alias);
            break;
          }
          if (rank(de->d_name) < rank(v[i].name) ||
              (rank(de->d_name) == rank(v[i].name) && strcmp(de->d_name, v[i].name) < 0)) {
            free(alias);
            alias = v[i].name;
            v[i].name = lvt_xstrdup(de->d_name);
            free(v[i].path);
            v[i].path = lvt_xstrdup(full);
          }
          strv_push(&v[i].aliases, &na, alias);
          break;
        }
      }
      if (i < n) continue;
      v = lvt_xrealloc(v, (n + 1) * sizeof *v);
      v[n].name = lvt_xstrdup(de->d_name);
      v[n].path = lvt_xstrdup(full);
      v[n].real = lvt_xstrdup(real);
      v[n].aliases = NULL;
      n++;
    }
    closedir(d);
  next:
    path += len + (colon ? 1 : 0);
  }
  if (n > 1) qsort(v, n, sizeof *v, found_cmp);
  *out = v;
  return n;
}

void lvt_found_free(LvtFound *f, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    free(f[i].name);
    free(f[i].path);
    free(f[i].real);
    lvt_strv_free(f[i].aliases);
  }
  free(f);
}
