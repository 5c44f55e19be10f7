/* closeout.c -- a test VM speaking LVX: see lvx_vm.h for what "closeout" does. */
#include "lvx_vm.h"

int main(void) { return lvx_vm_main("closeout"); }
