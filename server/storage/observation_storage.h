#pragma once

// The observation rounds part of the storage interface: what observers
// marked at each workstation in each round of a utilization study. Reached
// through StorageSession::Observations(). Observers are not stored.
//
// Thread safety: as StorageSession (one thread at a time).

#include <cstdint>
#include <span>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"

namespace monipaikka {

// One workstation in one round. `state`: 0 vacant, 1 signs of life,
// 2 occupied (server/sampling/observation_study.h RoundState).
struct StoredObservation {
  int64_t workstation_id = 0;
  int64_t round_ms = 0;  // UTC ms of the round
  int32_t state = 0;
  friend bool operator==(const StoredObservation&,
                         const StoredObservation&) = default;
};

// What became of one observation offered to UpsertObservations.
enum class ObservationWrite : uint8_t { kInserted, kChanged, kUnchanged };

class ObservationStorage {
 public:
  virtual ~ObservationStorage() = default;

  // Stores the observations in one transaction, keyed by (workstation,
  // round): a new key is inserted, a known one with another state changed,
  // one with the same state left alone, so importing the same study again
  // changes nothing. `outcomes` receives one entry per observation. On
  // error nothing is stored.
  virtual absl::Status UpsertObservations(
      std::span<const StoredObservation> observations,
      std::vector<ObservationWrite>* outcomes) = 0;
  // The observations with from_ms <= round_ms < to_ms, in (round_ms,
  // workstation_id) order.
  virtual absl::Status ScanObservations(
      int64_t from_ms, int64_t to_ms,
      absl::FunctionRef<void(const StoredObservation&)> visit) = 0;
};

}  // namespace monipaikka
