#include "edge/sequence_numbers.h"

#include "gtest/gtest.h"

namespace monipaikka::edge {
namespace {

constexpr uint64_t kEpoch = uint64_t{1} << 32;
constexpr int64_t kT0 = 1774250100000;  // 2026-03-23T07:15:00Z
constexpr int64_t kMinute = 60 * 1000;

TEST(FrameSequenceTest, IncreasingCountersKeepTheFirstEpoch) {
  DeviceState state;
  FrameSequence a = NextFrameSequence(&state, 10, kT0);
  EXPECT_EQ(a.verdict, FrameVerdict::kNew);
  EXPECT_EQ(a.seq, kEpoch + 10);
  FrameSequence b = NextFrameSequence(&state, 11, kT0 + 10 * kMinute);
  EXPECT_EQ(b.seq, kEpoch + 11);
  EXPECT_EQ(state.epoch, 1u);
  EXPECT_EQ(state.last_fcnt, 11u);
}

TEST(FrameSequenceTest, TheSameFrameAgainIsADuplicate) {
  DeviceState state;
  NextFrameSequence(&state, 10, kT0);
  FrameSequence again = NextFrameSequence(&state, 10, kT0);
  EXPECT_EQ(again.verdict, FrameVerdict::kDuplicate);
  EXPECT_EQ(again.seq, kEpoch + 10);
  // A LoRaWAN retransmission a few seconds later, too.
  EXPECT_EQ(NextFrameSequence(&state, 10, kT0 + 5000).verdict,
            FrameVerdict::kDuplicate);
}

TEST(FrameSequenceTest, ARestartedCounterStartsANewEpoch) {
  DeviceState state;
  NextFrameSequence(&state, 5000, kT0);
  // Rejoin: the counter starts again from 0, later in time.
  FrameSequence rejoined = NextFrameSequence(&state, 0, kT0 + 15 * kMinute);
  EXPECT_EQ(rejoined.verdict, FrameVerdict::kNew);
  EXPECT_EQ(rejoined.seq, 2 * kEpoch + 0);
  EXPECT_EQ(NextFrameSequence(&state, 1, kT0 + 30 * kMinute).seq,
            2 * kEpoch + 1);
  // The same counter value long after the last one: a restart too.
  DeviceState abp;
  NextFrameSequence(&abp, 0, kT0);
  EXPECT_EQ(NextFrameSequence(&abp, 0, kT0 + 60 * kMinute).seq, 2 * kEpoch);
}

TEST(FrameSequenceTest, AnOlderFrameArrivingLateKeepsItsNumber) {
  DeviceState state;
  NextFrameSequence(&state, 20, kT0 + 20 * kMinute);
  FrameSequence late = NextFrameSequence(&state, 12, kT0 + 12 * kMinute);
  EXPECT_EQ(late.verdict, FrameVerdict::kLate);
  EXPECT_EQ(late.seq, kEpoch + 12);
  EXPECT_EQ(state.last_fcnt, 20u);  // unchanged
  EXPECT_EQ(state.epoch, 1u);
}

}  // namespace
}  // namespace monipaikka::edge
