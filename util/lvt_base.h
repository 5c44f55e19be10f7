/*
** lvt_base.h -- what every lvtest module shares: error codes, the error
** record, and the binary-safe byte buffer.
**
** Nothing here prints or exits: library code returns an LVT_ERR_* code and
** fills an LvtErr; only harness/main.c talks to the terminal.
*/
#ifndef LVT_BASE_H
#define LVT_BASE_H

#include <stdarg.h>
#include <stddef.h>

/* Result codes of library functions. A VM that errors, crashes or hangs is
** not a harness error (see LvtOutcome in vm/lvt_vm.h). */
enum {
  LVT_OK = 0,
  LVT_ERR_USAGE,     /* the caller (a user) asked for something invalid */
  LVT_ERR_IO,        /* a file or pipe operation failed */
  LVT_ERR_SPAWN,     /* a child process could not be started */
  LVT_ERR_PROTO,     /* a peer spoke something that is not LVX */
  LVT_ERR_NOMEM,     /* lvtest itself ran out of memory */
  LVT_ERR_VM,        /* a VM is unusable (failed its start-up self-tests) */
  LVT_ERR_INTERNAL,  /* a bug in lvtest */
  LVT_AGAIN          /* not an error: more input is needed */
};

typedef struct LvtErr {
  int code;
  char msg[256];
} LvtErr;

/* Sets 'e' (which may be NULL) to 'code' and a printf-style message;
** returns 'code' so callers can write 'return lvt_err_set(e, ...)'. */
int lvt_err_set(LvtErr *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prefixes the message in 'e' with "what: " (keeps the code). */
void lvt_err_prefix(LvtErr *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Name of an LVT_* code, for messages ("io", "spawn", ...). */
const char *lvt_err_name(int code);

/*
** LvtBuf: a growable, binary-safe byte buffer (Lua strings contain '\0').
** 'data' is always NUL-terminated after the last byte when non-NULL, so it
** can be read as a C string when the content has no embedded NULs.
** Lifetime: lvt_buf_init (or = LVT_BUF_INIT) / lvt_buf_reset.
** Allocation failure aborts: lvtest cannot do anything useful without
** memory, and every caller would otherwise need an error path for it.
*/
typedef struct LvtBuf {
  char *data;
  size_t len;
  size_t cap;
} LvtBuf;

#define LVT_BUF_INIT {NULL, 0, 0}

void lvt_buf_init(LvtBuf *b);
void lvt_buf_reset(LvtBuf *b);               /* frees, back to empty */
void lvt_buf_clear(LvtBuf *b);               /* len = 0, keeps memory */
void lvt_buf_reserve(LvtBuf *b, size_t extra);
void lvt_buf_add(LvtBuf *b, const void *p, size_t n);
void lvt_buf_adds(LvtBuf *b, const char *s); /* C string */
void lvt_buf_addc(LvtBuf *b, int c);
void lvt_buf_addf(LvtBuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void lvt_buf_vaddf(LvtBuf *b, const char *fmt, va_list ap);
void lvt_buf_set(LvtBuf *b, const void *p, size_t n); /* clear + add */
/* Removes the first 'n' bytes. */
void lvt_buf_consume(LvtBuf *b, size_t n);
/* Appends 'p[0..n)' for people to read: '\\' and control or non-ASCII
** bytes escaped (\n \t \r \xHH), at most 'max' input bytes, then
** "... (N bytes in all)". Flags keep some bytes as they are. */
enum {
  LVT_ESC_NEWLINE = 1 << 0,  /* keep '\n' */
  LVT_ESC_TAB = 1 << 1,      /* keep '\t' */
  LVT_ESC_QUOTE = 1 << 2     /* escape '"' and wrap the whole in quotes */
};
void lvt_buf_add_escaped(LvtBuf *b, const char *p, size_t n, size_t max,
                         unsigned flags);
/* Returns data as a C string ("" when empty); never NULL. */
const char *lvt_buf_str(const LvtBuf *b);

/* Allocation helpers that abort with a message on failure. */
void *lvt_xmalloc(size_t n);
void *lvt_xcalloc(size_t n, size_t size);
void *lvt_xrealloc(void *p, size_t n);
char *lvt_xstrdup(const char *s);
char *lvt_xstrndup(const char *s, size_t n);

/* 1 when the regular file at 'path' contains the bytes of 'needle' (0
** also when it cannot be read). Used to spot sanitizer-built binaries. */
int lvt_file_contains(const char *path, const char *needle);

/* Monotonic clock in milliseconds (fractional). */
double lvt_now_ms(void);

#endif
