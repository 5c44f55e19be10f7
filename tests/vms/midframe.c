/* midframe.c -- a test VM speaking LVX: see lvx_vm.h for what "midframe" does. */
#include "lvx_vm.h"

int main(void) { return lvx_vm_main("midframe"); }
