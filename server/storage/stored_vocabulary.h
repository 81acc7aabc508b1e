#pragma once

// Vocabulary values (common/vocabulary.h) read back from database text.
// Inventory import checks every value before it is written, so stored text
// that is none of them means the database was written by something else: the
// load fails with DATA_LOSS naming the column and the row, instead of
// carrying a value no code expects.

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace monipaikka {

// Collects the first bad value met while reading rows. Not thread-safe; one
// per load.
class StoredVocabulary {
 public:
  // `parsed` is the Require… result for the text of `column` (e.g.
  // "spaces.level") in the row with id `id`. Returns the value; for bad text,
  // records the error and returns the enum's first value (the caller then
  // fails the load with status()).
  template <typename Enum>
  Enum Value(absl::StatusOr<Enum> parsed, absl::string_view column,
             int64_t id) {
    if (parsed.ok()) return *parsed;
    if (status_.ok()) {
      status_ = absl::DataLossError(absl::StrCat(column, " of row ", id, ": ",
                                                 parsed.status().message()));
    }
    return Enum{};
  }

  // OK, or the first bad value met.
  const absl::Status& status() const { return status_; }

 private:
  absl::Status status_;
};

}  // namespace monipaikka
