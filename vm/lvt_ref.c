/* placeholder: the reference backend is being written */
#include "lvt_vm.h"
static int ref_open(void **vm, const LvtVmConfig *cfg, LvtErr *e) {
  (void)cfg; *vm = NULL;
  return lvt_err_set(e, LVT_ERR_INTERNAL, "ref backend not built yet");
}
static int ref_run(void *vm, const LvtProgram *p, const LvtLimits *lim, LvtRun *out, LvtErr *e) {
  (void)vm; (void)p; (void)lim; (void)out;
  return lvt_err_set(e, LVT_ERR_INTERNAL, "ref backend not built yet");
}
static void ref_close(void *vm) { (void)vm; }
const LvtVmOps lvt_vm_ref_ops = {"ref", ref_open, ref_run, ref_close, 1};
