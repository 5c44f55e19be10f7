/*
** lvt_ast.h -- internal: the Lua syntax tree shared by the parser
** (lvt_lparse*.c), the metamorphic rewriter (lvt_meta*.c), the mutators
** (lvt_mutate*.c) and, later, the reducer. Not a public interface: the
** public one is lvt_meta.h.
**
** A tree lives in an arena (LvtAst) and is freed in one go. Nodes are
** linked in sibling lists through 'next' (statements of a block,
** expressions of a list, fields of a constructor, clauses of an 'if'), so
** rewriters insert, remove and move subtrees by relinking. Names and the
** text of numerals and strings point into the arena (NUL-terminated) and
** keep their source spelling: a numeral or string prints back exactly as
** written (a long string stays a long string).
**
** Scopes are resolved by the parser: every name expression points to the
** LvtVar it denotes (NULL: a global, i.e. a field of _ENV), with a flag
** saying whether it is reached as an upvalue. The parser also applies the
** static rules that Lua's compilers enforce (goto/label visibility, 'break'
** outside a loop, '...' outside a vararg function, assignment to <const>,
** limits on locals, upvalues and nesting), so a tree that parses is a
** program the target dialect compiles.
*/
#ifndef LVT_AST_H
#define LVT_AST_H

#include <stddef.h>
#include <stdint.h>

#include "../util/lvt_base.h"
#include "lvt_gen.h"

/* ---------------------------------------------------------------------
** Node kinds
** --------------------------------------------------------------------- */
typedef enum LvtNk {
  /* expressions */
  LVT_E_NIL, LVT_E_TRUE, LVT_E_FALSE,
  LVT_E_NUMBER,    /* s: numeral as written */
  LVT_E_STRING,    /* s: the literal as written, quotes/brackets included */
  LVT_E_VARARG,
  LVT_E_FUNCTION,  /* a: LVT_N_FUNCBODY */
  LVT_E_TABLE,     /* a: list of LVT_N_FIELD_* */
  LVT_E_BINOP,     /* op: LvtOp; a, b */
  LVT_E_UNOP,      /* op: LvtOp; a */
  LVT_E_NAME,      /* s: name; var: its local (NULL = global) */
  LVT_E_INDEX,     /* a[b]; flag LVT_F_DOT: a.s (b is NULL) */
  LVT_E_CALL,      /* a(args): a; b: list of arguments */
  LVT_E_METHCALL,  /* a:s(args): a; s; b: list of arguments */
  LVT_E_PAREN,     /* (a) */
  /* statements */
  LVT_S_LOCAL,     /* a: list of LVT_N_DECL; b: list of expressions */
  LVT_S_ASSIGN,    /* a: list of targets; b: list of expressions */
  LVT_S_CALL,      /* a: the call expression */
  LVT_S_DO,        /* a: block */
  LVT_S_WHILE,     /* a: condition; b: block */
  LVT_S_REPEAT,    /* a: block; b: condition (sees the block's locals) */
  LVT_S_IF,        /* a: list of LVT_N_CLAUSE */
  LVT_S_NUMFOR,    /* a: LVT_N_DECL; b: list start, limit[, step]; c: block */
  LVT_S_GENFOR,    /* a: list of LVT_N_DECL; b: list of exprs; c: block */
  LVT_S_FUNCTION,  /* function a(...) : a: name expr (NAME/INDEX chain);
                   ** flag LVT_F_METHOD: a:s; b: LVT_N_FUNCBODY */
  LVT_S_LOCALFUNC, /* a: LVT_N_DECL; b: LVT_N_FUNCBODY */
  LVT_S_RETURN,    /* a: list of expressions (may be empty) */
  LVT_S_BREAK,
  LVT_S_GOTO,      /* s: label */
  LVT_S_LABEL,     /* s: label */
  /* helpers */
  LVT_N_BLOCK,     /* a: list of statements */
  LVT_N_DECL,      /* a declared local: var */
  LVT_N_FUNCBODY,  /* a: list of parameter LVT_N_DECLs; flag LVT_F_VARARG;
                   ** b: block; fn: function info */
  LVT_N_CLAUSE,    /* if/elseif clause: a: condition (NULL: else); b: block */
  LVT_N_FIELD_POS, /* { a } */
  LVT_N_FIELD_NAMED, /* { s = a } */
  LVT_N_FIELD_KEY, /* { [a] = b } */
  LVT_NK__COUNT
} LvtNk;

