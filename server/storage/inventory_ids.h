#pragma once

// Row ids of inventory codes (organizations, sites, spaces, workstations),
// looked up once per session and cached: the inventory import, the listings
// and the HR import all turn codes into ids, often the same few thousand
// times in a row.

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/sqlite.h"

namespace monipaikka {

// The inventory tables whose rows have a unique code.
enum class InventoryTable { kOrganization, kSite, kSpace, kWorkstation };

// Thread-compatible, like the connection it uses.
class InventoryIds {
 public:
  // `db` is not owned and must outlive this object.
  explicit InventoryIds(Database* db) : db_(db) {}
  InventoryIds(const InventoryIds&) = delete;
  InventoryIds& operator=(const InventoryIds&) = delete;

  // The id of the row of `table` with `code`; std::nullopt when there is
  // none. Found ids are cached; an unknown code is asked again next time
  // (another session may have added it since).
  absl::StatusOr<std::optional<int64_t>> Find(InventoryTable table,
                                              absl::string_view code);

  // Forgets every cached id. A committed inventory row keeps its id for good
  // (imports upsert by code and nothing deletes one), so ids other sessions
  // commit never go stale here; but this session's own import may insert
  // rows and roll back. The session calls this after each inventory import,
  // committed or not.
  void Invalidate();

  // Lookups answered from the cache since this object was made (for tests).
  int64_t cache_hits() const { return cache_hits_; }

 private:
  static constexpr size_t kTables = 4;

  Database* const db_;
  std::array<absl::flat_hash_map<std::string, int64_t>, kTables> ids_;
  int64_t cache_hits_ = 0;
};

}  // namespace monipaikka
