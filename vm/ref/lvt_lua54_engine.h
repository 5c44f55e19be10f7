/*
** lvt_lua54_engine.h -- the reference engine's state and its memory: the
** LvtRefLua struct, trips (a limit hit, os.exit), and the allocator (the
** arena where the image is built, the list of the program's blocks, the
** cap). Part of the reference TU: included by vm/ref/lvt_lua54_adapter.h,
** which explains the design.
*/
#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "vm/lvt_proto.h"
#include "vm/ref/lvt_ref_lua.h"

/* Instructions between two checks of the guard (budget, clock, trips). */
#define GUARD_STEP 1000
/* Memory granted past the cap once it was hit (plus twice the output
** cap), so that the sandbox can still build its result. */
#define HEADROOM_BASE ((size_t)1 << 20)
/* Cap on the Lua warnings kept per run. */
#define WARN_MAX ((size_t)64 << 10)
/* Address space reserved for the image (only what boot uses is touched). */
#define ARENA_MAX ((size_t)16 << 20)
#define REF_PRELUDES 4            /* preludes kept in the image */
/* While the image is built, freed blocks of up to ARENA_CLASSES * 16
** bytes are kept on a free list per size and used again, so that the
** image (copied back after every program) holds less garbage. */
#define ARENA_CLASSES 64
/* The run region: a program's small blocks come from a bump allocator in
** RUN_MAX bytes of address space (touched as used), all given back at
** once by the reset; larger blocks, and every block once the region is
** used up, are malloc'd. Off under AddressSanitizer, which must see every
** block. */
#if defined(__SANITIZE_ADDRESS__)
#define RUN_MAX ((size_t)0)
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RUN_MAX ((size_t)0)
#endif
#endif
#ifndef RUN_MAX
#define RUN_MAX ((size_t)8 << 20)
#endif
#define RUN_BLOCK_MAX ((size_t)64 << 10)

typedef enum Trip {
  TRIP_NONE = 0,
  TRIP_INSTR,     /* instruction budget */
  TRIP_TIME,      /* wall clock */
  TRIP_MEMORY,    /* allocator cap */
  TRIP_EXIT       /* os.exit reached the C level */
} Trip;

struct LvtRefLua {
  LvtBuf sandbox;           /* sandbox.lua as bytecode */
  char *sbname;             /* its chunk name */
  /* the arena and the image of a booted state */
  char *arena;              /* ARENA_MAX bytes reserved (mmap) */
  size_t arena_used;
  void *arena_free[ARENA_CLASSES + 1];   /* per size / 16, while building */
  int building;             /* allocations come from the arena */
  char *image;              /* copy of arena[0 .. image_len) */
  size_t image_len, image_live;
  int image_ok;             /* the arena holds a state booted with: */
  unsigned image_seed;
  LvtRefGc image_gc;
  int pristine;             /* the arena equals the image */
  lua_State *L;             /* the state in the arena (when image_ok) */
  const Table *file_mt;     /* its metatable of io handles ("FILE*") */
  struct Block *blocks;     /* list head of the malloc'd blocks */
  char *run;                /* the run region (RUN_MAX bytes), or NULL */
  size_t run_used;
  size_t run_ended;         /* run_used when the last reset came */
  size_t states;            /* lua_States created */
  /* allocator (bytes) */
  size_t live, peak, cap, headroom;
  size_t max_output;        /* of the run, for the headroom */
  struct { void *ptr; size_t osize, nsize; int on; } pend; /* refused once */
  unsigned seed;            /* hash seed of the state being created */
  /* the live threads other than the main one, for the guard's clock (a
  ** signal handler reads them: see guard_trap_all) */
  struct lua_State *volatile *threads;
  volatile size_t nthreads;
  size_t capthreads, image_nthreads;
  /* the clock without a count hook (see 'lazy' in the guard) */
  timer_t timer;
  int timer_ok;             /* 'timer' exists, for thread 'timer_tid' */
  pid_t timer_tid;
  volatile sig_atomic_t armed;   /* a run is on: the timer may trap it */
  int lazy;                 /* this run has no count hook until needed */
  /* guard (per run) */
  uint64_t instr_limit, used;
  double deadline;          /* lvt_now_ms() value; 0 = none */
  unsigned timeout_ms;
  Trip trip;
  int exit_code;
  unsigned hook_gen;        /* bumped by every debug.sethook */
  uint64_t reseeds;         /* math.random reseeds, mixed into the seed */
  const TString *sbsrc;     /* the 'source' shared by all sandbox protos */
  /* Preludes kept compiled in the image (M.preload at boot), newest last */
  struct { char *name; LvtBuf text; } pre[REF_PRELUDES];
  int npre;
  /* warnings (lauxlib's protocol: off until "@on") */
  int warn_on, warn_cont;
  LvtBuf *errout;           /* where warnings go during a run, or NULL */
};

