#pragma once

// Milesight IoT uplink frames: the VS133 / VS135 ToF people counters, the
// VS121 AI workplace occupancy sensor, the WS202 PIR sensor and the VS340 /
// VS341 desk occupancy sensor.
//
// Source: Milesight-IoT/SensorDecoders on GitHub, the vendor's decoders and
// their READMEs: VS_Series/VS133 and VS_Series/VS13x (VS133/VS135),
// VS_Series/VS121, WS_Series/WS202, VS_Series/VS340. Every frame is a
// sequence of channels: channel id (1 B), channel type (1 B), value
// (little-endian unless noted). Channels used here:
//
//   all     0x01 0x75  battery, 1 B, %
//           0xFF 0x01/0x08/0x09/0x0A/0x0B/0x0F/0x16/0x1F/0xFE/0xFF
//                      device information (versions, serial number, class,
//                      reset and status events): skipped
//   VS133/  0x03|0x06|0x09|0x0C 0xD2  line 1…4 total in, 4 B
//   VS135   0x04|0x07|0x0A|0x0D 0xD2  line 1…4 total out, 4 B
//           0x05|0x08|0x0B|0x0E 0xCC  line 1…4 period in (2 B) + out (2 B)
//           0x0F 0xE3  region 1…4 counts, 1 B each
//           0x10 0xE4  region dwell time: region (1 B), avg (2 B), max (2 B)
//   VS121   0x04 0xC9  people count (1 B), region count (1 B), region
//                      occupancy mask (2 B, big-endian)
//           0x05 0xCC  people in (2 B) + out (2 B) since the last report
//           0x06 0xCD  people count max, 1 B
//           0x07|0x08 0xD5  region 1…8 / 9…16 counts, 1 B each
//           0x09…0x0C 0xDA  region-to-region flows, 8 B
//           0x0D 0xCC  total in (2 B) + out (2 B)
//           0x0E 0xE4  dwell time, 5 B
//           0x0F 0x85  timestamp, 4 B
//           0x10 0xF7  line in (2 B) + out (2 B)
//   WS202   0x03 0x00  PIR: 0 normal, 1 trigger
//           0x04 0x00  daylight: 0 dim, 1 bright
//   VS340   0x03 0x00  occupancy: 0 vacant, 1 occupied
//
// Mapping: VS133/VS135 line totals and periods are summed over the lines
// present; region counts are summed into `count`. VS121 `people_count_all`
// is `count`; without it, its region counts (0x07/0x08 0xD5, both channels)
// are summed into `count` as VS133's are; its in/out are the period
// crossings. WS202 PIR trigger means
// occupied. VS340 occupancy as is.
//
// Errors: DATA_LOSS for a channel cut short, UNIMPLEMENTED for a channel
// this model does not have (including the VS121 history and downlink-response
// channels, whose lengths vary), OUT_OF_RANGE for an enumerated value the
// vendor does not define or a negative VS121 in/out.

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "edge/decode/payload.h"

namespace monipaikka::edge {

enum class MilesightModel { kVs133, kVs121, kWs202, kVs340 };

// VS135 frames are VS133 frames (the vendor's VS13x decoder covers both).
absl::StatusOr<DecodedPayload> DecodeMilesight(MilesightModel model,
                                               absl::Span<const uint8_t> frame);

}  // namespace monipaikka::edge
