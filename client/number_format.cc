#include "client/number_format.h"

#include <cmath>

#include "absl/strings/str_format.h"

namespace monipaikka::client {
namespace {

// Rounds to `decimals` places, half away from zero. Adding 0.0 turns -0 into
// 0 so that tiny negatives do not print as "-0.0".
double RoundTo(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale + 0.0;
}

}  // namespace

std::string FormatOneDecimal(double value) {
  return absl::StrFormat("%.1f", RoundTo(value, 1));
}

std::string FormatPercent(double fraction) {
  return FormatOneDecimal(fraction * 100.0);
}

std::string FormatHours(int64_t ms) {
  return FormatOneDecimal(static_cast<double>(ms) / 3'600'000.0);
}

std::string FormatDecimal(double value) {
  std::string text = absl::StrFormat("%.2f", RoundTo(value, 2));
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

}  // namespace monipaikka::client
