#pragma once

// Core hours as people read them: "Mon-Fri 08:00-16:00".

#include <string>

#include "monipaikka/v1/inventory.pb.h"

namespace monipaikka::client {

// The schedule with the API's defaults filled in (no weekdays = Monday to
// Friday, no start = 08:00, no end = 16:00). Runs of consecutive weekdays are
// joined: ISO weekdays {1, 2, 3, 5} give "Mon-Wed,Fri 08:00-16:00".
std::string FormatCoreHours(const v1::CoreHours& core_hours);

}  // namespace monipaikka::client