/* The engine of a state: its allocator's user data. */
static LvtRefLua *engine_of(lua_State *L) {
  return (LvtRefLua *)G(L)->ud;
}

const char *lvt_reflua_version(void) {
  return LVT_LUA54_VERSION;
}

/* =====================================================================
** Trips
** ===================================================================== */

/* Records the first trip of a run; a memory trip grants the headroom
** (the sandbox concatenates up to 'max_output' bytes of output). */
static void guard_trap_all(LvtRefLua *vm);

static void trip_set(LvtRefLua *vm, Trip t) {
  if (vm->trip == TRIP_NONE) vm->trip = t;
  if (t == TRIP_MEMORY && vm->headroom == 0)
    vm->headroom = HEADROOM_BASE + 2 * vm->max_output;
  if (vm->lazy) guard_trap_all(vm);   /* (the lazy guard: see guard_install) */
}

/* Raises the error that unwinds a tripped program (never returns). From
** a hook, hooks are off until the error is caught, and a message handler
** of the program (xpcall) would run unguarded, free to loop forever: they
** are turned back on first (the catching pcall restores them anyway). */
static int trip_raise(LvtRefLua *vm, lua_State *L) {
  static const char *const msg[] = {
    "lvtest: stopped", "lvtest: instruction limit", "lvtest: time limit",
    "lvtest: memory limit", "lvtest: os.exit"
  };
  lua_pushstring(L, msg[vm->trip]);
  L->allowhook = 1;
  return lua_error(L);
}

/* =====================================================================
** The capped allocator
** ===================================================================== */

static size_t align16(size_t n) {
  return (n + 15) & ~(size_t)15;
}

static int in_arena(const LvtRefLua *vm, const void *p) {
  return vm->arena != NULL && (const char *)p >= vm->arena &&
         (const char *)p < vm->arena + ARENA_MAX;
}

static void account(LvtRefLua *vm, size_t osize, size_t nsize) {
  vm->live = vm->live - osize + nsize;
  if (vm->live > vm->peak) vm->peak = vm->live;
}

/* Whether the growth asked is the one refused last (Lua's retry). */
static int is_retry(const LvtRefLua *vm, void *ptr, size_t osize, size_t nsize) {
  return vm->pend.on && vm->pend.ptr == ptr && vm->pend.osize == osize &&
         vm->pend.nsize == nsize;
}

/* A refusal that Lua did not retry was final: lauxlib's buffers raise
** "not enough memory" at once. Called on the next growth and at the end
** of a run. */
static void pend_settle(LvtRefLua *vm) {
  if (!vm->pend.on) return;
  vm->pend.on = 0;
  trip_set(vm, TRIP_MEMORY);
}

/* Refuses a growth. Lua's allocator answers a first refusal with an
** emergency full collection and asks again; only a refusal of that same
** retry (or of a request made before the state is complete) is final and
** trips at once. (When Lua cannot collect, e.g. in the middle of a
** collection, the refusal is settled by the next growth.) Only the API
** and fields common to every 5.4.x are used here and below. */
static void *refuse(LvtRefLua *vm, void *ptr, size_t osize, size_t nsize) {
  lua_State *L = vm->L;
  int can_retry = L != NULL && completestate(G(L));
  if (can_retry && !is_retry(vm, ptr, osize, nsize)) {
    vm->pend.ptr = ptr;
    vm->pend.osize = osize;
    vm->pend.nsize = nsize;
    vm->pend.on = 1;
    return NULL;
  }
  vm->pend.on = 0;
  trip_set(vm, TRIP_MEMORY);
  return NULL;
}

