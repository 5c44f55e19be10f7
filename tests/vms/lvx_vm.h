/*
** lvx_vm.h -- a tiny LVX v1 "VM" (vm/PROTOCOL.md) for the tests, in one
** header so that each misbehaving VM is a two-line tests/vms/<mode>.c
** (these programs do not link lvtcore: they are what lvtest talks to).
**
** A good program is echoed: outcome ok, out = the program's source, except
**   "pid"            out = the process id (to see restarts)
**   "dirty"          ok, with dirty=1 (lvtest must restart it)
**   "exit N"         the process exits with status N
**   lvtest's probe   a Lua 5.1 answer ("version=Lua 5.1"), so the VM starts
**   lvtest's start-up self-tests (the sources of vm/lvt_vm.c): the answers
**                    a Lua would give ("lvtok", error, a busy loop, "2")
** A program whose source contains "MISBEHAVE" triggers the mode's fault:
**   echo         none (a good VM)
**   segv         a real segmentation fault
**   hang         never answers
**   flood        endless garbage on stdout
**   floodstderr  8 MiB on stderr, then a correct answer
**   alloc        allocates and touches memory until malloc fails, then
**                answers outcome "memory" (and frees it all)
**   garbage      a malformed result frame, then carries on
**   midframe     half a result frame, then exit(0)
**   closeout     closes stdout and keeps reading stdin
** Environment: LVX_VM_DIE_IF=<path>: when that file exists at start-up,
** the VM writes a message on stderr and exits 1 before its hello.
*/
#ifndef LVX_VM_H
#define LVX_VM_H

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void vm_send(const char *kind, int n, ...) __attribute__((unused));

/* Writes a frame of 'n' (key, value) C-string pairs. */
static void vm_send(const char *kind, int n, ...) {
  va_list ap;
  int i;
  printf("LVX 1 %s %d\n", kind, n);
  va_start(ap, n);
  for (i = 0; i < n; i++) {
    const char *k = va_arg(ap, const char *), *v = va_arg(ap, const char *);
    printf("%s %zu\n%s\n", k, strlen(v), v);
  }
  va_end(ap);
  fflush(stdout);
}

/* Reads one run frame; returns its src (malloc'ed, NUL-terminated) or
** NULL at EOF. Exits 2 on anything that is not a frame. */
static char *vm_read(void) {
  char line[128], key[32];
  char *src = NULL;
  unsigned long len;
  int n, i;
  if (fgets(line, sizeof line, stdin) == NULL) return NULL;
  if (sscanf(line, "LVX 1 run %d", &n) != 1) {
    fprintf(stderr, "vm: bad header\n");
    exit(2);
  }
  for (i = 0; i < n; i++) {
    char *v;
    if (fgets(line, sizeof line, stdin) == NULL || sscanf(line, "%31s %lu", key, &len) != 2)
      exit(2);
    v = malloc(len + 2);
    if (v == NULL || fread(v, 1, len + 1, stdin) != len + 1) exit(2);
    v[len] = '\0';
    if (strcmp(key, "src") == 0) {
      free(src);
      src = v;
    } else {
      free(v);
    }
  }
  return src != NULL ? src : calloc(1, 1);
}

static void vm_alloc(void) {
  void **blocks = NULL;
  size_t n = 0, cap = 0, i;
  for (;;) {
    char *p = malloc((size_t)1 << 20);
    if (p == NULL) break;
    memset(p, 1, (size_t)1 << 20);
    if (n == cap) {
      void **b = realloc(blocks, (cap = cap ? cap * 2 : 64) * sizeof *blocks);
      if (b == NULL) {
        free(p);
        break;
      }
      blocks = b;
    }
    blocks[n++] = p;
  }
  for (i = 0; i < n; i++) free(blocks[i]);
  free(blocks);
  vm_send("result", 2, "outcome", "memory", "out", "");
}

static void vm_misbehave(const char *mode, const char *src) {
  if (strcmp(mode, "segv") == 0) {
    volatile int *p = NULL;
    *p = 1;
  } else if (strcmp(mode, "hang") == 0) {
    for (;;) pause();
  } else if (strcmp(mode, "flood") == 0) {
    static const char junk[] = "garbage! garbage! garbage! garbage!\n";
    for (;;)
      if (fwrite(junk, 1, sizeof junk - 1, stdout) == 0) exit(3);
  } else if (strcmp(mode, "floodstderr") == 0) {
    static char line[1024];
    int i;
    memset(line, 'e', sizeof line - 1);
    line[sizeof line - 2] = '\n';
    for (i = 0; i < 8192; i++) fputs(line, stderr);
    vm_send("result", 2, "outcome", "ok", "out", src);
    return;
  } else if (strcmp(mode, "alloc") == 0) {
    vm_alloc();
    return;
  } else if (strcmp(mode, "garbage") == 0) {
    fputs("LVX 1 result 1\nout x\n", stdout);
    fflush(stdout);
    return;
  } else if (strcmp(mode, "midframe") == 0) {
    fputs("LVX 1 result 2\noutcome 2\nok\nout 100\nhalf", stdout);
    fflush(stdout);
    exit(0);
  } else if (strcmp(mode, "closeout") == 0) {
    fclose(stdout);
    return;
  }
  vm_send("result", 2, "outcome", "ok", "out", src);
}

static int lvx_vm_main(const char *mode) {
  const char *die = getenv("LVX_VM_DIE_IF");
  char impl[64], *src;
  setvbuf(stderr, NULL, _IOFBF, 1 << 16);
  if (die != NULL && access(die, F_OK) == 0) {
    fprintf(stderr, "vm %s: told to die at start-up\n", mode);
    return 1;
  }
  snprintf(impl, sizeof impl, "test vm %s", mode);
  vm_send("hello", 1, "impl", impl);
  while ((src = vm_read()) != NULL) {
    char buf[32];
    if (strstr(src, "MISBEHAVE") != NULL) {
      vm_misbehave(mode, src);
    } else if (strstr(src, "print('version=' ..") != NULL) {
      vm_send("result", 2, "outcome", "ok", "out", "version=Lua 5.1\njit=\n");
    } else if (strcmp(src, "print('lvt' .. 'ok') return 1") == 0) {
      vm_send("result", 2, "outcome", "ok", "out", "lvtok\n");
    } else if (strcmp(src, "error('x')") == 0) {
      vm_send("result", 3, "outcome", "error", "errtype", "string", "errval", "x");
    } else if (strcmp(src, "while true do end") == 0) {
      for (;;) pause();   /* lvtest times it out, or kills it */
    } else if (strcmp(src, "print(1 + 1)") == 0) {
      vm_send("result", 2, "outcome", "ok", "out", "2\n");
    } else if (strcmp(src, "pid") == 0) {
      snprintf(buf, sizeof buf, "%d", (int)getpid());
      vm_send("result", 2, "outcome", "ok", "out", buf);
    } else if (strcmp(src, "dirty") == 0) {
      vm_send("result", 3, "outcome", "ok", "out", "", "dirty", "1");
    } else if (strncmp(src, "exit ", 5) == 0) {
      exit(atoi(src + 5));
    } else {
      vm_send("result", 2, "outcome", "ok", "out", src);
    }
    fflush(stderr);
    free(src);
  }
  return 0;
}

#endif
