// A layering probe (see CMakeLists.txt here): the control case. Code of the
// summary room includes its own headers and those of the rooms it links
// PUBLIC (storage, analytics, common, the API messages); this must compile,
// so the refusals of the other probes come from the rooms alone.
#include "common/calendar.h"
#include "monipaikka/v1/inventory.pb.h"
#include "server/analytics/day_summary.h"
#include "server/storage/storage.h"
#include "server/summary/summarizer.h"
#include "server/workforce/workforce_model.h"
