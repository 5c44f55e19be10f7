/* placeholder while the CLI is written */
#include <stdio.h>
int main(void) { return 3; }
