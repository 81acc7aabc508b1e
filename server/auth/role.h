#pragma once

// The roles a caller of the API may have, and sets of them.
// docs/security.md, "Tokens and roles", says what each may do.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace monipaikka {

enum class Role : uint8_t { kDevice, kFacility, kHr, kAdmin, kDisplay };

// "device", "facility", "hr", "admin", "display".
absl::string_view RoleName(Role role);
// The role named `name` (as RoleName spells it), or nullopt.
std::optional<Role> ParseRole(absl::string_view name);

// A set of roles (a value type).
class RoleSet {
 public:
  constexpr RoleSet(std::initializer_list<Role> roles) {
    for (Role role : roles) bits_ |= Bit(role);
  }
  constexpr bool Contains(Role role) const { return (bits_ & Bit(role)) != 0; }
  // "facility or admin".
  std::string Describe() const;

 private:
  static constexpr uint8_t Bit(Role role) {
    return static_cast<uint8_t>(1u << static_cast<unsigned>(role));
  }
  uint8_t bits_ = 0;
};

}  // namespace monipaikka
