// A fixture for integration tests that use the product as a user does: a
// real server on 127.0.0.1 and the real client run against it.
#ifndef MONIPAIKKA_TESTS_SUPPORT_CLIENT_SERVER_TEST_H_
#define MONIPAIKKA_TESTS_SUPPORT_CLIENT_SERVER_TEST_H_

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/support/cluster.h"
#include "tests/support/temp_dir.h"

namespace monipaikka::testing {

class ClientServerTest : public ::testing::Test {
 protected:
  // Starts the server and imports `inventory_json` with the client. Call it
  // in ASSERT_NO_FATAL_FAILURE.
  void StartServerWithInventory(const std::string& inventory_json);

  // Runs the client against the server; keeps its exit code and output.
  void Run(std::vector<std::string> args);

  // Imports readings rows ("sensor,ts,occupied" is added) from a file
  // `name` in the test's directory. Call it in ASSERT_NO_FATAL_FAILURE.
  void ImportReadings(const std::string& name, const std::string& rows);

  // Runs the client with --output=json and parses its output.
  template <typename Message>
  Message Json(std::vector<std::string> args) {
    args.insert(args.begin(), "--output=json");
    Run(args);
    Message message;
    EXPECT_EQ(exit_code_, 0) << out_ << err_;
    EXPECT_TRUE(
        google::protobuf::util::JsonStringToMessage(out_, &message).ok())
        << out_;
    return message;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  int exit_code_ = -1;
  std::string out_;
  std::string err_;
};

}  // namespace monipaikka::testing

#endif  // MONIPAIKKA_TESTS_SUPPORT_CLIENT_SERVER_TEST_H_
