/* alloc.c -- a test VM speaking LVX: see lvx_vm.h for what "alloc" does. */
#include "lvx_vm.h"

int main(void) { return lvx_vm_main("alloc"); }
