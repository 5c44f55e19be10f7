/*
** lvt_spawn.h -- running one command to completion the way a test suite
** needs it: in a directory of its own, with an environment that lvtest
** chose, standard input an empty pipe (non-seekable, at end of file at
** once), standard output and error written to files (never to pipes that
** an orphaned grandchild could hold open), in a process group of its own
** that is killed as a whole at the end, under resource limits and a wall
** clock. Used by the runners of whole-script suites (the official Lua
** test suite, lua-Harness, LuaJIT-tests); the persistent LVX children of
** vm/lvt_proc.c share the child-side set-up (lvt_spawn_child_setup).
**
** Thread-safe: several threads may run commands at once.
*/
#ifndef LVT_SPAWN_H
#define LVT_SPAWN_H

#include <stddef.h>
#include <sys/types.h>

#include "lvt_base.h"

typedef struct LvtSpawn {
  char *const *argv;       /* NULL-terminated; argv[0] is a path (with a
                           ** '/') or found on PATH */
  char *const *env;        /* the whole environment, NULL-terminated */
  const char *cwd;         /* directory to run in; NULL: lvtest's own */
  const char *out_path;    /* standard output goes here (created or
                           ** truncated); NULL: /dev/null */
  const char *err_path;    /* standard error; NULL: /dev/null; may equal
                           ** out_path (one file, both streams) */
  unsigned timeout_ms;     /* wall clock; 0 = none */
  size_t as_limit;         /* RLIMIT_AS in bytes; 0 = inherit */
  size_t stack_soft;       /* soft RLIMIT_STACK in bytes; 0 = inherit */
  size_t fsize_limit;      /* RLIMIT_FSIZE in bytes; 0 = LVT_SPAWN_FSIZE */
  unsigned cpu_limit_s;    /* soft RLIMIT_CPU in seconds; 0 = inherit */
  int pin_cpu;             /* pin to CPU 'pin_cpu - 1'; 0 = any */
} LvtSpawn;

/* The default cap on every file the child writes (its output included):
** a flood ends in EFBIG, not in a full disk. */
#define LVT_SPAWN_FSIZE ((size_t)256 << 20)

typedef struct LvtSpawnResult {
  int exited;              /* ended by exit(); 'code' holds the status */
  int code;
  int signal;              /* ended by this signal (0 when it exited) */
  int timed_out;           /* killed by lvtest at the wall clock */
  double wall_ms;
} LvtSpawnResult;

/* Fills 's' with the defaults: no argv, no environment, no limits. */
void lvt_spawn_init(LvtSpawn *s);

/* Runs 's' to completion and fills 'r'. When the command's process ends
** (or the wall clock does), its whole process group is killed, so nothing
** it started outlives it. Returns LVT_OK (whatever the command did; see
** 'r'), or LVT_ERR_SPAWN when it could not be started ("exec
** /usr/bin/lua5.9: No such file or directory"), LVT_ERR_IO when an output
** file cannot be created. */
int lvt_spawn_run(const LvtSpawn *s, LvtSpawnResult *r /* OUT */, LvtErr *e);

/* One line for people: "exit 0", "exit 1", "signal 11 (Segmentation
** fault)", "timeout after 5000 ms". Into 'buf' of 'size' bytes; returns
** buf. */
const char *lvt_spawn_describe(const LvtSpawnResult *r, unsigned timeout_ms, char *buf,
                               size_t size);

/* What a child does between fork and exec, for every lvtest child: its own
** process group; SIGPIPE, SIGHUP and SIGINT back to their defaults and
** SIGXFSZ ignored (a write past the file cap fails rather than kills); no
** blocked signal; stdin/stdout/stderr from 'in'/'out'/'err'; every other
** descriptor closed at exec except 'keep' (-1: none); no core files; file
** and descriptor caps. Only async-signal-safe calls. Returns 0, or -1
** with errno set. */
int lvt_spawn_child_setup(int in, int out, int err, int keep, size_t fsize_limit);

/* Directory trees (util/lvt_file.c). */

/* Copies the tree at 'src' into 'dst' (created; must not exist): regular
** files, directories and symbolic links, modes kept. Returns LVT_OK or
** LVT_ERR_IO naming the file. */
int lvt_copy_tree(const char *src, const char *dst, LvtErr *e);

/* Removes 'path' and everything below it; NULL-safe, never fails loudly. */
void lvt_remove_tree(const char *path);

/* Reads at most 'max' bytes of 'path' into 'out' (cleared first); sets
** '*truncated' when the file was longer. LVT_OK or LVT_ERR_IO. */
int lvt_read_file(const char *path, size_t max, LvtBuf *out, int *truncated /* OUT */,
                  LvtErr *e);

/* Writes 'data[0..len)' to 'path' (created or truncated). LVT_OK or
** LVT_ERR_IO. */
int lvt_write_file(const char *path, const void *data, size_t len, LvtErr *e);

#endif
