#pragma once

// How the client writes numbers for people and spreadsheets: fixed decimals,
// rounded half away from zero (6.25 → "6.3", as people round), never in
// exponent notation.

#include <cstdint>
#include <string>

namespace monipaikka::client {

// `value` with exactly one decimal: 37.46 → "37.5".
std::string FormatOneDecimal(double value);

// A fraction as a percentage with one decimal, without the sign:
// 0.4237 → "42.4".
std::string FormatPercent(double fraction);

// Milliseconds as hours with one decimal: 5400000 → "1.5".
std::string FormatHours(int64_t ms);

// At most two decimals, trailing zeros dropped: 1250000 → "1250000",
// 1234.5 → "1234.5", 12.3456 → "12.35". For areas and money.
std::string FormatDecimal(double value);

}  // namespace monipaikka::client
