#include "client/inventory_csv.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "client/csv_reader.h"
#include "client/csv_writer.h"
#include "client/text_file.h"
#include "common/status_macros.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"

namespace monipaikka::client {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr char kCoreWeekdays[] = "core_weekdays";
constexpr char kCoreStart[] = "core_start";
constexpr char kCoreEnd[] = "core_end";

// The repeated field of v1::Inventory each sheet fills, by sheet name.
const FieldDescriptor* SheetField(const std::string& sheet) {
  const std::string field = sheet.substr(0, sheet.size() - 4);  // ".csv"
  return v1::Inventory::descriptor()->FindFieldByName(field);
}

// The scalar fields of a sheet's message, in field order.
std::vector<const FieldDescriptor*> ScalarFields(
    const google::protobuf::Descriptor* type) {
  std::vector<const FieldDescriptor*> fields;
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    // Booleans are output only (Space.has_plan_svg: the sheet has the
    // plan itself).
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE &&
        field->cpp_type() != FieldDescriptor::CPPTYPE_BOOL &&
        !field->is_repeated()) {
      fields.push_back(field);
    }
  }
  return fields;
}

bool IsSites(const google::protobuf::Descriptor* type) {
  return type == v1::Site::descriptor();
}

std::vector<std::string> Columns(const google::protobuf::Descriptor* type) {
  std::vector<std::string> columns;
  for (const FieldDescriptor* field : ScalarFields(type)) {
    columns.push_back(field->name());
  }
  if (IsSites(type)) {
    columns.insert(columns.end(), {kCoreWeekdays, kCoreStart, kCoreEnd});
  }
  return columns;
}

// The shortest text that reads back to the same double.
std::string ShortestText(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

// ShortestText, but "" for 0.
std::string FormatNumber(double value) {
  return value == 0 ? "" : ShortestText(value);
}

std::string Cell(const Message& message, const std::string& column) {
  const Reflection* reflection = message.GetReflection();
  if (IsSites(message.GetDescriptor()) && column.rfind("core_", 0) == 0) {
    const v1::CoreHours& hours =
        static_cast<const v1::Site&>(message).core_hours();
    if (column == kCoreWeekdays) return absl::StrJoin(hours.weekdays(), " ");
    return column == kCoreStart ? hours.start() : hours.end();
  }
  const FieldDescriptor* field =
      message.GetDescriptor()->FindFieldByName(column);
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return reflection->GetString(message, field);
    case FieldDescriptor::CPPTYPE_DOUBLE:
      // An optional number (a position) is empty only when not set: 0 is a
      // value.
      if (field->has_presence()) {
        return reflection->HasField(message, field)
                   ? ShortestText(reflection->GetDouble(message, field))
                   : "";
      }
      return FormatNumber(reflection->GetDouble(message, field));
    case FieldDescriptor::CPPTYPE_INT32: {
      const int32_t value = reflection->GetInt32(message, field);
      return value == 0 ? "" : absl::StrCat(value);
    }
    default:
      return "";  // the inventory messages have no other scalar types
  }
}

// Sets `column` of `message` from `text`; the problem, or "".
std::string SetCell(const std::string& column, const std::string& text,
                    Message* message) {
  if (text.empty()) return "";
  const Reflection* reflection = message->GetReflection();
  if (IsSites(message->GetDescriptor()) && column.rfind("core_", 0) == 0) {
    v1::CoreHours* hours =
        static_cast<v1::Site*>(message)->mutable_core_hours();
    if (column == kCoreStart) {
      hours->set_start(text);
    } else if (column == kCoreEnd) {
      hours->set_end(text);
    } else {
      for (absl::string_view day :
           absl::StrSplit(text, ' ', absl::SkipEmpty())) {
        int32_t weekday = 0;
        if (!absl::SimpleAtoi(day, &weekday)) {
          return absl::StrCat(column, " \"", text,
                              "\" is not weekday numbers separated by spaces");
        }
        hours->add_weekdays(weekday);
      }
    }
    return "";
  }
  const FieldDescriptor* field =
      message->GetDescriptor()->FindFieldByName(column);
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      reflection->SetString(message, field, text);
      return "";
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      double value = 0;
      if (!absl::SimpleAtod(text, &value)) {
        return absl::StrCat(column, " \"", text, "\" is not a number");
      }
      reflection->SetDouble(message, field, value);
      return "";
    }
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t value = 0;
      if (!absl::SimpleAtoi(text, &value)) {
        return absl::StrCat(column, " \"", text, "\" is not a whole number");
      }
      reflection->SetInt32(message, field, value);
      return "";
    }
    default:
      return absl::StrCat(column, " cannot be set from a sheet");
  }
}

