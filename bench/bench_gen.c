/*
** bench_gen.c -- the generator: throughput, and the large validity check.
**
**   bench_gen [-n N] [--size BYTES]
**       Programs per second and MB/s per profile (seeds 1..N, swarm
**       features), against two references measured in the same run: the
**       target of 20,000 programs/s, and a baseline that only copies the
**       same bytes (what writing the programs out costs at least).
**
**   bench_gen --validate N [--profile P|all] [--vm V,V,...] [--seed S]
**       Generates N programs per profile (seeds S, S+1, ...) and runs each
**       on every VM of its profile (default: the linked-in reference and
**       lua5.1 lua5.2 lua5.3 lua5.4 luajit where installed): every run must
**       be ok and all outputs identical. Prints each failure with seed,
**       profile and VM, then a summary; exits 1 on any failure.
**
**   bench_gen --emit SEED [--profile P] [--size BYTES] [--features F]
**       Prints one program (for debugging: run it with lua5.x).
**
**   bench_gen --bytes FILE [--profile P]
**       Prints the program made from the bytes of FILE.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz/lvt_gen.h"
#include "harness/lvt_vmspec.h"
#include "vm/lvt_vm.h"

static int usage(void) {
  fprintf(stderr,
          "usage: bench_gen [-n N] [--size BYTES]\n"
          "       bench_gen --validate N [--profile P|all] [--vm V,...] [--seed S]\n"
          "       bench_gen --emit SEED [--profile P] [--size BYTES] [--features F]\n"
          "       bench_gen --bytes FILE [--profile P]\n");
  return 2;
}

/* ---------------------------------------------------------------------
** Throughput
** --------------------------------------------------------------------- */
/* CPU time of this thread in ms: on a shared machine the wall clock also
** counts the time other processes held the core. */
static double cpu_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int throughput(unsigned n, size_t size) {
  LvtBuf out = LVT_BUF_INIT, copy = LVT_BUF_INIT;
  int p;
  double total_rate = 0;
  printf("generator throughput, %u programs per profile, size target %zu bytes\n", n, size);
  for (p = 0; p < LVT_PROFILE__COUNT; p++) {
    LvtGenOpts o;
    double t0, t1, t2, c0, c1;
    size_t bytes = 0, minb = (size_t)-1, maxb = 0;
    unsigned i, rep;
    LvtErr e = {0, ""};
    lvt_gen_opts_init(&o);
    o.profile = (LvtProfile)p;
    o.max_bytes = size;
    t0 = lvt_now_ms();
    c0 = cpu_ms();
    for (i = 1; i <= n; i++) {
      if (lvt_gen_from_seed(&o, i, &out, &e) != LVT_OK) {
        fprintf(stderr, "bench_gen: %s\n", e.msg);
        return 1;
      }
      bytes += out.len;
      if (out.len < minb) minb = out.len;
      if (out.len > maxb) maxb = out.len;
    }
    t1 = lvt_now_ms();
    c1 = cpu_ms();
    /* baseline: copying the same amount of program text, in the same
    ** chunk sizes (the last program, n times) */
    for (rep = 0; rep < n; rep++) {
      lvt_buf_set(&copy, out.data, bytes / n);
      if (copy.data[0] == 0) printf(" ");
    }
    t2 = lvt_now_ms();
    {
      double rate = n / ((t1 - t0) / 1000.0), mbs = bytes / ((t1 - t0) / 1000.0) / 1e6;
      double base = n / ((t2 - t1 > 0.001 ? t2 - t1 : 0.001) / 1000.0);
      double crate = n / ((c1 - c0 > 0.001 ? c1 - c0 : 0.001) / 1000.0);
      printf("  %-8s %9.0f programs/s (%.0f per CPU-second)  %6.1f MB/s  avg %zu B (min %zu, max %zu)  "
             "%.2fx the 20,000/s target  (copy baseline %.0f/s: generating costs %.0fx a copy)\n",
             lvt_profile_name(o.profile), rate, crate, mbs, bytes / n, minb, maxb,
             rate / 20000.0, base, base / rate);
      total_rate += rate;
    }
  }
  printf("mean over profiles: %.0f programs/s = %.2fx the target\n",
         total_rate / LVT_PROFILE__COUNT, total_rate / LVT_PROFILE__COUNT / 20000.0);
  lvt_buf_reset(&out);
  lvt_buf_reset(&copy);
  return 0;
}

/* ---------------------------------------------------------------------
** Validity
** --------------------------------------------------------------------- */
typedef struct Vms {
  LvtVm *vm[16];
  size_t n;
} Vms;

static void open_vms(Vms *v, const char *list) {
  static const char *const def[] = {"ref", "lua5.1", "lua5.2", "lua5.3", "lua5.4", "luajit"};
  char buf[512], *tok, *save = NULL;
  size_t i;
  const char *names[16];
  size_t nn = 0;
  if (list) {
    snprintf(buf, sizeof buf, "%s", list);
    for (tok = strtok_r(buf, ",", &save); tok && nn < 16; tok = strtok_r(NULL, ",", &save))
      names[nn++] = tok;
  } else {
    for (i = 0; i < sizeof def / sizeof *def; i++) names[nn++] = def[i];
  }
  v->n = 0;
  for (i = 0; i < nn; i++) {
    LvtErr e = {0, ""};
    LvtVm *vm = NULL;
    if (strcmp(names[i], "ref") == 0) {
      LvtVmConfig cfg;
      memset(&cfg, 0, sizeof cfg);
      cfg.name = "ref";
      cfg.backend = LVT_BACKEND_REF;
      cfg.dialect = -1;
      if (lvt_vm_open(&vm, &cfg, &e) != LVT_OK) vm = NULL;
    } else {
      LvtVmSpec s;
      if (lvt_vmspec_parse(&s, names[i], NULL, &e) == LVT_OK) {
        if (lvt_vm_open(&vm, &s.cfg, &e) != LVT_OK) vm = NULL;
        lvt_vmspec_reset(&s);
      }
    }
    if (vm && lvt_vm_probe(vm, -1, &e) != LVT_OK) {
      lvt_vm_close(vm);
      vm = NULL;
    }
    if (vm == NULL) {
      printf("  skip %s: %s\n", names[i], e.msg);
      continue;
    }
    printf("  vm %s: %s\n", vm->name, vm->info.version);
    v->vm[v->n++] = vm;
  }
}