/* Operators (binary first, in Lua's priority table order). */
typedef enum LvtOp {
  LVT_OP_ADD, LVT_OP_SUB, LVT_OP_MUL, LVT_OP_MOD, LVT_OP_POW, LVT_OP_DIV,
  LVT_OP_IDIV, LVT_OP_BAND, LVT_OP_BOR, LVT_OP_BXOR, LVT_OP_SHL,
  LVT_OP_SHR, LVT_OP_CONCAT, LVT_OP_EQ, LVT_OP_LT, LVT_OP_LE, LVT_OP_NE,
  LVT_OP_GT, LVT_OP_GE, LVT_OP_AND, LVT_OP_OR,
  LVT_OP__NBIN,
  LVT_OP_NEG = LVT_OP__NBIN, LVT_OP_NOT, LVT_OP_LEN, LVT_OP_BNOT,
  LVT_OP__COUNT
} LvtOp;

enum {
  LVT_F_DOT = 1 << 0,      /* LVT_E_INDEX written a.name */
  LVT_F_METHOD = 1 << 1,   /* LVT_S_FUNCTION written a:name */
  LVT_F_VARARG = 1 << 2,   /* LVT_N_FUNCBODY has '...' */
  LVT_F_UPVAL = 1 << 3,    /* LVT_E_NAME reaches its local as an upvalue */
  LVT_F_ATTR_CONST = 1 << 4, /* LVT_N_DECL <const> */
  LVT_F_ATTR_CLOSE = 1 << 5, /* LVT_N_DECL <close> */
  LVT_F_SELF = 1 << 6,     /* LVT_N_FUNCBODY of a method: implicit 'self' */
  LVT_F_FRESH = 1 << 7     /* made by a rewriter (not in the source) */
};

typedef struct LvtFunc LvtFunc;

/* A local variable (parameter, loop variable, 'local' name, implicit
** 'self'). */
typedef struct LvtVar {
  const char *name;
  LvtFunc *fn;          /* the function declaring it */
  unsigned attr;        /* LVT_F_ATTR_* */
  int id;               /* 0, 1, ... in declaration order of the tree */
  int assigned;         /* assigned to after its declaration */
  int captured;         /* used as an upvalue by a nested function */
  int implicit;         /* 'self' of a method: not spelled in the source */
} LvtVar;

/* Per-function facts the rewriters need to respect Lua's limits. */
struct LvtFunc {
  LvtFunc *parent;
  int depth;            /* 0 for the main chunk */
  int nlocals;          /* locals declared in all (upper bound on active) */
  int maxactive;        /* most locals active at once */
  int nupvals;          /* distinct upvalues */
  int has_label;        /* has goto or labels */
  int extra_locals;     /* locals a rewriter added (for its own limits) */
  int extra_upvals;     /* upvalues a rewriter added */
};

typedef struct LvtNode LvtNode;
struct LvtNode {
  uint8_t kind;         /* LvtNk */
  uint8_t op;           /* LvtOp */
  uint16_t flags;       /* LVT_F_* */
  int line;             /* source line (0 for made-up nodes) */
  const char *s;        /* name / numeral / string literal / label */
  uint32_t slen;
  LvtNode *a, *b, *c;
  LvtNode *next;        /* next sibling in a list */
  LvtVar *var;          /* LVT_E_NAME (NULL = global), LVT_N_DECL */
  LvtFunc *fn;          /* LVT_N_FUNCBODY; LVT_N_BLOCK: its function */
};

typedef struct LvtArena LvtArena;

typedef struct LvtAst {
  LvtArena *arena;
  LvtNode *chunk;       /* LVT_N_FUNCBODY of the main chunk (vararg) */
  int nvars;            /* LvtVar ids are 0..nvars-1 */
  int nnodes;
  /* Syntax the source uses beyond Lua 5.1 (the parser accepts the union
  ** of 5.1..5.4; lvt_ast_check_profile rejects by these). */
  unsigned uses;        /* LVT_USE_* */
  int uses_line[16];    /* first line of each LVT_USE_* (bit index) */
} LvtAst;

