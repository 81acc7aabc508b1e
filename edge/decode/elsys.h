#pragma once

// Elsys ERS family (ERS, ERS Lite, ERS Eye, ERS Desk, ERS Sound, ERS CO2 …)
// uplink frames.
//
// Source: Elsys, "Elsys LoRaWAN payload" (elsys.se/en/elsys-payload/, the
// payload document v2.x) and the generic payload decoder Elsys publishes with
// it. A frame is a sequence of records, each a type byte followed by a value
// of a fixed size for that type, big-endian:
//   0x01 temperature 2 B (0.1 °C, signed)   0x02 humidity 1 B (%)
//   0x03 acceleration 3 B                   0x04 light 2 B (lux)
//   0x05 motion 1 B (PIR count)             0x06 CO2 2 B (ppm)
//   0x07 VDD 2 B (battery, mV)              0x08 analog1 2 B (mV)
//   0x09 GPS 6 B                            0x0A pulse1 2 B
//   0x0B pulse1 absolute 4 B                0x0C external temperature 2 B
//   0x0D external digital 1 B               0x0E external distance 2 B
//   0x0F acceleration motion 1 B            0x10 IR temperature 4 B
//   0x11 occupancy 1 B (0 free, 1 pending, 2 occupied)
//   0x12 water leak 1 B                     0x13 Grid-EYE 65 B
//   0x14 pressure 4 B                       0x15 sound peak/average 2 B
//   0x16 pulse2 2 B                         0x17 pulse2 absolute 4 B
//   0x18 analog2 2 B                        0x19 external temperature 2 2 B
//   0x1A external digital 2 1 B             0x1B external analog µV 4 B
//   0x1C TVOC 2 B                           0x3D debug 4 B
//   0x3E sensor settings: 1 length byte, then that many bytes
// The vendor's example frame 0100e202290400270506060308070d62 reads
// temperature 22.6 °C, humidity 41 %, light 39 lux, motion 6, CO2 776 ppm,
// VDD 3426 mV (see elsys_test.cc).
//
// Mapping: occupancy 2 is occupied; 0 (free) and 1 (pending: movement seen,
// not yet confirmed) are not occupied. Motion is the PIR count since the
// previous frame. VDD is the battery voltage.
//
// Errors: DATA_LOSS for a record cut short, UNIMPLEMENTED for an unknown type
// byte (the rest of the frame cannot be parsed), OUT_OF_RANGE for an
// occupancy value other than 0, 1 or 2.

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "edge/decode/payload.h"

namespace monipaikka::edge {

absl::StatusOr<DecodedPayload> DecodeElsys(absl::Span<const uint8_t> frame);

}  // namespace monipaikka::edge
