// A layering probe (see CMakeLists.txt here): code of the summary room that
// reaches up into reports, a room above it. The build must refuse it.
#include "server/reports/usage_report.h"
#include "server/summary/summarizer.h"
