#include "tests/support/client_server_test.h"

#include <chrono>
#include <fstream>

namespace monipaikka::testing {

void ClientServerTest::StartServerWithInventory(
    const std::string& inventory_json) {
  server_ = std::make_unique<ServerProcess>(dir_, 0, "server");
  ASSERT_GT(server_->port(), 0);
  const std::string inventory = dir_.File("inventory.json");
  std::ofstream(inventory) << inventory_json;
  Run({"inventory", "import", inventory});
  ASSERT_EQ(exit_code_, 0) << out_ << err_;
}

void ClientServerTest::Run(std::vector<std::string> args) {
  args.insert(args.begin(), "--server=" + server_->address());
  exit_code_ = RunToCompletion(ClientBinary(), args, &out_,
                               std::chrono::seconds(60), &err_);
}

void ClientServerTest::ImportReadings(const std::string& name,
                                      const std::string& rows) {
  const std::string path = dir_.File(name);
  std::ofstream(path) << "sensor,ts,occupied\n" << rows;
  Run({"readings", "import", path});
  ASSERT_EQ(exit_code_, 0) << out_ << err_;
}

}  // namespace monipaikka::testing
