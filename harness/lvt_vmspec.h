/*
** lvt_vmspec.h -- VM specs as users write them ('--vm ref', '--vm lua5.3',
** '--vm /opt/lua', '--vm name=lj-joff,cmd="luajit -joff"', '--vm fengari'),
** the discovery of Lua interpreters on PATH, and the peers: VMs known by
** name that are not a 'lua*' command (LuaJIT modes, gopher-lua, fengari,
** wasmoon), found where ci/bootstrap installs them.
*/
#ifndef LVT_VMSPEC_H
#define LVT_VMSPEC_H

#include "../util/lvt_base.h"
#include "../vm/lvt_vm.h"

/* One VM as named by the user: owns every string its 'cfg' points to. */
typedef struct LvtVmSpec {
  LvtVmConfig cfg;
  char *name;
  char **argv;        /* NULL-terminated, owned */
  char **env;         /* NULL-terminated, owned (may be NULL) */
  char *how;          /* how it is run, for display */
  char *driver;       /* the embedded driver the command runs (owned; NULL =
                      ** lvx.lua) */
  char *resolved;     /* argv[0] resolved on PATH (realpath), or NULL */
  int is_ref;         /* the linked-in reference */
} LvtVmSpec;

void lvt_vmspec_init(LvtVmSpec *s);
void lvt_vmspec_reset(LvtVmSpec *s);

/* Parses one spec. 'self_exe' is the lvtest binary (for 'ref'). Words that
** stand for several VMs ('all', 'system') are not handled here: see
** lvt_vmspec_is_group. Returns LVT_OK or LVT_ERR_USAGE with a message that
** names the spec and says what to do. */
int lvt_vmspec_parse(LvtVmSpec *s, const char *spec, const char *self_exe,
                     LvtErr *e);

/* The spec of the reference VM ('ref'). */
void lvt_vmspec_ref(LvtVmSpec *s, const char *self_exe);

/* 1 for 'all' (ref, the interpreters on PATH and every peer installed) /
** 'system' (the interpreters on PATH), 0 otherwise. '*with_ref' (1 for
** 'all') also says whether the peers are in the group. */
int lvt_vmspec_is_group(const char *spec, int *with_ref /* OUT */);

/* ---------------------------------------------------------------------
** Peers
**   lj-joff     luajit -joff                    (the interpreter only)
**   lj-hot      luajit -Ohotloop=1 -Ohotexit=1  (traces form at once)
**   gopher-lua  <cache>/bin/glua (else 'glua' on PATH), dialect 5.1
**   fengari     node fengari.js, npm package in <cache>/npm/node_modules
**   wasmoon     node wasmoon.js, npm package in <cache>/npm/node_modules
** <cache> is lvt_cache_dir(); ci/bootstrap installs the last three.
** --------------------------------------------------------------------- */
#define LVT_NPEERS 5
extern const char *const lvt_peer_names[LVT_NPEERS];   /* in that order */

/* 1 when 'name' is a peer's name. */
int lvt_peer_is(const char *name);

/* Builds the spec of peer 'name' (one of lvt_peer_names). Returns LVT_OK,
** or LVT_ERR_USAGE when it is not installed here, with why in 'e' ("node
** not found on PATH", "not installed: run ci/bootstrap ...") and 's'
** reset. */
int lvt_vmspec_peer(LvtVmSpec *s, const char *name, LvtErr *e);

/* lvtest's cache directory, where ci/bootstrap puts what it fetches and
** builds: $LVT_CACHE_DIR, else $XDG_CACHE_HOME/lvtest, else
** $HOME/.cache/lvtest. Returns a malloc'd path. */
char *lvt_cache_dir(void);

/* Splits a command line with shell-like quoting ('...', "...", \x) into a
** NULL-terminated argv (owned). Returns LVT_OK or LVT_ERR_USAGE. */
int lvt_split_command(const char *cmd, char ***argv, LvtErr *e);
void lvt_strv_free(char **v);

/* Looks 'name' up on PATH (or takes it as a path when it has a '/').
** Returns a malloc'd absolute path, or NULL when not found/executable. */
char *lvt_which(const char *name);

/* ---------------------------------------------------------------------
** Discovery
** --------------------------------------------------------------------- */
typedef struct LvtFound {
  char *name;          /* the first name seen, by preference order */
  char *path;          /* where that name is */
  char *real;          /* realpath: what identifies the binary */
  char **aliases;      /* other names of the same binary (NULL-terminated) */
} LvtFound;

/* Scans the directories of 'path_env' (PATH when NULL) for executables
** named lua* that may be interpreters (luac*, luarocks* and the like are
** left out), one entry per distinct binary, ordered lua5.1, lua5.2, lua5.3,
** lua5.4, luajit, then by name. Returns the count; '*out' is owned. */
size_t lvt_discover(const char *path_env, LvtFound **out);
void lvt_found_free(LvtFound *f, size_t n);

#endif