enum {
  LVT_USE_GOTO = 1 << 0,     /* goto, labels: 5.2+ */
  LVT_USE_ESC52 = 1 << 1,    /* \x \z escapes, hex floats: 5.2+ */
  LVT_USE_INT53 = 1 << 2,    /* // and bitwise operators, \u{}: 5.3+ */
  LVT_USE_ATTRIB = 1 << 3,   /* <const> <close>: 5.4 */
  LVT_USE_AMBIG = 1 << 4,    /* call '(' on a new line: error in 5.1 */
  LVT_USE_NESTLONG = 1 << 5, /* '[[' inside [[...]]: error in 5.1 */
  LVT_USE_EMPTYSTAT = 1 << 6, /* ';' not after a statement: 5.2+ */
  LVT_USE_BREAKMID = 1 << 7  /* 'break' followed by statements: 5.2+ */
};

/* ---------------------------------------------------------------------
** Arena and construction
** --------------------------------------------------------------------- */
void *lvt_arena_alloc(LvtArena *a, size_t n);   /* zeroed, aligned */
const char *lvt_arena_strdup(LvtArena *a, const char *s, size_t n);
/* A new node of 'kind' (zeroed, line 0). */
LvtNode *lvt_ast_node(LvtAst *t, LvtNk kind);
/* A new LvtVar named 'name' owned by 'fn' (gets the next id). */
LvtVar *lvt_ast_var(LvtAst *t, const char *name, LvtFunc *fn);
/* A deep copy of 'n' (and, with 'siblings', of its following siblings)
** in 't''s arena (texts copied too, so 'n' may come from another tree);
** name expressions keep pointing at the original LvtVars. */
LvtNode *lvt_ast_copy(LvtAst *t, const LvtNode *n, int siblings);

/* ---------------------------------------------------------------------
** Parsing and printing
** --------------------------------------------------------------------- */

/* Parses 'src' (Lua 5.1..5.4 superset; a first line starting with '#' is
** skipped as lua.c does). 'profile' selects the dialect-specific static
** rules (upvalue limit: 60 for portable, 255 otherwise). Returns the tree
** (free with lvt_ast_free), or NULL with e->code LVT_ERR_USAGE and a
** "line N: ..." message. */
LvtAst *lvt_ast_parse(const char *src, size_t len, LvtProfile profile,
                      LvtErr *e);
/* 1 when 't' only uses syntax of 'profile' (portable: 5.1's), else 0 and
** a "line N: ..." message in 'e' (may be NULL). */
int lvt_ast_check_profile(const LvtAst *t, LvtProfile profile, LvtErr *e);
void lvt_ast_free(LvtAst *t);   /* NULL-safe */

/* Appends 't' as Lua source to 'out'. compact = 0: one statement per line,
** indented; 1: one line, single spaces only where tokens need them.
** Printing inserts parentheses where the tree's shape needs them (made-up
** trees), and a ';' after a statement followed by one that starts with
** '(' (5.1's 'stat [;]', so the print stays valid 5.1); a printed
** tree parses back to a tree that prints the same (a fixed point). */
void lvt_ast_print(const LvtAst *t, int compact, LvtBuf *out);
/* The same for one subtree (an expression, statement or block). */
void lvt_ast_print_node(const LvtNode *n, int compact, LvtBuf *out);

/* 1 when 'k' is an expression kind / a statement kind. */
#define lvt_nk_is_expr(k) ((k) <= LVT_E_PAREN)
#define lvt_nk_is_stat(k) ((k) >= LVT_S_LOCAL && (k) <= LVT_S_LABEL)

/* Length of the "-- lvtest-gen ..." header line at the start of 'src'
** (with its newline), or 0: variants and mutations keep it, so a
** rewritten program still says how it was made and for which profile. */
size_t lvt_ast_header_len(const char *src, size_t len);

/* Token text of an operator ("+", "and", "not", ...). */
const char *lvt_op_text(LvtOp op);

/* Lua 5.4's binary operator priorities {left, right} (lparser.c's table;
** '..' and '^' are right associative); unary operators bind at 12. */
extern const unsigned char lvt_op_prio[LVT_OP__NBIN][2];
#define LVT_UNARY_PRIORITY 12

/* The rewriters' random stream (splitmix64): deterministic in the seed,
** no global state. */
static inline uint64_t lvt_ast_rnd(uint64_t *s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
/* A number in [0, n) (0 when n is 0). */
static inline unsigned lvt_ast_below(uint64_t *s, unsigned n) {
  return n ? (unsigned)(lvt_ast_rnd(s) % n) : 0;
}

#endif