absl::Status ParseSheet(const std::string& text, const std::string& name,
                        const FieldDescriptor* sheet_field,
                        v1::Inventory* inventory) {
  const google::protobuf::Descriptor* type = sheet_field->message_type();
  const std::vector<std::string> known = Columns(type);
  std::istringstream in(text);
  CsvReader reader(&in);
  CsvRecord record;
  if (!reader.Next(&record)) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": empty, no header"));
  }
  std::vector<std::string> header = record.fields;
  for (const std::string& column : header) {
    if (std::find(known.begin(), known.end(), column) == known.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ":1: unknown column \"", column,
                       "\" (columns: ", absl::StrJoin(known, ","), ")"));
    }
  }
  const Reflection* reflection = inventory->GetReflection();
  while (reader.Next(&record)) {
    if (!record.status.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ":", record.line, ": ", record.status.message()));
    }
    if (record.fields.size() == 1 && record.fields[0].empty()) continue;
    if (record.fields.size() != header.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ":", record.line, ": ", record.fields.size(),
                       " cells, the header has ", header.size()));
    }
    Message* row = reflection->AddMessage(inventory, sheet_field);
    for (size_t i = 0; i < header.size(); ++i) {
      if (std::string problem = SetCell(header[i], record.fields[i], row);
          !problem.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(name, ":", record.line, ": ", problem));
      }
    }
  }
  return reader.io_status();
}

}  // namespace

const std::vector<std::string>& InventorySheetNames() {
  static const auto* kNames = new std::vector<std::string>{
      "organizations.csv", "sites.csv", "spaces.csv", "workstations.csv",
      "sensors.csv"};
  return *kNames;
}

absl::StatusOr<v1::Inventory> ParseInventorySheets(
    const InventorySheets& sheets, absl::string_view directory) {
  v1::Inventory inventory;
  for (const std::string& sheet : InventorySheetNames()) {
    auto it = sheets.find(sheet);
    if (it == sheets.end()) continue;
    RETURN_IF_ERROR(ParseSheet(it->second, absl::StrCat(directory, "/", sheet),
                               SheetField(sheet), &inventory));
  }
  return inventory;
}

InventorySheets WriteInventorySheets(const v1::Inventory& inventory) {
  InventorySheets sheets;
  const Reflection* reflection = inventory.GetReflection();
  for (const std::string& sheet : InventorySheetNames()) {
    const FieldDescriptor* field = SheetField(sheet);
    const std::vector<std::string> columns = Columns(field->message_type());
    std::ostringstream text;
    WriteCsvRecord(columns, text);
    for (int i = 0; i < reflection->FieldSize(inventory, field); ++i) {
      const Message& row = reflection->GetRepeatedMessage(inventory, field, i);
      std::vector<std::string> cells;
      for (const std::string& column : columns) {
        cells.push_back(Cell(row, column));
      }
      WriteCsvRecord(cells, text);
    }
    sheets[sheet] = text.str();
  }
  return sheets;
}

absl::StatusOr<v1::Inventory> ReadInventoryDirectory(
    const std::string& directory) {
  InventorySheets sheets;
  for (const std::string& sheet : InventorySheetNames()) {
    const std::filesystem::path path = std::filesystem::path(directory) / sheet;
    std::error_code error;
    if (!std::filesystem::exists(path, error)) continue;
    ASSIGN_OR_RETURN(sheets[sheet], ReadTextFile(path.string()));
  }
  if (sheets.empty()) {
    return absl::NotFoundError(
        absl::StrCat(directory, ": no inventory sheets (",
                     absl::StrJoin(InventorySheetNames(), ", "), ")"));
  }
  return ParseInventorySheets(sheets, directory);
}

absl::Status WriteInventoryDirectory(const v1::Inventory& inventory,
                                     const std::string& directory) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) {
    return absl::PermissionDeniedError(absl::StrCat(
        "cannot create directory ", directory, ": ", error.message()));
  }
  for (const auto& [sheet, text] : WriteInventorySheets(inventory)) {
    const std::string path =
        (std::filesystem::path(directory) / sheet).string();
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file) {
      return absl::PermissionDeniedError(absl::StrCat("cannot write ", path));
    }
  }
  return absl::OkStatus();
}

}  // namespace monipaikka::client
