// A layering probe (see CMakeLists.txt here): a user of the ingest room that
// includes a header of the analytics, which ingest uses only inside its
// sources (a PRIVATE link). The build must refuse it.
#include "server/analytics/day_states.h"
#include "server/ingest/reading_validation.h"
