#pragma once

// A sensor observation as the edge agent produces it, before the outbox gives
// it a per-sensor sequence number (unless it brings its own).

#include <cstdint>
#include <optional>
#include <string>

namespace monipaikka::edge {

// People who passed an in/out counter's line since its previous reading.
struct PeopleFlow {
  uint32_t entered = 0;
  uint32_t exited = 0;

  friend bool operator==(const PeopleFlow&, const PeopleFlow&) = default;
};

// What an uplink said about the device itself; each value optional.
struct DeviceHealth {
  std::optional<int32_t> battery_mv;
  std::optional<int32_t> battery_percent;
  std::optional<int32_t> rssi_dbm;
  std::optional<double> snr_db;

  bool empty() const {
    return !battery_mv && !battery_percent && !rssi_dbm && !snr_db;
  }
  friend bool operator==(const DeviceHealth&, const DeviceHealth&) = default;
};

struct Reading {
  // The sensor's external id as in the inventory (e.g. a LoRaWAN DevEUI).
  std::string sensor;
  // When the sensor observed the state: UTC milliseconds since the epoch.
  int64_t ts_ms = 0;
  // Presence sensors: whether the desk or room is occupied. Ignored when
  // `count` or `flow` is set.
  bool occupied = false;
  // Counting sensors: the number of people present.
  std::optional<int32_t> count;
  // In/out counters: crossings since the previous reading (when `count` is
  // not set).
  std::optional<PeopleFlow> flow;
  // No occupancy state at all: the row carries only `health` (a device
  // heard from without news about occupancy).
  bool health_only = false;
  DeviceHealth health;
  // The reading's own sequence number (e.g. from the LoRaWAN frame
  // counter); when absent the outbox assigns the sensor's next one.
  std::optional<uint64_t> seq;

  friend bool operator==(const Reading&, const Reading&) = default;
};

}  // namespace monipaikka::edge
