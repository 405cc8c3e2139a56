/* LinRegPrefetch is header-only (include/LinRegPrefetch.h); SwiftPM needs one source file per C target. */
#include "LinRegPrefetch.h"
