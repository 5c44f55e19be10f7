/*
** lvt_fuzz_state.c -- DIR/state.json: what defines a campaign (seed,
** profiles, VM specs, metamorphic K, the program source) and how far it
** got (next program index, counters, per-VM outcomes, signature counts).
** Replaced atomically (lvt_file_replace), so it is always a whole state.
*/
#include "lvt_fuzz_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

uint64_t lvt_fuzz_program_seed(uint64_t seed, uint64_t index) {
  uint64_t z = seed + (index + 1) * 0x9e3779b97f4a7c15ULL;   /* splitmix64 */
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

int lvt_fuzz_parse_seed(const char *s, uint64_t *seed) {
  char *end;
  int base = 10;
  if (s == NULL || *s == '\0' || *s == '-' || *s == '+' || *s == ' ') return -1;
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s += 2;
    if (*s == '\0') return -1;
  }
  errno = 0;
  *seed = strtoull(s, &end, base);
  if (errno != 0 || *end != '\0') return -1;
  return 0;
}

static const char *const profile_names[LVT_PROFILE__COUNT] = {"portable", "5.3", "5.4"};

const char *lvt_fuzz_profile_name(LvtProfile p) {
  return (unsigned)p < LVT_PROFILE__COUNT ? profile_names[p] : "?";
}

static int profile_parse(const char *s, size_t len) {
  int i;
  for (i = 0; i < LVT_PROFILE__COUNT; i++)
    if (strlen(profile_names[i]) == len && memcmp(profile_names[i], s, len) == 0) return i;
  return -1;
}

int lvt_fuzz_parse_profiles(const char *s, LvtProfile *out, size_t *n) {
  while (s != NULL) {
    const char *comma = strchr(s, ',');
    size_t len = comma ? (size_t)(comma - s) : strlen(s), i;
    int p = profile_parse(s, len);
    if (p < 0) return -1;
    for (i = 0; i < *n && out[i] != (LvtProfile)p; i++) {}
    if (i == *n) out[(*n)++] = (LvtProfile)p;
    s = comma ? comma + 1 : NULL;
  }
  return 0;
}

/* =====================================================================
** Counters <-> JSON
** ===================================================================== */
#define COUNTERS(X) \
  X(divergences) X(crashes) X(metamorphic) X(flaky) X(dropped_noise) \
  X(not_compared) X(gen_errors) X(variant_errors) X(variants)

static void add_sig(void *ud, const char *sig, LvtFindingKind k, uint64_t count,
                    const char *first) {
  json_t *o = json_object();
  json_object_set_new(o, "signature", json_string(sig));
  json_object_set_new(o, "kind", json_string(lvt_finding_kind_name(k)));
  json_object_set_new(o, "count", json_integer((json_int_t)count));
  json_object_set_new(o, "example", first ? json_string(first) : json_null());
  json_array_append_new((json_t *)ud, o);
}

int lvt_fuzz_state_save(const LvtFuzzConfig *c, const LvtFuzzStats *st,
                        const LvtStore *store, LvtErr *e) {
  json_t *j = json_object(), *a, *cnt = json_object(), *vms = json_object();
  LvtBuf path = LVT_BUF_INIT;
  char seed[24], *text;
  size_t i;
  int rc, o;
  snprintf(seed, sizeof seed, "0x%016" PRIx64, c->seed);
  json_object_set_new(j, "schema", json_string(LVT_FUZZ_STATE_SCHEMA));
  json_object_set_new(j, "version", json_integer(LVT_FUZZ_STATE_VERSION));
  json_object_set_new(j, "seed", json_string(seed));
  a = json_array();
  for (i = 0; i < c->nprofiles; i++)
    json_array_append_new(a, json_string(lvt_fuzz_profile_name(c->profiles[i])));
  json_object_set_new(j, "profiles", a);
  a = json_array();
  for (i = 0; i < c->nvms; i++) json_array_append_new(a, json_string(c->vms[i]));
  json_object_set_new(j, "vms", a);
  json_object_set_new(j, "metamorphic", json_integer(c->metamorphic));
  json_object_set_new(j, "size", json_integer((json_int_t)c->gen_size));
  json_object_set_new(j, "source", json_string(c->replay_name ? c->replay_name : "generator"));
  json_object_set_new(j, "next", json_integer((json_int_t)st->next));
#define X(f) json_object_set_new(cnt, #f, json_integer((json_int_t)st->f));
  COUNTERS(X)
#undef X
  json_object_set_new(j, "counters", cnt);
  for (i = 0; i < st->nvm; i++) {
    json_t *v = json_object();
    for (o = 0; o < LVT_RUN__COUNT; o++)
      json_object_set_new(v, lvt_outcome_name((LvtOutcome)o),
                          json_integer((json_int_t)st->vm[i].outcomes[o]));
    if (st->vm[i].broken) json_object_set_new(v, "broken", json_true());
    json_object_set_new(vms, st->vm[i].name, v);
  }
  json_object_set_new(j, "outcomes", vms);
  a = json_array();
  if (store != NULL) lvt_store_each(store, add_sig, a);
  json_object_set_new(j, "signatures", a);
  text = json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
  json_decref(j);
  lvt_buf_addf(&path, "%s/state.json", c->out_dir);
  rc = lvt_file_replace(path.data, text, strlen(text), e);
  free(text);
  lvt_buf_reset(&path);
  return rc;
}

