/*
** lvt_meta.h -- Lua source rewriting: a parser for Lua 5.1-5.4 (a superset
** grammar: goto, labels, attributes, integer division, bitwise operators),
** semantics-preserving metamorphic variants, and mutators that keep
** programs parseable. One C core serves the 'lvtest fuzz' loop, the
** libFuzzer custom mutator hooks and the AFL++ custom mutator.
**
** All functions are deterministic in their inputs and seed, thread-safe
** (no global state), and work on any Lua source, not only generated ones.
*/
#ifndef LVT_META_H
#define LVT_META_H

#include <stddef.h>
#include <stdint.h>

#include "../util/lvt_base.h"
#include "lvt_gen.h"

/* Metamorphic rewrites (bits; a variant applies a random subset). */
enum {
  LVT_META_CONST_LOCAL   = 1u << 0,  /* constant -> a local holding it */
  LVT_META_CONST_UPVAL   = 1u << 1,  /* ... an upvalue of a closure */
  LVT_META_CONST_FIELD   = 1u << 2,  /* ... a table field */
  LVT_META_CONST_CALL    = 1u << 3,  /* ... a function call returning it */
  LVT_META_PAREN         = 1u << 4,  /* single-value expr -> (expr) */
  LVT_META_IIFE          = 1u << 5,  /* expr -> (function() return e end)() */
  LVT_META_DO_WRAP       = 1u << 6,  /* statements -> do ... end */
  LVT_META_FOR_WHILE     = 1u << 7,  /* numeric for -> while (when exact) */
  LVT_META_DEAD_CODE     = 1u << 8,  /* EMI: code behind a run-time-false
                                     ** condition */
  LVT_META_RENAME        = 1u << 9,  /* locals renamed */
  LVT_META_ALL           = (1u << 10) - 1
};

/* Writes variant number 'k' (1, 2, ...) of 'src' into 'out' (cleared
** first): the same program rewritten so that it must produce the same
** result on any one VM of dialect 'profile' (the rewrites respect it: no
** goto for portable, limits on locals and upvalues of 5.1). 'which' is a
** LVT_META_* mask to choose from (0 = all); 'applied' (may be NULL) gets a
** short list of what was applied, e.g. "const-local x3, do-wrap x2".
** Returns LVT_OK, or LVT_ERR_USAGE with 'e' set when 'src' does not parse
** for 'profile' (message: "line N: ..."). The variant is printed by the
** AST printer (comments dropped, line numbers differ); a first line
** "-- lvtest-gen ..." is kept as it is, and so is the prelude of a
** generated program whose prelude is intact (lvt_gen_prelude_end): only
** its body is rewritten, so the variant has a split form (lvt_gen_split)
** like the program. Every variant parses for
** 'profile'; when the rewrites run into a limit six times, the program
** printed back unchanged is the variant ('applied' "none"). What a variant
** may legitimately change (error positions and variable names in
** messages, stack depth, upvalue introspection, instruction counts) is
** listed in lvt_meta.c and the README. */
int lvt_meta_variant(const char *src, size_t len, LvtProfile profile,
                     unsigned which, uint64_t seed, unsigned k, LvtBuf *out,
                     LvtBuf *applied, LvtErr *e);

/* Mutates 'src' into 'out' (cleared first), keeping it parseable when
** 'src' parses: token level (operators, constants, identifiers in scope)
** and statement/expression level (replace, duplicate, splice from 'donor'
** (may be NULL), wrap). The result is at most 'max_size' bytes. When 'src'
** does not parse, falls back to a token-level mutation of its bytes.
** The dialect is the profile named by a "-- lvtest-gen ... profile=..."
** first line (kept in the output), else 5.4. About 25,000 mutations/s of
** a 2.5 KB program on one core (bench/bench_meta).
** Returns the number of bytes written (also out->len). */
size_t lvt_mutate(const char *src, size_t len, const char *donor,
                  size_t donor_len, size_t max_size, uint64_t seed,
                  LvtBuf *out);

/* 1 when 'src' parses as Lua for 'profile' (syntax only), else 0 with a
** "line N: ..." message in 'e' (may be NULL). */
int lvt_lua_parses(const char *src, size_t len, LvtProfile profile,
                   LvtErr *e);

#endif
