// Storage behind retrograd_thread.h: one pointer per thread.
#include <stddef.h>

#include "retrograd_thread.h"

_Thread_local void *rg_thread_slot_storage = NULL;
