// Keeping large freed blocks in the process. glibc hands out blocks above its mmap
// threshold (at most 32 MiB by default) as fresh mappings, and every first touch of a
// fresh page is a page fault: writing a new 64 MiB tensor then costs about 30 ms more
// than writing into reused memory. Eager tensor code frees and allocates buffers of the
// same sizes step after step, so keeping them pays off.
#include <stdlib.h>
#include <string.h>

#include "retrograd_runtime.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int rg_configure_memory(void)
{
#if defined(__GLIBC__)
    const char *setting = getenv("RETROGRAD_MALLOC");
    if (setting != NULL && strcmp(setting, "system") == 0) return 0;
    // Blocks up to 256 MiB come from the heap and are reused; up to 512 MiB of free memory
    // at the top of the heap is kept rather than returned to the system.
    const int mapped = mallopt(M_MMAP_THRESHOLD, 256 << 20);
    const int trimmed = mallopt(M_TRIM_THRESHOLD, 512 << 20);
    return mapped == 1 && trimmed == 1;
#else
    return 0;
#endif
}
