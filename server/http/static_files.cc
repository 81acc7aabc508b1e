#include "server/http/static_files.h"

#include <filesystem>
#include <optional>
#include <system_error>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace monipaikka::http {
namespace {

namespace fs = std::filesystem;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// `path` percent-decoded once into `out`; false on a bad escape.
bool PercentDecode(absl::string_view path, std::string* out) {
  out->clear();
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '%') {
      out->push_back(path[i]);
      continue;
    }
    if (i + 2 >= path.size()) return false;
    const int high = HexValue(path[i + 1]);
    const int low = HexValue(path[i + 2]);
    if (high < 0 || low < 0) return false;
    out->push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return true;
}

// Whether `path` is `root` or inside it (both canonical).
bool IsInside(const fs::path& root, const fs::path& path) {
  auto r = root.begin();
  auto p = path.begin();
  for (; r != root.end(); ++r, ++p) {
    if (p == path.end() || *p != *r) return false;
  }
  return true;
}

}  // namespace

std::string ContentTypeOf(absl::string_view path) {
  const size_t dot = path.rfind('.');
  const size_t slash = path.rfind('/');
  if (dot == absl::string_view::npos ||
      (slash != absl::string_view::npos && dot < slash)) {
    return "application/octet-stream";
  }
  const std::string ext = absl::AsciiStrToLower(path.substr(dot + 1));
  static const std::pair<const char*, const char*> kTypes[] = {
      {"html", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"json", "application/json"},
      {"map", "application/json"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"ico", "image/x-icon"},
      {"woff", "font/woff"},
      {"woff2", "font/woff2"},
      {"ttf", "font/ttf"},
      {"otf", "font/otf"},
      {"txt", "text/plain; charset=utf-8"},
      {"csv", "text/csv; charset=utf-8"},
      {"wasm", "application/wasm"},
      {"webmanifest", "application/manifest+json"},
  };
  for (const auto& [extension, type] : kTypes) {
    if (ext == extension) return type;
  }
  return "application/octet-stream";
}

std::string CacheControlOf(absl::string_view relative_path) {
  if (absl::StartsWith(relative_path, "assets/")) {
    return "public, max-age=31536000, immutable";
  }
  return "no-cache";
}

bool AcceptsGzip(absl::string_view accept_encoding) {
  std::optional<bool> gzip;
  bool any = false;
  for (absl::string_view item : absl::StrSplit(accept_encoding, ',')) {
    std::vector<absl::string_view> parts = absl::StrSplit(item, ';');
    const std::string coding =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(parts[0]));
    bool wanted = true;
    for (size_t i = 1; i < parts.size(); ++i) {
      absl::string_view param = absl::StripAsciiWhitespace(parts[i]);
      if (!absl::StartsWithIgnoreCase(param, "q=")) continue;
      double q = 0;
      wanted = absl::SimpleAtod(param.substr(2), &q) && q > 0;
    }
    if (coding == "gzip" || coding == "x-gzip") {
      gzip = gzip.value_or(false) || wanted;
    } else if (coding == "*") {
      any = wanted;
    }
  }
  return gzip.value_or(any);
}

absl::StatusOr<StaticFile> ResolveStaticFile(absl::string_view web_root,
                                             absl::string_view target,
                                             bool accepts_gzip) {
  absl::string_view raw = target.substr(0, target.find_first_of("?#"));
  if (!absl::StartsWith(raw, "/")) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", raw, "\" is no absolute path"));
  }
  std::string decoded;
  if (!PercentDecode(raw, &decoded)) {
    return absl::InvalidArgumentError("the path has a bad %-escape");
  }
  std::vector<std::string> segments;
  for (absl::string_view segment :
       absl::StrSplit(absl::string_view(decoded).substr(1), '/')) {
    if (segment.empty()) continue;
    if (segment == "." || segment == ".." || absl::StartsWith(segment, ".") ||
        absl::StrContains(segment, '\\') || absl::StrContains(segment, '\0')) {
      return absl::InvalidArgumentError(
          "the path leaves the web app's directory or names a hidden file");
    }
    segments.emplace_back(segment);
  }
  std::error_code error;
  const fs::path root = fs::canonical(fs::path(std::string(web_root)), error);
  if (error) {
    return absl::NotFoundError(absl::StrCat(
        "the web app is not installed: ", web_root, ": ", error.message()));
  }
  std::string relative = absl::StrJoin(segments, "/");
  const bool app_route =
      segments.empty() || !absl::StrContains(segments.back(), '.');
  fs::path file = relative.empty() ? root / "index.html" : root / relative;
  fs::path canonical = fs::canonical(file, error);
  if ((error || !fs::is_regular_file(canonical, error)) && app_route) {
    relative = "index.html";
    file = root / relative;
    canonical = fs::canonical(file, error);
  }
  if (error || !IsInside(root, canonical) ||
      !fs::is_regular_file(canonical, error) || error) {
    return absl::NotFoundError(absl::StrCat("no file ", raw));
  }
  StaticFile out;
  out.path = canonical.string();
  if (accepts_gzip) {
    const fs::path gz =
        fs::canonical(fs::path(canonical.string() + ".gz"), error);
    if (!error && IsInside(root, gz) && fs::is_regular_file(gz, error) &&
        !error) {
      out.path = gz.string();
      out.content_encoding = "gzip";
    }
  }
  out.content_type = ContentTypeOf(relative.empty() ? "index.html" : relative);
  out.cache_control = CacheControlOf(relative);
  return out;
}

}  // namespace monipaikka::http
