/*
** lvt_norm.h -- normalisation of program output before comparison: what
** legitimately differs between two runs of the same program (addresses,
** the way a VM spells the program's chunk name, whatever a user's rules
** say) is rewritten to one stable spelling.
**
** Pure: no I/O except lvt_norm_load_rules reading its file. Binary-safe:
** outputs hold NULs and bytes that are not UTF-8, so every function takes
** explicit lengths and regexes run in byte mode unless a rule asks for UTF.
**
** Order of application: built-in rules (addresses, then chunk names), then
** user rules in the order they were added.
*/
#ifndef LVT_NORM_H
#define LVT_NORM_H

#include <stddef.h>

#include "../util/lvt_base.h"

/* Built-in rules, as a bit set for lvt_norm_new. */
enum {
  /* "table: 0x55d0c..." -> "table: 0x1": the first distinct address in one
  ** output becomes 0x1, the next 0x2..., so identity survives ("the same
  ** table printed twice"). Covers table, function, thread, userdata, proto,
  ** LuaJIT's "function: builtin#29", "function: builtin: 0x..." and
  ** "cdata<T>: 0x...", "file (0x...)" and LuaJIT's "[C]: at 0x...". */
  LVT_NORM_ADDRESSES = 1 << 0,
  /* The program's own chunk name, as a VM spells it in messages and
  ** tracebacks, followed by ":<line>": "prog.lua:12", "/tmp/x/prog.lua:12",
  ** "...x/prog.lua:12", '[string "prog.lua"]:12', '[string "pr..."]:12'
  ** -> "<chunk>:12". */
  LVT_NORM_CHUNKNAME = 1 << 1,
  LVT_NORM_DEFAULT = LVT_NORM_ADDRESSES | LVT_NORM_CHUNKNAME
};

/* What a chunk name becomes. */
#define LVT_NORM_CHUNK "<chunk>"

typedef struct LvtNorm LvtNorm;

/* Returns a normaliser with the built-in rules in 'builtins' (LVT_NORM_*
** bits; 0 = none) and no user rules. Free with lvt_norm_free. */
LvtNorm *lvt_norm_new(unsigned builtins);
void lvt_norm_free(LvtNorm *n);   /* NULL-safe */

/* Adds one user rule in the rules-file syntax (see below). 'where' names
** the rule in messages ("rules.txt:3"; NULL = "rule"). A blank rule or a
** '#' comment adds nothing and succeeds. Returns LVT_OK, or LVT_ERR_USAGE
** with 'e' set ("rules.txt:3: regex 'a(b': missing closing parenthesis
** (at offset 3)"); 'n' is unchanged on error.
**
** Syntax, one rule per line:   s/REGEX/REPLACEMENT/FLAGS   # comment
**   - any delimiter that is not alphanumeric, '\', a space or a newline may
**     replace '/'; a delimiter escaped with '\' inside REGEX or
**     REPLACEMENT stands for itself;
**   - REGEX is PCRE2 syntax, matched against bytes (no UTF mode);
**   - REPLACEMENT is PCRE2 extended substitution syntax: $1, ${1}, $name,
**     $$ for '$', \n \t \\ and ${1:-default};
**   - every match is replaced (no 'g' needed; 'g' is accepted);
**   - FLAGS: i (caseless), m (multiline ^ $), s (dot matches newline),
**     x (extended pattern syntax), u (UTF-8 mode; invalid UTF-8 in the
**     output never matches a character but does not fail). */
int lvt_norm_add_rule(LvtNorm *n, const char *rule, const char *where,
                      LvtErr *e);

/* Adds every rule of the file at 'path'. Returns LVT_OK, LVT_ERR_IO
** ("rules.txt: No such file or directory") or LVT_ERR_USAGE naming the
** file and line of the first bad rule; on error no rule of the file is
** kept. */
int lvt_norm_load_rules(LvtNorm *n, const char *path, LvtErr *e);

/* Number of user rules added so far. */
int lvt_norm_rule_count(const LvtNorm *n);

/* Normalises 'len' bytes at 'data' into 'out' (its content is replaced).
** 'chunkname' is the program's chunk name (as in LvtProgram.name; a
** leading '=' or '@' is ignored); NULL or "" skips the chunk-name rule. 'n' may be NULL:
** then 'out' receives 'data' unchanged. Returns LVT_OK, or LVT_ERR_USAGE
** when a user rule fails on this input (PCRE2's match limit, say), with the
** rule named in 'e'; 'out' then holds the input unchanged. Thread-safe:
** 'n' is only read. */
int lvt_norm_apply(const LvtNorm *n, const char *data, size_t len,
                   const char *chunkname, LvtBuf *out, LvtErr *e);

#endif
