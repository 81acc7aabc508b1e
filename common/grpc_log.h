#pragma once

// gRPC's own log lines (connection errors, warnings of its core, and with
// GRPC_VERBOSITY=debug its detail) as log lines of common/log.h:
//   ts=... level=error event=grpc_log source=chttp2_server.cc:1054 message=...
// so that they carry the same format and journald priority as the program's.

namespace monipaikka {

// Routes gRPC's logging (gpr_log) through Log() from now on: gRPC's debug
// lines as kDebug, info as kInfo, error as kError. Call once from main(),
// before gRPC is used; thread-safe once installed.
void RouteGrpcLogsToLog();

}  // namespace monipaikka
