/*
** bench_meta.c -- throughput of the Lua rewriting core (fuzz/lvt_meta.h)
** on a ~2 KB program: mutations/s (lvt_mutate, the AFL++/libFuzzer custom
** mutator path) and variants/s (lvt_meta_variant), each against a
** baseline measured in the same run: one parse + print round trip.
** Rates are per CPU second of this process (the machine may be shared).
**
**   bench_meta [SECONDS_PER_MEASURE] [FILE...]
**
** Without files it uses corpus/seeds/{closures,metatables,tables}.lua
** (from $LVT_SOURCE_DIR or the current directory), concatenated.
** Target (issue 5): >= 20,000 mutations/s on one core.
*/
#include "fuzz/lvt_ast.h"
#include "fuzz/lvt_meta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int add_file(const char *path, LvtBuf *b) {
  FILE *f = fopen(path, "rb");
  char tmp[65536];
  size_t n;
  if (f == NULL) return 0;
  while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) lvt_buf_add(b, tmp, n);
  fclose(f);
  lvt_buf_addc(b, '\n');
  return 1;
}

typedef struct Bench {
  const char *src;
  size_t len;
  LvtBuf out;
  uint64_t i;
} Bench;

static void round_trip(Bench *b) {
  LvtAst *t = lvt_ast_parse(b->src, b->len, LVT_PROFILE_54, NULL);
  lvt_buf_clear(&b->out);
  lvt_ast_print(t, 0, &b->out);
  lvt_ast_free(t);
}

static void mutate(Bench *b) {
  lvt_mutate(b->src, b->len, b->src, b->len, 1 << 16, b->i++, &b->out);
}

static void variant(Bench *b) {
  lvt_meta_variant(b->src, b->len, LVT_PROFILE_54, 0, 1, (unsigned)(b->i++ % 1000) + 1,
                   &b->out, NULL, NULL);
}

/* CPU time of this process in ms: the machine may be shared, and a rate
** per CPU second does not depend on what else runs. */
static double cpu_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* Calls 'fn' for 'secs' CPU seconds; returns calls per CPU second. */
static double rate(void (*fn)(Bench *), Bench *b, double secs) {
  double t0 = cpu_ms(), t;
  long n = 0;
  do {
    int k;
    for (k = 0; k < 50; k++) fn(b);
    n += 50;
    t = cpu_ms();
  } while (t - t0 < secs * 1000);
  return n / ((t - t0) / 1000.0);
}

int main(int argc, char **argv) {
  double secs = argc > 1 ? atof(argv[1]) : 2.0;
  const char *dir = getenv("LVT_SOURCE_DIR") ? getenv("LVT_SOURCE_DIR") : ".";
  LvtBuf src = LVT_BUF_INIT;
  Bench b;
  double base, mut, var;
  int i;
  if (secs <= 0) secs = 2.0;
  if (argc > 2) {
    for (i = 2; i < argc; i++)
      if (!add_file(argv[i], &src)) {
        fprintf(stderr, "bench_meta: cannot read %s\n", argv[i]);
        return 1;
      }
  } else {
    static const char *const files[] = {"closures.lua", "metatables.lua", "tables.lua"};
    for (i = 0; i < 3; i++) {
      char path[4096];
      snprintf(path, sizeof path, "%s/corpus/seeds/%s", dir, files[i]);
      if (!add_file(path, &src)) {
        fprintf(stderr, "bench_meta: cannot read %s (set LVT_SOURCE_DIR)\n", path);
        return 1;
      }
    }
  }
  if (!lvt_lua_parses(src.data, src.len, LVT_PROFILE_54, NULL)) {
    fprintf(stderr, "bench_meta: the input does not parse\n");
    return 1;
  }
  memset(&b, 0, sizeof b);
  b.src = src.data;
  b.len = src.len;
  base = rate(round_trip, &b, secs);
  mut = rate(mutate, &b, secs);
  var = rate(variant, &b, secs);
  printf("input: %zu bytes\n", src.len);
  printf("baseline parse+print round trip: %10.0f /s\n", base);
  printf("lvt_mutate:                      %10.0f /s  (%.2fx baseline; target >= 20000/s)\n",
         mut, mut / base);
  printf("lvt_meta_variant:                %10.0f /s  (%.2fx baseline)\n", var, var / base);
  lvt_buf_reset(&b.out);
  lvt_buf_reset(&src);
  return 0;
}
