#include "server/auth/role.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace monipaikka {
namespace {

constexpr Role kAllRoles[] = {Role::kDevice, Role::kFacility, Role::kHr,
                              Role::kAdmin, Role::kDisplay};

}  // namespace

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kDevice:
      return "device";
    case Role::kFacility:
      return "facility";
    case Role::kHr:
      return "hr";
    case Role::kAdmin:
      return "admin";
    case Role::kDisplay:
      return "display";
  }
  return "unknown";
}

std::optional<Role> ParseRole(absl::string_view name) {
  for (Role role : kAllRoles) {
    if (RoleName(role) == name) return role;
  }
  return std::nullopt;
}

std::string RoleSet::Describe() const {
  std::vector<absl::string_view> names;
  for (Role role : kAllRoles) {
    if (Contains(role)) names.push_back(RoleName(role));
  }
  if (names.empty()) return "no role";
  if (names.size() == 1) return std::string(names[0]);
  return absl::StrCat(absl::StrJoin(names.begin(), names.end() - 1, ", "),
                      " or ", names.back());
}

}  // namespace monipaikka
