#pragma once

// The roles each RPC admits: the one table of who may call what
// (docs/security.md "Tokens and roles" shows it). Every handler authorizes
// against its entry before doing anything else.
//
// Admin may do everything facility and hr may do. Device callers are
// further held to their own gateway by the handlers that admit them
// (StreamReadings, ListSensors), display callers to the sites named on
// their token (the live occupancy, for lobby screens).

#include "server/auth/access_control.h"

namespace monipaikka::rpc {

inline constexpr RoleSet kFacilityRoles{Role::kFacility, Role::kAdmin};
inline constexpr RoleSet kHrRoles{Role::kHr, Role::kAdmin};
inline constexpr RoleSet kAdminRoles{Role::kAdmin};
inline constexpr RoleSet kGatewayRoles{Role::kDevice, Role::kAdmin};

// IngestService: a device for its own gateway's sensors; admin for any.
inline constexpr RpcPolicy kStreamReadings{"IngestService/StreamReadings",
                                           kGatewayRoles};

// InventoryService.
inline constexpr RpcPolicy kImportInventory{"InventoryService/ImportInventory",
                                            kFacilityRoles};
inline constexpr RpcPolicy kListOrganizations{
    "InventoryService/ListOrganizations", kFacilityRoles};
// A device gets the sites of its own gateway's sensors (the edge agent
// needs their time zones), without their area and rent.
inline constexpr RpcPolicy kListSites{
    "InventoryService/ListSites",
    {Role::kDevice, Role::kFacility, Role::kAdmin}};
inline constexpr RpcPolicy kGetSite{"InventoryService/GetSite", kFacilityRoles};
inline constexpr RpcPolicy kListSpaces{"InventoryService/ListSpaces",
                                       kFacilityRoles};
inline constexpr RpcPolicy kGetPlanSvg{"InventoryService/GetPlanSvg",
                                       kFacilityRoles};
inline constexpr RpcPolicy kListWorkstations{
    "InventoryService/ListWorkstations", kFacilityRoles};
// A device may list the sensors of its own gateway (what the edge agent
// serves).
inline constexpr RpcPolicy kListSensors{
    "InventoryService/ListSensors",
    {Role::kDevice, Role::kFacility, Role::kAdmin}};

// SensorHealthService, UtilizationService, LiveOccupancyService.
inline constexpr RpcPolicy kListSensorHealth{
    "SensorHealthService/ListSensorHealth", kFacilityRoles};
inline constexpr RpcPolicy kGetUtilization{"UtilizationService/GetUtilization",
                                           kFacilityRoles};
// A display token reads the live occupancy of its own sites only.
inline constexpr RoleSet kLiveRoles{Role::kFacility, Role::kAdmin,
                                    Role::kDisplay};
inline constexpr RpcPolicy kGetLiveOccupancy{
    "LiveOccupancyService/GetLiveOccupancy", kLiveRoles};
inline constexpr RpcPolicy kWatchLiveOccupancy{
    "LiveOccupancyService/WatchLiveOccupancy", kLiveRoles};

// AnalyticsService.
inline constexpr RpcPolicy kGetUsageReport{"AnalyticsService/GetUsageReport",
                                           kFacilityRoles};
inline constexpr RpcPolicy kGetSensorCoverage{
    "AnalyticsService/GetSensorCoverage", kFacilityRoles};
inline constexpr RpcPolicy kGetRightSizing{"AnalyticsService/GetRightSizing",
                                           kFacilityRoles};
inline constexpr RpcPolicy kGetConsolidation{
    "AnalyticsService/GetConsolidation", kFacilityRoles};
inline constexpr RpcPolicy kGetSpaceEfficiency{
    "AnalyticsService/GetSpaceEfficiency", kFacilityRoles};
inline constexpr RpcPolicy kListTargets{"AnalyticsService/ListTargets",
                                        kFacilityRoles};
inline constexpr RpcPolicy kPutTarget{"AnalyticsService/PutTarget",
                                      kFacilityRoles};
inline constexpr RpcPolicy kDeleteTarget{"AnalyticsService/DeleteTarget",
                                         kFacilityRoles};

// PlanningService: facility reports.
inline constexpr RpcPolicy kGetFloorPlan{"PlanningService/GetFloorPlan",
                                         kFacilityRoles};
inline constexpr RpcPolicy kGetForecast{"PlanningService/GetForecast",
                                        kFacilityRoles};
// SamplingService: estimates from samples, like the other facility reports.
inline constexpr RpcPolicy kGetSampleEstimate{
    "SamplingService/GetSampleEstimate", kFacilityRoles};
inline constexpr RpcPolicy kImportObservationRounds{
    "SamplingService/ImportObservationRounds", kFacilityRoles};
inline constexpr RpcPolicy kGetObservationStudy{
    "SamplingService/GetObservationStudy", kFacilityRoles};
// BookingService: as the facility reports.
inline constexpr RpcPolicy kImportBookings{"BookingService/ImportBookings",
                                           kFacilityRoles};
inline constexpr RpcPolicy kGetBookingReport{"BookingService/GetBookingReport",
                                             kFacilityRoles};
inline constexpr RpcPolicy kListBookingSources{
    "BookingService/ListBookingSources", kFacilityRoles};

// WorkforceService (HR).
inline constexpr RpcPolicy kImportEmployees{"WorkforceService/ImportEmployees",
                                            kHrRoles};
inline constexpr RpcPolicy kImportWorkDays{"WorkforceService/ImportWorkDays",
                                           kHrRoles};
inline constexpr RpcPolicy kRecordWorkDays{"WorkforceService/RecordWorkDays",
                                           kHrRoles};
inline constexpr RpcPolicy kGetWorkstationDistribution{
    "WorkforceService/GetWorkstationDistribution", kHrRoles};
inline constexpr RpcPolicy kGetOfficeDays{"WorkforceService/GetOfficeDays",
                                          kHrRoles};

// AuthService.
inline constexpr RpcPolicy kCreateToken{"AuthService/CreateToken", kAdminRoles};
inline constexpr RpcPolicy kListTokens{"AuthService/ListTokens", kAdminRoles};
inline constexpr RpcPolicy kRevokeToken{"AuthService/RevokeToken", kAdminRoles};
inline constexpr RpcPolicy kListAuditEvents{"AuthService/ListAuditEvents",
                                            kAdminRoles};

}  // namespace monipaikka::rpc
