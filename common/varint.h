// LEB128 varints and zigzag signed integers: the compact byte forms the
// server keeps in SQLite blobs (day summaries, booking days).
#ifndef MONIPAIKKA_COMMON_VARINT_H_
#define MONIPAIKKA_COMMON_VARINT_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "absl/strings/string_view.h"

namespace monipaikka {

// Appends `value` as a varint: 7 bits a byte, low bits first, the high bit
// set on every byte but the last.
inline void PutVarint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

// A signed integer as an unsigned one whose varint is short when the value
// is near zero: 0, -1, 1, -2, … become 0, 1, 2, 3, …
inline uint64_t ZigZag(int64_t value) {
  return (static_cast<uint64_t>(value) << 1) ^
         static_cast<uint64_t>(value >> 63);
}
inline int64_t UnZigZag(uint64_t value) {
  return static_cast<int64_t>(value >> 1) ^ -static_cast<int64_t>(value & 1);
}

// Reads varints and bytes from a stored blob. Every read says whether it
// succeeded; a blob that ends early or holds a value out of bounds reads as
// false, never past its end.
class VarintReader {
 public:
  explicit VarintReader(absl::string_view bytes) : bytes_(bytes) {}

  bool Varint(uint64_t* value) {
    uint64_t result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= bytes_.size()) return false;
      const uint8_t byte = static_cast<uint8_t>(bytes_[pos_++]);
      result |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) {
        *value = result;
        return true;
      }
    }
    return false;
  }
  // A varint that must fit `max`.
  template <typename T>
  bool Bounded(T* value, uint64_t max = std::numeric_limits<T>::max()) {
    uint64_t v = 0;
    if (!Varint(&v) || v > max) return false;
    *value = static_cast<T>(v);
    return true;
  }
  bool Byte(uint8_t* value) {
    if (pos_ >= bytes_.size()) return false;
    *value = static_cast<uint8_t>(bytes_[pos_++]);
    return true;
  }
  // The next `n` bytes.
  bool Take(size_t n, absl::string_view* out) {
    if (bytes_.size() - pos_ < n) return false;
    *out = bytes_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  bool done() const { return pos_ == bytes_.size(); }
  size_t remaining() const { return bytes_.size() - pos_; }

 private:
  absl::string_view bytes_;
  size_t pos_ = 0;
};

}  // namespace monipaikka

#endif  // MONIPAIKKA_COMMON_VARINT_H_
