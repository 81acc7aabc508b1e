#pragma once

// Reads the JSON object a network server's payload codec produced (ChirpStack
// `object` / `objectJSON`, The Things Stack `decoded_payload`) into a
// DecodedPayload. The field names are those of the vendors' own codecs that
// network servers run (the same vendor sources as elsys.h and milesight.h):
//
//   occupancy   Elsys: 0 free, 1 pending, 2 occupied (number);
//               Milesight VS340: "vacant" / "occupied" (string)
//   occupied    true / false (generic codecs)
//   pir         Milesight WS202: "trigger" (occupied), "normal" or "idle"
//   motion      Elsys PIR count since the previous frame
//   people_count_all                 Milesight VS121 people count
//   count, people_count              generic people count
//   region_N_count                   Milesight VS133/VS121 region counts
//                                    (summed when no total count is given)
//   line_N_total_in / _out           Milesight VS133/VS135 (summed)
//   line_N_period_in / _out
//   people_in / people_out, line_in / line_out    VS121 period crossings
//   people_total_in / people_total_out            VS121 totals
//   vdd         Elsys battery voltage, mV (also as {"value": mV})
//   battery     Milesight battery, %
//
// Errors: INVALID_ARGUMENT for a known field of the wrong type,
// OUT_OF_RANGE for an enumerated value outside its set, UNIMPLEMENTED when
// the object has none of these fields.

#include "absl/status/statusor.h"
#include "edge/decode/json_fields.h"
#include "edge/decode/payload.h"

namespace monipaikka::edge {

absl::StatusOr<DecodedPayload> FromNetworkObject(const Json& object);

}  // namespace monipaikka::edge