/* Reads and checks DIR/state.json. '*doc' is NULL when there is none. */
static int read_state(const char *dir, json_t **doc, LvtErr *e) {
  LvtBuf path = LVT_BUF_INIT;
  json_error_t je;
  struct stat sb;
  const char *schema;
  int rc = LVT_OK;
  *doc = NULL;
  lvt_buf_addf(&path, "%s/state.json", dir);
  if (stat(path.data, &sb) != 0) goto out;
  *doc = json_load_file(path.data, 0, &je);
  if (*doc == NULL) {
    rc = lvt_err_set(e, LVT_ERR_USAGE, "%s:%d: %s (not a campaign state lvtest wrote?)",
                     path.data, je.line, je.text);
    goto out;
  }
  schema = json_string_value(json_object_get(*doc, "schema"));
  if (schema == NULL || strcmp(schema, LVT_FUZZ_STATE_SCHEMA) != 0 ||
      json_integer_value(json_object_get(*doc, "version")) != LVT_FUZZ_STATE_VERSION) {
    rc = lvt_err_set(e, LVT_ERR_USAGE, "%s: not a campaign state of this lvtest "
                     "(schema %s version %d)", path.data, LVT_FUZZ_STATE_SCHEMA,
                     LVT_FUZZ_STATE_VERSION);
    json_decref(*doc);
    *doc = NULL;
  }
out:
  lvt_buf_reset(&path);
  return rc;
}

int lvt_fuzz_state_load(const char *dir, LvtFuzzStats *st, int *found, LvtErr *e) {
  json_t *doc, *cnt, *vms;
  int rc = read_state(dir, &doc, e);
  size_t i;
  *found = doc != NULL;
  if (rc != LVT_OK || doc == NULL) return rc;
  st->next = (uint64_t)json_integer_value(json_object_get(doc, "next"));
  cnt = json_object_get(doc, "counters");
#define X(f) st->f = (uint64_t)json_integer_value(json_object_get(cnt, #f));
  COUNTERS(X)
#undef X
  vms = json_object_get(doc, "outcomes");
  for (i = 0; i < st->nvm; i++) {
    json_t *v = json_object_get(vms, st->vm[i].name);
    int o;
    if (v == NULL) continue;
    for (o = 0; o < LVT_RUN__COUNT; o++)
      st->vm[i].outcomes[o] = (uint64_t)json_integer_value(
          json_object_get(v, lvt_outcome_name((LvtOutcome)o)));
  }
  json_decref(doc);
  return LVT_OK;
}

