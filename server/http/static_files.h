#pragma once

// The built web app, served from a directory: which file a GET names, its
// content type and how long browsers may cache it. No directory traversal:
// a path is percent-decoded once, and one with "..", ".", a hidden segment
// (".name"), a backslash or a NUL byte names nothing; symbolic links that
// lead out of the directory are not followed.
//
// Thread safety: pure functions over the file system.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace monipaikka::http {

struct StaticFile {
  // Absolute path of the file to send.
  std::string path;
  std::string content_type;
  std::string cache_control;
  // "gzip" when `path` is the file's precompressed copy; empty otherwise.
  std::string content_encoding;
};

// The file that `target` (the request target: path and optional query)
// names under `web_root`. "/" and paths of no file whose last segment has
// no dot (the app's own routes, e.g. "/sites/HKI-1") are index.html.
// NOT_FOUND for anything else that is no regular file under `web_root`;
// INVALID_ARGUMENT for a path that tries to leave it or is no path.
// `accepts_gzip`: the browser takes gzip, and the file's gzip copy
// "<name>.gz" beside it (written when the app is built), if there is one, is
// sent instead, under the same rules.
absl::StatusOr<StaticFile> ResolveStaticFile(absl::string_view web_root,
                                             absl::string_view target,
                                             bool accepts_gzip = false);

// Whether an Accept-Encoding header value takes gzip: "gzip" (or "x-gzip",
// or "*" when gzip is not named) with a quality above 0.
bool AcceptsGzip(absl::string_view accept_encoding);

// The content type of a file by its extension (e.g. "text/javascript;
// charset=utf-8" for ".js"); "application/octet-stream" when unknown.
std::string ContentTypeOf(absl::string_view path);

// index.html and unhashed files: "no-cache" (revalidate each time); files
// under /assets/ (named by their content's hash by the bundler): a year,
// immutable.
std::string CacheControlOf(absl::string_view relative_path);

// The Content-Security-Policy of every answer: the app's own origin only
// (scripts, connections, fonts, images also as data:/blob: URLs made by the
// app for chart downloads); inline styles allowed (the component library
// sets them), inline scripts not; no framing.
inline constexpr char kContentSecurityPolicy[] =
    "default-src 'self'; script-src 'self'; style-src 'self' "
    "'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

}  // namespace monipaikka::http
