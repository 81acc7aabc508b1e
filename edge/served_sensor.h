#pragma once

// A sensor the gateway serves, as the inventory describes it: enough for the
// agent to choose an input for it and to reckon its local days.

#include <string>

namespace monipaikka::edge {

struct ServedSensor {
  // The sensor's external id (e.g. a LoRaWAN DevEUI).
  std::string external_id;
  // The kind's text as served ("desk_presence", … : common/vocabulary.h).
  // Kept as text, as the outbox stores it, so that a kind newer than this
  // agent survives a restart; users parse it with ParseSensorKind.
  std::string kind;
  // Code of the site of the bound workstation or space.
  std::string site;
  // IANA time zone of that site.
  std::string timezone;
  // First local day the sensor is bound, "YYYY-MM-DD"; empty means since ever.
  std::string installed;
  // First local day it is no longer bound; empty means still bound.
  std::string removed;

  friend bool operator==(const ServedSensor&, const ServedSensor&) = default;
};

}  // namespace monipaikka::edge
