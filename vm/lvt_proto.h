/*
** lvt_proto.h -- LVX frames: encoding and decoding of the messages that
** travel between lvtest and a VM driver (vm/driver/lvx.lua, the reference
** worker 'lvtest __lvx-ref', the Node shims). The wire format is specified
** in vm/PROTOCOL.md; these functions are pure (buffers in, buffers out, no
** I/O) so framing can be unit-tested byte by byte.
*/
#ifndef LVT_PROTO_H
#define LVT_PROTO_H

#include "../util/lvt_base.h"
#include "lvt_vm.h"

#define LVT_PROTO_VERSION 1

/* A request as a driver sees it. */
typedef struct LvtRequest {
  LvtBuf name;
  LvtBuf src;
  LvtBuf prelude;    /* when 'has_prelude' */
  int has_prelude;
  int pure;          /* the request said 'pure 1' */
  LvtLimits lim;   /* instr_limit, max_output, deterministic, allow_binary,
                   ** selftest_crash; timeout/mem are enforced by lvtest */
} LvtRequest;

void lvt_request_init(LvtRequest *rq);
void lvt_request_reset(LvtRequest *rq);

/* Whether no identifier in 'src' (strings and comments included) names a
** way to state shared between programs: debug, _G, _ENV, load,
** loadstring, loadfile, dofile, require, package, module, getfenv,
** setfenv, io, jit; 0 for a binary chunk. The request says so ('pure'),
** and the sandbox then skips its walk over the shared tables after the
** run (PROTOCOL.md). */
int lvt_proto_pure(const char *src, size_t len);
/* The same for a program and its prelude (the last prelude's answer is
** kept per thread). */
int lvt_proto_pure_program(const LvtProgram *p);

/* Appends the frame for running 'p' under 'lim' to 'frame' ('pure' when
** the program and its prelude are, see above). */
void lvt_proto_encode_request(LvtBuf *frame, const LvtProgram *p,
                              const LvtLimits *lim);

/* Decodes one request from the start of 'data'. Returns LVT_OK and sets
** '*used' to the bytes consumed; LVT_AGAIN when 'data' holds only a prefix
** of a frame; LVT_ERR_PROTO (with 'e' set) when the bytes are not a valid
** frame. 'rq' is caller-owned and initialised. */
int lvt_proto_decode_request(const char *data, size_t len, size_t *used,
                             LvtRequest *rq, LvtErr *e);

/* Appends the result frame for 'r' ('dirty': the program changed state
** shared between programs; the driver must be restarted). Only the fields
** a driver knows are sent: outcome, out, out_truncated, err_type,
** err_value, exit_code, detail, peak_mem. */
void lvt_proto_encode_result(LvtBuf *frame, const LvtRun *r, int dirty);

/* Decodes one result frame; same return convention as the request
** decoder. Fills the driver-side fields of 'r' (cleared first). */
int lvt_proto_decode_result(const char *data, size_t len, size_t *used,
                            LvtRun *r, int *dirty /* OUT */, LvtErr *e);

/* The greeting a driver sends once it is ready: its implementation name
** (free text, e.g. "lvx.lua Lua 5.4"). */
void lvt_proto_encode_hello(LvtBuf *frame, const char *impl);
int lvt_proto_decode_hello(const char *data, size_t len, size_t *used,
                           LvtBuf *impl /* OUT */, LvtErr *e);

#endif
