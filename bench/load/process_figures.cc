#include "bench/load/process_figures.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace monipaikka::load {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

ProcessFigures ReadProcessFigures(pid_t pid) {
  ProcessFigures figures;
  const std::string status = Slurp(absl::StrCat("/proc/", pid, "/status"));
  for (absl::string_view line : absl::StrSplit(status, '\n')) {
    int64_t* field = nullptr;
    if (absl::ConsumePrefix(&line, "VmRSS:")) field = &figures.rss_kib;
    if (absl::ConsumePrefix(&line, "VmHWM:")) field = &figures.hwm_kib;
    if (field == nullptr) continue;
    absl::ConsumeSuffix(&line, "kB");
    figures.ok = absl::SimpleAtoi(absl::StripAsciiWhitespace(line), field);
  }
  // Fields after the command name "(…)": state is field 3, utime 14 and
  // stime 15 (1-based, in clock ticks).
  const std::string stat = Slurp(absl::StrCat("/proc/", pid, "/stat"));
  const size_t paren = stat.rfind(')');
  if (paren != std::string::npos) {
    std::vector<absl::string_view> fields = absl::StrSplit(
        absl::string_view(stat).substr(paren + 2), ' ', absl::SkipEmpty());
    int64_t utime = 0;
    int64_t stime = 0;
    if (fields.size() > 12 && absl::SimpleAtoi(fields[11], &utime) &&
        absl::SimpleAtoi(fields[12], &stime)) {
      figures.cpu_s = static_cast<double>(utime + stime) /
                      static_cast<double>(sysconf(_SC_CLK_TCK));
    }
  }
  return figures;
}

}  // namespace monipaikka::load