static size_t g_size = 3072;

static void on_fail(void *ud, LvtProfile p, uint64_t seed, const char *what) {
  unsigned long *shown = ud;
  if ((*shown)++ < 20)
    printf("  FAIL profile=%s seed=%llu: %s\n", lvt_profile_name(p), (unsigned long long)seed, what);
}

static int validate(unsigned n, const char *prof, const char *vmlist, uint64_t seed0) {
  Vms v;
  LvtLimits lim;
  unsigned long fails = 0, runs = 0, programs = 0;
  int p, p0 = 0, p1 = LVT_PROFILE__COUNT - 1;
  double t0;
  size_t i;
  if (prof && strcmp(prof, "all") != 0) {
    p0 = p1 = lvt_profile_parse(prof);
    if (p0 < 0) return usage();
  }
  printf("validity check: %u programs per profile, size target %zu\n", n, g_size);
  open_vms(&v, vmlist);
  lvt_limits_default(&lim);
  lim.timeout_ms = 10000;
  lim.deterministic = 1;
  lim.allow_binary = 0;
  t0 = lvt_now_ms();
  for (p = p0; p <= p1; p++) {
    LvtGenOpts o;
    LvtErr e = {0, ""};
    unsigned long r = 0, shown = 0;
    long f;
    double t1 = lvt_now_ms();
    lvt_gen_opts_init(&o);
    o.profile = (LvtProfile)p;
    o.max_bytes = g_size;
    f = lvt_gen_check_batch(v.vm, v.n, &o, seed0, n, &lim, on_fail, &shown, &r, &e);
    if (f < 0) {
      printf("  lvtest failed: %s\n", e.msg);
      return 1;
    }
    programs += n;
    runs += r;
    fails += (unsigned long)f;
    printf("  profile %-8s %u programs, %lu runs, %ld failed, %.1f s\n", lvt_profile_name(o.profile),
           n, r, f, (lvt_now_ms() - t1) / 1000.0);
  }
  printf("validity: %lu programs, %lu runs, %lu failures, %.1f s\n", programs, runs, fails,
         (lvt_now_ms() - t0) / 1000.0);
  for (i = 0; i < v.n; i++) lvt_vm_close(v.vm[i]);
  return fails ? 1 : 0;
}

/* ---------------------------------------------------------------------
** main
** --------------------------------------------------------------------- */
int main(int argc, char **argv) {
  unsigned n = 20000, validate_n = 0;
  size_t size = 3072;
  const char *prof = NULL, *vms = NULL, *bytes_file = NULL;
  int emit = 0, i;
  uint64_t seed = 1;
  unsigned features = 0;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "-n") == 0 && val) n = (unsigned)strtoul(argv[++i], NULL, 0);
    else if (strcmp(a, "--size") == 0 && val) size = strtoul(argv[++i], NULL, 0);
    else if (strcmp(a, "--validate") == 0 && val) validate_n = (unsigned)strtoul(argv[++i], NULL, 0);
    else if (strcmp(a, "--profile") == 0 && val) prof = argv[++i];
    else if (strcmp(a, "--vm") == 0 && val) vms = argv[++i];
    else if (strcmp(a, "--seed") == 0 && val) seed = strtoull(argv[++i], NULL, 0);
    else if (strcmp(a, "--features") == 0 && val) features = (unsigned)strtoul(argv[++i], NULL, 0);
    else if (strcmp(a, "--emit") == 0 && val) {
      emit = 1;
      seed = strtoull(argv[++i], NULL, 0);
    } else if (strcmp(a, "--bytes") == 0 && val) bytes_file = argv[++i];
    else return usage();
  }
  if (emit || bytes_file) {
    LvtGenOpts o;
    LvtBuf out = LVT_BUF_INIT;
    LvtErr e = {0, ""};
    int rc;
    lvt_gen_opts_init(&o);
    if (prof) {
      int p = lvt_profile_parse(prof);
      if (p < 0) return usage();
      o.profile = (LvtProfile)p;
    }
    o.max_bytes = size;
    o.features = features;
    if (bytes_file) {
      LvtBuf in = LVT_BUF_INIT;
      FILE *f = fopen(bytes_file, "rb");
      char tmp[4096];
      size_t k;
      if (f == NULL) {
        perror(bytes_file);
        return 1;
      }
      while ((k = fread(tmp, 1, sizeof tmp, f)) > 0) lvt_buf_add(&in, tmp, k);
      fclose(f);
      rc = lvt_gen_from_bytes(&o, (const uint8_t *)in.data, in.len, &out, &e);
      lvt_buf_reset(&in);
    } else {
      rc = lvt_gen_from_seed(&o, seed, &out, &e);
    }
    if (rc != LVT_OK) {
      fprintf(stderr, "bench_gen: %s\n", e.msg);
      return 2;
    }
    fwrite(out.data, 1, out.len, stdout);
    lvt_buf_reset(&out);
    return 0;
  }
  g_size = size;
  if (validate_n) return validate(validate_n, prof, vms, seed);
  return throughput(n, size);
}
