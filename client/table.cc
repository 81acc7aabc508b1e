#include "client/table.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "client/csv_writer.h"
#include "common/check.h"

namespace monipaikka::client {
namespace {

std::string ForDisplay(const std::string& cell) {
  std::string shown = cell;
  for (char& c : shown) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return shown;
}

void WriteLine(const std::vector<std::string>& cells,
               const std::vector<Column>& columns,
               const std::vector<size_t>& widths, std::ostream& out) {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) {
    const std::string cell = ForDisplay(cells[i]);
    const size_t padding = widths[i] - DisplayWidth(cell);
    if (i > 0) line += "  ";
    if (columns[i].align == Align::kRight) {
      line.append(padding, ' ');
      line += cell;
    } else {
      line += cell;
      line.append(padding, ' ');
    }
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  out << line << '\n';
}

}  // namespace

Table::Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

void Table::AddRow(std::vector<std::string> cells) {
  MONIPAIKKA_CHECK(cells.size() == columns_.size(),
                   absl::StrCat("Table::AddRow: ", cells.size(), " cells for ",
                                columns_.size(), " columns"));
  rows_.push_back(std::move(cells));
}

size_t DisplayWidth(const std::string& text) {
  size_t width = 0;
  for (char c : text) {
    // Continuation bytes 10xxxxxx do not start a code point.
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  }
  return width;
}

void WriteAlignedTable(const Table& table, std::ostream& out) {
  const std::vector<Column>& columns = table.columns();
  std::vector<size_t> widths;
  std::vector<std::string> titles;
  std::vector<std::string> rules;
  for (const Column& column : columns) {
    widths.push_back(DisplayWidth(column.title));
    titles.push_back(column.title);
  }
  for (const std::vector<std::string>& row : table.rows()) {
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(ForDisplay(row[i])));
    }
  }
  for (size_t width : widths) rules.push_back(std::string(width, '-'));
  WriteLine(titles, columns, widths, out);
  WriteLine(rules, columns, widths, out);
  for (const std::vector<std::string>& row : table.rows()) {
    WriteLine(row, columns, widths, out);
  }
  if (table.rows().empty()) out << "(none)\n";
}

void WriteCsvTable(const Table& table, std::ostream& out) {
  std::vector<std::string> names;
  for (const Column& column : table.columns()) names.push_back(column.csv_name);
  WriteCsvRecord(names, out);
  for (const std::vector<std::string>& row : table.rows()) {
    WriteCsvRecord(row, out);
  }
}

}  // namespace monipaikka::client