/* Gives a block of 'size' bytes (a multiple of 16) back to the arena: the
** last one shrinks the arena, a small one goes on its free list, a big
** one stays a hole. */
static void arena_release(LvtRefLua *vm, char *p, size_t size) {
  size_t c = size / 16;
  if (p + size == vm->arena + vm->arena_used) {
    vm->arena_used = (size_t)(p - vm->arena);
  } else if (c >= 1 && c <= ARENA_CLASSES) {
    *(void **)p = vm->arena_free[c];
    vm->arena_free[c] = p;
  }
}

/* A block of 'size' bytes (a multiple of 16): from its free list, else
** from the end of the arena; NULL when the arena is full. */
static char *arena_take(LvtRefLua *vm, size_t size) {
  size_t c = size / 16;
  char *p;
  if (c <= ARENA_CLASSES && vm->arena_free[c] != NULL) {
    p = vm->arena_free[c];
    vm->arena_free[c] = *(void **)p;
    return p;
  }
  if (size > ARENA_MAX - vm->arena_used) return NULL;
  p = vm->arena + vm->arena_used;
  vm->arena_used += size;
  return p;
}

/* While an image is built: the last block grows, shrinks or is freed in
** place; a block that shrinks keeps its room; freed small blocks are used
** again (arena_take). NULL when the arena is full (boot then fails). */
static void *arena_alloc(LvtRefLua *vm, char *ptr, size_t osize, size_t nsize) {
  size_t os = align16(osize), ns = align16(nsize);
  char *np;
  if (nsize == 0) {
    if (ptr != NULL) arena_release(vm, ptr, os);
    vm->live -= osize;
    return NULL;
  }
  if (ptr != NULL && ptr + os == vm->arena + vm->arena_used) {   /* the last one */
    size_t at = (size_t)(ptr - vm->arena);
    if (ns > ARENA_MAX - at) return NULL;
    vm->arena_used = at + ns;
    np = ptr;
  } else if (ptr != NULL && ns <= os) {
    np = ptr;
  } else {
    np = arena_take(vm, ns);
    if (np == NULL) return NULL;
    if (ptr != NULL) {
      memcpy(np, ptr, osize < nsize ? osize : nsize);
      arena_release(vm, ptr, os);
    }
  }
  account(vm, osize, nsize);
  return np;
}

/* Outside the arena every block carries this header, linking it into the
** engine's circular list (16 bytes: malloc's alignment is kept). */
typedef struct Block {
  struct Block *prev, *next;
} Block;

static void *blk_realloc(LvtRefLua *vm, void *p, size_t n) {
  Block *b = p != NULL ? (Block *)p - 1 : NULL, *nb;
  if (n > SIZE_MAX - sizeof(Block)) return NULL;
  nb = (Block *)realloc(b, sizeof(Block) + n);
  if (nb == NULL) return NULL;
  if (b == NULL) {
    nb->prev = vm->blocks;
    nb->next = vm->blocks->next;
    vm->blocks->next->prev = nb;
    vm->blocks->next = nb;
  } else if (nb != b) {
    nb->prev->next = nb;
    nb->next->prev = nb;
  }
  return nb + 1;
}

static void blk_free(void *p) {
  Block *b = (Block *)p - 1;
  b->prev->next = b->next;
  b->next->prev = b->prev;
  free(b);
}

/* Frees every block of the program: the malloc'd ones, and the run
** region all at once. */
static void blk_free_all(LvtRefLua *vm) {
  Block *b = vm->blocks->next;
  while (b != vm->blocks) {
    Block *next = b->next;
    free(b);
    b = next;
  }
  vm->blocks->prev = vm->blocks->next = vm->blocks;
  vm->run_ended = vm->run_used;
  vm->run_used = 0;
}

static int in_run(const LvtRefLua *vm, const void *p) {
  return vm->run != NULL && (const char *)p >= vm->run && (const char *)p < vm->run + RUN_MAX;
}

/* Whether block 'p' of 'osize' bytes is the last one of the run region. */
static int run_last(const LvtRefLua *vm, const char *p, size_t osize) {
  return p + align16(osize) == vm->run + vm->run_used;
}

