#pragma once

// The inventory listings as tables: one row per entity, with the API's
// defaults filled in where an empty field means a default (time zone, core
// hours, workstation status) and left empty where zero means unknown (area,
// rent, capacity).

#include "client/table.h"
#include "monipaikka/v1/inventory.pb.h"

namespace monipaikka::client {

Table OrganizationsTable(const v1::ListOrganizationsResponse& response);
Table SitesTable(const v1::ListSitesResponse& response);
Table SpacesTable(const v1::ListSpacesResponse& response);
Table WorkstationsTable(const v1::ListWorkstationsResponse& response);
Table SensorsTable(const v1::ListSensorsResponse& response);

}  // namespace monipaikka::client
