#include "server/storage/inventory_ids.h"

#include <iterator>

#include "common/status_macros.h"

namespace monipaikka {
namespace {

// The lookup of each table, indexed by InventoryTable.
constexpr const char* kIdByCodeSql[] = {
    "SELECT id FROM organizations WHERE code = ?",
    "SELECT id FROM sites WHERE code = ?",
    "SELECT id FROM spaces WHERE code = ?",
    "SELECT id FROM workstations WHERE code = ?",
};
static_assert(std::size(kIdByCodeSql) ==
              static_cast<size_t>(InventoryTable::kWorkstation) + 1);

}  // namespace

absl::StatusOr<std::optional<int64_t>> InventoryIds::Find(
    InventoryTable table, absl::string_view code) {
  const size_t index = static_cast<size_t>(table);
  absl::flat_hash_map<std::string, int64_t>& ids = ids_[index];
  if (auto it = ids.find(code); it != ids.end()) {
    ++cache_hits_;
    return it->second;
  }
  ASSIGN_OR_RETURN(Statement * lookup, db_->Cached(kIdByCodeSql[index]));
  lookup->BindText(1, code);
  ASSIGN_OR_RETURN(std::optional<int64_t> id,
                   lookup->OneRow([&] { return lookup->ColumnInt64(0); }));
  if (id) ids.emplace(code, *id);
  return id;
}

void InventoryIds::Invalidate() {
  for (auto& ids : ids_) ids.clear();
}

}  // namespace monipaikka
