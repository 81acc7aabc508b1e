#include "common/grpc_log.h"

#include <grpc/support/log.h>

#include <string>

#include "gtest/gtest.h"

namespace monipaikka {
namespace {

// An error of gRPC's core reaches stderr as one of our log lines, with the
// level journald files it under.
TEST(GrpcLogTest, GrpcLinesBecomeLogLines) {
  RouteGrpcLogsToLog();
  gpr_set_log_verbosity(GPR_LOG_SEVERITY_INFO);
  testing::internal::CaptureStderr();
  gpr_log("src/core/ext/transport/chttp2_server.cc", 42, GPR_LOG_SEVERITY_ERROR,
          "%s", "bind failed: address in use");
  gpr_log("src/core/lib/iomgr/tcp.cc", 7, GPR_LOG_SEVERITY_INFO, "%s",
          "connected");
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("level=error event=grpc_log "
                     "source=transport/chttp2_server.cc:42 "
                     "message=\"bind failed: address in use\"\n"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("level=info event=grpc_log source=iomgr/tcp.cc:7 "
                     "message=connected\n"),
            std::string::npos)
      << err;
  EXPECT_EQ(err.find("E1202"), std::string::npos) << err;
}

}  // namespace
}  // namespace monipaikka
