#pragma once

// A sensor observation as the edge agent produces it, before the outbox gives
// it a per-sensor sequence number.

#include <cstdint>
#include <optional>
#include <string>

namespace monipaikka::edge {

struct Reading {
  // The sensor's external id as in the inventory (e.g. a LoRaWAN DevEUI).
  std::string sensor;
  // When the sensor observed the state: UTC milliseconds since the epoch.
  int64_t ts_ms = 0;
  // Presence sensors: whether the desk or room is occupied. Ignored when
  // `count` is set.
  bool occupied = false;
  // Counting sensors: the number of people present.
  std::optional<int32_t> count;

  friend bool operator==(const Reading&, const Reading&) = default;
};

}  // namespace monipaikka::edge
