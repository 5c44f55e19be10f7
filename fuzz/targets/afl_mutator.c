/*
** afl_mutator.c -- the AFL++ custom mutator: a shared library afl-fuzz
** loads (AFL_CUSTOM_MUTATOR_LIBRARY=/path/lvt_afl_mutator.so) whose
** mutations keep Lua programs parseable, by calling lvt_mutate
** (fuzz/lvt_meta.h): token level (operators, constants, identifiers in
** scope) and statement/expression level, with AFL++'s second input
** ('add_buf') as the donor of spliced code. afl-fuzz still runs its own
** havoc stage; set AFL_CUSTOM_MUTATOR_ONLY=1 for these mutations alone.
**
** Buffers: '*out_buf' points into a buffer this library owns and grows
** (an LvtBuf, valid until the next call or deinit): afl-fuzz never frees
** or reallocates it. (AFL++'s afl_realloc is a static inline of its
** include/alloc-inl.h, which Debian's afl++ 4.04c does not install and
** afl-fuzz does not export: a mutator cannot grow AFL++'s own buffers.)
**
** Only the afl_custom_* functions are exported; lvtcore's symbols are
** hidden (-Wl,--exclude-libs,ALL), so nothing clashes with afl-fuzz.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/lvt_meta.h"
#include "util/lvt_base.h"

#define API __attribute__((visibility("default")))

typedef struct Mutator {
  uint64_t rng;          /* splitmix64 state, from afl-fuzz's seed */
  uint64_t last_seed;    /* seed of the last mutation: 'describe' */
  LvtBuf out;            /* the mutated input handed to afl-fuzz */
  char desc[48];
} Mutator;

/* The entry points (AFL++'s custom mutator API, docs/custom_mutators.md);
** 'afl' is afl-fuzz's afl_state_t, not used. */
API void *afl_custom_init(void *afl, unsigned int seed);
API size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size,
                           uint8_t **out_buf, uint8_t *add_buf,
                           size_t add_buf_size, size_t max_size);
API const char *afl_custom_describe(void *data, size_t max_description_len);
API void afl_custom_deinit(void *data);

static uint64_t next_seed(Mutator *m) {   /* splitmix64 */
  uint64_t z = (m->rng += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* Returns the mutator's state, or NULL when out of memory (afl-fuzz then
** stops with an error). */
void *afl_custom_init(void *afl, unsigned int seed) {
  Mutator *m = calloc(1, sizeof *m);
  (void)afl;
  if (m == NULL) return NULL;
  m->rng = (uint64_t)seed * 0x2545f4914f6cdd1dull + 1;
  lvt_buf_init(&m->out);
  return m;
}

/* Mutates 'buf' (with 'add_buf' as donor, may be NULL) into at most
** 'max_size' bytes at '*out_buf'. AFL++ needs a length > 0: an empty
** result becomes one space (an empty Lua chunk). */
size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size,
                       uint8_t **out_buf, uint8_t *add_buf,
                       size_t add_buf_size, size_t max_size) {
  Mutator *m = data;
  size_t n;
  m->last_seed = next_seed(m);
  n = lvt_mutate((const char *)buf, buf_size, (const char *)add_buf,
                 add_buf ? add_buf_size : 0, max_size, m->last_seed, &m->out);
  if (n > max_size) n = max_size;   /* the contract; never trust a length */
  if (n == 0 && max_size > 0) {
    lvt_buf_set(&m->out, " ", 1);
    n = 1;
  }
  *out_buf = (uint8_t *)m->out.data;
  return n;
}

/* A name for the last mutation (afl-fuzz puts it in queue file names). */
const char *afl_custom_describe(void *data, size_t max_description_len) {
  Mutator *m = data;
  size_t cap = max_description_len + 1 < sizeof m->desc
               ? max_description_len + 1 : sizeof m->desc;
  snprintf(m->desc, cap, "lvt_mutate-%016llx", (unsigned long long)m->last_seed);
  return m->desc;
}

void afl_custom_deinit(void *data) {
  Mutator *m = data;
  if (m == NULL) return;
  lvt_buf_reset(&m->out);
  free(m);
}