/* =====================================================================
** Resuming: options from the state, mismatches are usage errors
** ===================================================================== */
int lvt_fuzz_resume_options(LvtFuzzConfig *c, unsigned given, int *resumed,
                            char ***vm_store, LvtErr *e) {
  json_t *doc, *a;
  const char *s;
  uint64_t seed;
  size_t i, n;
  int rc = read_state(c->out_dir, &doc, e);
  *resumed = doc != NULL;
  *vm_store = NULL;
  if (rc == LVT_OK && doc == NULL) {
    LvtBuf idx = LVT_BUF_INIT;
    struct stat sb;
    lvt_buf_addf(&idx, "%s/findings/index.jsonl", c->out_dir);
    if (stat(idx.data, &sb) == 0)
      rc = lvt_err_set(e, LVT_ERR_USAGE, "%s has findings but no state.json: it is not a "
                       "campaign lvtest can resume (use another --out)", c->out_dir);
    lvt_buf_reset(&idx);
  }
  if (rc != LVT_OK || doc == NULL) return rc;
#define MISMATCH(opt, fmt, ...) \
  do { rc = lvt_err_set(e, LVT_ERR_USAGE, "%s does not match the campaign in %s (" fmt \
                        "): resume it with the same options, or use another --out", \
                        opt, c->out_dir, __VA_ARGS__); goto out; } while (0)
  s = json_string_value(json_object_get(doc, "seed"));
  if (s == NULL || lvt_fuzz_parse_seed(s, &seed) != 0)
    MISMATCH("state.json", "%s", "no valid seed in it");
  if (given & LVT_FUZZ_GIVEN_SEED) {
    if (seed != c->seed) MISMATCH("--seed", "seed %s", s);
  } else {
    c->seed = seed;
  }
  a = json_object_get(doc, "profiles");
  n = json_array_size(a);
  if (given & LVT_FUZZ_GIVEN_PROFILES) {
    int same = n == c->nprofiles;
    for (i = 0; same && i < n; i++) {
      const char *p = json_string_value(json_array_get(a, i));
      same = p != NULL && strcmp(p, lvt_fuzz_profile_name(c->profiles[i])) == 0;
    }
    if (!same) MISMATCH("--profile", "%zu profile%s, the first %s", n, n == 1 ? "" : "s",
                        n ? json_string_value(json_array_get(a, 0)) : "-");
  } else if (n > 0 && n <= LVT_PROFILE__COUNT) {
    for (i = 0; i < n; i++) {
      const char *name = json_string_value(json_array_get(a, i));
      LvtProfile one[LVT_PROFILE__COUNT];
      size_t none = 0;
      int p = name != NULL && lvt_fuzz_parse_profiles(name, one, &none) == 0 && none == 1
                  ? (int)one[0] : -1;
      if (p < 0) MISMATCH("state.json", "unknown profile %s", json_string_value(json_array_get(a, i)));
      c->profiles[i] = (LvtProfile)p;
    }
    c->nprofiles = n;
  }
  a = json_object_get(doc, "vms");
  n = json_array_size(a);
  if (given & LVT_FUZZ_GIVEN_VMS) {
    int same = n == c->nvms;
    for (i = 0; same && i < n; i++) {
      const char *v = json_string_value(json_array_get(a, i));
      same = v != NULL && strcmp(v, c->vms[i]) == 0;
    }
    if (!same) MISMATCH("--vm", "%zu VM%s, the first %s", n, n == 1 ? "" : "s",
                        n ? json_string_value(json_array_get(a, 0)) : "-");
  } else if (n > 0) {
    char **v = lvt_xcalloc(n + 1, sizeof *v);
    for (i = 0; i < n; i++) {
      const char *x = json_string_value(json_array_get(a, i));
      v[i] = lvt_xstrdup(x ? x : "");
    }
    *vm_store = v;
    c->vms = (const char *const *)v;
    c->nvms = n;
  }
  if (given & LVT_FUZZ_GIVEN_META) {
    json_int_t k = json_integer_value(json_object_get(doc, "metamorphic"));
    if (k != (json_int_t)c->metamorphic) MISMATCH("--metamorphic", "K = %d", (int)k);
  } else {
    c->metamorphic = (unsigned)json_integer_value(json_object_get(doc, "metamorphic"));
  }
  {
    json_int_t z = json_integer_value(json_object_get(doc, "size"));   /* 0 when absent */
    if (given & LVT_FUZZ_GIVEN_SIZE) {
      if (z != (json_int_t)c->gen_size) MISMATCH("--size", "%d bytes", (int)z);
    } else {
      c->gen_size = (size_t)z;
    }
  }
  s = json_string_value(json_object_get(doc, "source"));
  if (s != NULL && strcmp(s, c->replay_name ? c->replay_name : "generator") != 0)
    MISMATCH("the program source", "%s", s);
#undef MISMATCH
out:
  json_decref(doc);
  return rc;
}
