#pragma once

// The inventory of a load test: one building per gateway, each a site with
// one floor of `sensors_per_gateway` desks, every desk watched by a desk
// presence sensor that reports through the building's gateway.

#include <string>
#include <vector>

#include "monipaikka/v1/inventory.pb.h"

namespace monipaikka::load {

// "load-gw-0007": the gateway of building `gateway` (from 0).
std::string GatewayName(int gateway);

// The external ids of the sensors of `gateway`, in desk order: DevEUI-like
// hex, unique over all gateways.
std::vector<std::string> SensorIds(int gateway, int sensors_per_gateway);

// The organization and the buildings of gateways first_gateway …
// first_gateway + gateways - 1 (imported in parts, a large inventory stays
// under the server's message size limit).
v1::Inventory MakeInventory(int first_gateway, int gateways,
                            int sensors_per_gateway);

}  // namespace monipaikka::load
