#pragma once

// A table of text cells, the common shape of every listing the client prints,
// and its two text renderings: aligned columns for people and CSV for
// programs. (JSON output prints the API messages themselves instead.)

#include <ostream>
#include <string>
#include <vector>

namespace monipaikka::client {

enum class Align { kLeft, kRight };

struct Column {
  // Heading shown to people in aligned output, e.g. "util %".
  std::string title;
  // Heading of the CSV column, a stable snake_case name for programs, e.g.
  // "time_utilization_pct".
  std::string csv_name;
  // Numbers are right-aligned.
  Align align = Align::kLeft;
};

// A value type: columns fixed at construction, rows appended.
class Table {
 public:
  explicit Table(std::vector<Column> columns);

  // `cells` must have one entry per column; anything else is a programming
  // error and aborts.
  void AddRow(std::vector<std::string> cells);

  const std::vector<Column>& columns() const { return columns_; }
  const std::vector<std::vector<std::string>>& rows() const { return rows_; }

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// Width of `text` on a terminal: the number of UTF-8 code points (Finnish
// names hold "ä" and "ö", one column each but two bytes).
size_t DisplayWidth(const std::string& text);

// A header line of titles, a line of dashes under each, then one line per
// row; columns padded to their widest cell and separated by two spaces,
// without trailing spaces. Line breaks and tabs inside cells are shown as
// spaces. A table without rows is followed by "(none)".
void WriteAlignedTable(const Table& table, std::ostream& out);

// A header record of the CSV names, then one record per row.
void WriteCsvTable(const Table& table, std::ostream& out);

}  // namespace monipaikka::client
