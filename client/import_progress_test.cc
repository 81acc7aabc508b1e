#include "client/import_progress.h"

#include <sstream>

#include "gtest/gtest.h"

namespace monipaikka::client {
namespace {

// A clock the test moves by hand.
struct FakeClock {
  absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  std::function<absl::Time()> Function() {
    return [this] { return now; };
  }
};

TEST(ImportProgressTest, QuietWhenStderrIsNotATerminal) {
  std::ostringstream err;
  FakeClock clock;
  {
    ImportProgress progress(&err, /*enabled=*/false, "readings.csv", 1000,
                            clock.Function());
    clock.now += absl::Seconds(2);
    progress.Update(5000, 500);
    progress.problems() << "readings.csv:7: skipped: bad\n";
  }
  // Problems still get through; nothing else does.
  EXPECT_EQ(err.str(), "readings.csv:7: skipped: bad\n");
}

TEST(ImportProgressTest, ShowsRowsRateShareAndTimeLeftOnATerminal) {
  std::ostringstream err;
  FakeClock clock;
  ImportProgress progress(&err, /*enabled=*/true, "readings.csv", 1000,
                          clock.Function());
  clock.now += absl::Seconds(2);
  progress.Update(5000, 250);  // a quarter in 2 s: 6 s left
  EXPECT_EQ(err.str(),
            "\r\033[Kreadings.csv: 5000 rows, 2500 rows/s, 25 %, about 6 s "
            "left");
  // Within the redraw interval nothing is drawn.
  clock.now += absl::Milliseconds(100);
  progress.Update(5100, 260);
  EXPECT_EQ(err.str().size(), 62u);
  // A problem line erases the progress line first.
  progress.problems() << "readings.csv:9: skipped: x\n";
  clock.now += absl::Milliseconds(117900);
  progress.Update(60000, 500);  // half in 120 s: 2 min left
  progress.Erase();
  EXPECT_EQ(err.str(),
            "\r\033[Kreadings.csv: 5000 rows, 2500 rows/s, 25 %, about 6 s "
            "left\r\033[Kreadings.csv:9: skipped: x\n"
            "\r\033[Kreadings.csv: 60000 rows, 500 rows/s, 50 %, about 2 min "
            "0 s left\r\033[K");
}

TEST(ImportProgressTest, StandardInputHasNoShareOrTimeLeft) {
  std::ostringstream err;
  FakeClock clock;
  ImportProgress progress(&err, true, "stdin", 0, clock.Function());
  clock.now += absl::Seconds(4);
  progress.Update(1000, 400);
  EXPECT_EQ(err.str(), "\r\033[Kstdin: 1000 rows, 250 rows/s");
}

TEST(CountingStreamBufTest, CountsBytesAndLinesRead) {
  std::istringstream source("line one\nline two\n");
  CountingStreamBuf counting(source.rdbuf());
  int blocks = 0;
  counting.set_on_block([&blocks] { ++blocks; });
  std::istream in(&counting);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "line one");
  std::getline(in, line);
  EXPECT_EQ(line, "line two");
  EXPECT_EQ(counting.bytes(), 18);
  EXPECT_EQ(counting.lines(), 2);
  EXPECT_EQ(blocks, 1);
}

}  // namespace
}  // namespace monipaikka::client
