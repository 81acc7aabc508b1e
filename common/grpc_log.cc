#include "common/grpc_log.h"

#include <grpc/support/log.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/log.h"

namespace monipaikka {
namespace {

// "dir/file.cc" of gRPC's source path: enough to find the line in gRPC's
// tree.
absl::string_view ShortSourcePath(absl::string_view path) {
  const size_t last = path.rfind('/');
  if (last == absl::string_view::npos || last == 0) return path;
  const size_t second = path.rfind('/', last - 1);
  return second == absl::string_view::npos ? path : path.substr(second + 1);
}

LogLevel LevelOf(gpr_log_severity severity) {
  switch (severity) {
    case GPR_LOG_SEVERITY_DEBUG:
      return LogLevel::kDebug;
    case GPR_LOG_SEVERITY_INFO:
      return LogLevel::kInfo;
    case GPR_LOG_SEVERITY_ERROR:
      return LogLevel::kError;
  }
  return LogLevel::kError;
}

void LogGrpcLine(gpr_log_func_args* args) {
  const std::string source =
      absl::StrCat(ShortSourcePath(args->file != nullptr ? args->file : ""),
                   ":", args->line);
  Log(LevelOf(args->severity), "grpc_log",
      {{"source", source},
       {"message", args->message != nullptr ? args->message : ""}});
}

}  // namespace

void RouteGrpcLogsToLog() { gpr_set_log_function(LogGrpcLine); }

}  // namespace monipaikka
