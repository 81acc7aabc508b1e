#pragma once

// The inventory as CSV sheets, one file per entity type, for people who
// keep it in a spreadsheet: organizations.csv, sites.csv, spaces.csv,
// workstations.csv and sensors.csv. Each sheet has a header row naming its
// columns, in any order; a column left out is empty for every row. The
// columns are the fields of the API messages (monipaikka.v1.Organization,
// Site, Space, Workstation, Sensor in proto/monipaikka/v1/inventory.proto),
// with the site's core hours as three columns:
//   organizations.csv  code,name
//   sites.csv          code,name,kind,address,municipality,timezone,
//                      office_area_m2,annual_rent_eur,core_weekdays,
//                      core_start,core_end
//   spaces.csv         code,site,parent,level,kind,name,area_m2,capacity,
//                      email,plan_svg
//   workstations.csv   code,space,kind,organization,status,x_m,y_m
//   sensors.csv        external_id,kind,workstation,space,gateway,installed,
//                      removed,site
// core_weekdays lists ISO weekdays separated by spaces ("1 2 3 4 5"),
// core_start and core_end are HH:MM. Numbers use a decimal point; an empty
// cell is the field's default (empty text, 0), except that x_m and y_m
// empty mean "no position" (0 is a position). plan_svg holds a floor's SVG
// drawing itself, as one quoted cell. Writing leaves zero numbers
// empty, so a sheet written from an import reads back to the same
// inventory.

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "monipaikka/v1/inventory.pb.h"

namespace monipaikka::client {

// Sheet texts by file name ("sites.csv" → CSV text).
using InventorySheets = std::map<std::string, std::string>;

// The file names of the sheets, in the order they are read and written.
const std::vector<std::string>& InventorySheetNames();

// Parses the sheets present in `sheets` (any subset of the names above).
// Errors are INVALID_ARGUMENT naming `directory`/file and line, e.g.
//   inv/spaces.csv:4: area_m2 "12,5" is not a number
//   inv/sites.csv:1: unknown column "adress"
absl::StatusOr<v1::Inventory> ParseInventorySheets(
    const InventorySheets& sheets, absl::string_view directory);

// Every sheet of `inventory`, header first, rows in the inventory's order.
InventorySheets WriteInventorySheets(const v1::Inventory& inventory);

// Reads the sheets that exist in `directory`; NOT_FOUND when there is none.
absl::StatusOr<v1::Inventory> ReadInventoryDirectory(
    const std::string& directory);

// Writes every sheet into `directory`, creating it if needed.
absl::Status WriteInventoryDirectory(const v1::Inventory& inventory,
                                     const std::string& directory);

}  // namespace monipaikka::client