/* A new block of the run region, or NULL (too big, region used up). */
static void *run_new(LvtRefLua *vm, size_t n) {
  char *p;
  if (vm->run == NULL || n > RUN_BLOCK_MAX || align16(n) > RUN_MAX - vm->run_used) return NULL;
  p = vm->run + vm->run_used;
  vm->run_used += align16(n);
  return p;
}

/* Frees a block of the run region: only the last one gives its room back
** before the reset. */
static void run_free(LvtRefLua *vm, char *p, size_t osize) {
  if (run_last(vm, p, osize)) vm->run_used = (size_t)(p - vm->run);
}

/* Resizes a block of the run region: in place when it is the last one and
** there is room (or it shrinks), else moved to a new block (of the region
** or malloc'd); NULL when there is no room anywhere. */
static void *run_resize(LvtRefLua *vm, char *p, size_t osize, size_t nsize) {
  void *np;
  if (nsize <= osize) {
    if (run_last(vm, p, osize)) vm->run_used = (size_t)(p - vm->run) + align16(nsize);
    return p;
  }
  if (run_last(vm, p, osize) && nsize <= RUN_BLOCK_MAX &&
      align16(nsize) <= RUN_MAX - (size_t)(p - vm->run)) {
    vm->run_used = (size_t)(p - vm->run) + align16(nsize);
    return p;
  }
  np = run_new(vm, nsize);
  if (np == NULL) np = blk_realloc(vm, NULL, nsize);
  if (np == NULL) return NULL;
  memcpy(np, p, osize);
  run_free(vm, p, osize);
  return np;
}

static void *ref_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  LvtRefLua *vm = (LvtRefLua *)ud;
  void *np;
  if (ptr == NULL) osize = 0;            /* 'osize' is a type tag then */
  if (vm->building) return arena_alloc(vm, (char *)ptr, osize, nsize);
  if (nsize == 0) {
    if (ptr == NULL || in_arena(vm, ptr)) {
      /* image blocks come back with the image */
    } else if (in_run(vm, ptr)) {
      run_free(vm, (char *)ptr, osize);
    } else {
      blk_free(ptr);
    }
    vm->live -= osize;
    return NULL;
  }
  if (nsize > osize) {
    if (vm->pend.on && !is_retry(vm, ptr, osize, nsize)) pend_settle(vm);
    if (vm->cap != 0 && vm->live - osize + nsize > vm->cap + vm->headroom)
      return refuse(vm, ptr, osize, nsize);
  }
  if (ptr == NULL) {
    np = run_new(vm, nsize);
    if (np == NULL) np = blk_realloc(vm, NULL, nsize);
  } else if (in_run(vm, ptr)) {
    np = run_resize(vm, (char *)ptr, osize, nsize);
  } else if (in_arena(vm, ptr)) {  /* an image block moves out */
    np = run_new(vm, nsize);
    if (np == NULL) np = blk_realloc(vm, NULL, nsize);
    if (np != NULL) memcpy(np, ptr, osize < nsize ? osize : nsize);
  } else {
    np = blk_realloc(vm, ptr, nsize);
  }
  if (np == NULL) {
    if (nsize <= osize) return ptr;      /* Lua assumes shrinking works */
    return refuse(vm, ptr, osize, nsize);  /* the real heap is full */
  }
  vm->pend.on = 0;
  account(vm, osize, nsize);
  return np;
}

/* Whether 'L' belongs to an engine (made with 'ref_alloc') rather than
** to one of the standalone programs (lua.c, luac.c at the end of
** vm/ref/lvt_lua54.c, whose states come from luaL_newstate): the hooks
** this TU puts into the core and the debug library act as plain Lua for
** those. 'frealloc' is set before 'luai_makeseed' runs. */
static int is_engine(lua_State *L) {
  return G(L)->frealloc == ref_alloc;
}

/* Called by 'luai_makeseed' while lua_newstate runs (vm/ref/lvt_lua54.c):
** the engine's seed, or 0 (Lua's own) for a state of the standalone
** programs. */
static unsigned int lvt_adapter_seed(lua_State *L) {
  return is_engine(L) ? engine_of(L)->seed : 0;
}
