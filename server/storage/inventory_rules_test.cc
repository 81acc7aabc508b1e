#include "server/storage/inventory_rules.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace monipaikka {
namespace {

constexpr char kPlan[] =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 40 20\">"
    "<rect width=\"40\" height=\"20\" fill=\"none\" stroke=\"#000\"/></svg>";

TEST(CheckPlanSvgTest, AcceptsSvgDocumentsWithAProlog) {
  EXPECT_TRUE(CheckPlanSvg(kPlan).ok());
  EXPECT_TRUE(CheckPlanSvg(std::string("\xEF\xBB\xBF<?xml version=\"1.0\"?>\n"
                                       "<!-- drawn by hand -->\n"
                                       "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG "
                                       "1.1//EN\" \"http://www.w3.org/Graphics/"
                                       "SVG/1.1/DTD/svg11.dtd\">\n") +
                           kPlan + "\n")
                  .ok());
  EXPECT_TRUE(
      CheckPlanSvg("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\"/>")
          .ok());
}

TEST(CheckPlanSvgTest, RefusesWhatIsNotAnSvgDocument) {
  EXPECT_EQ(CheckPlanSvg("<html><body>plan</body></html>").message(),
            "is not an SVG document: its root element is not <svg>");
  EXPECT_EQ(CheckPlanSvg("plan.svg").message(),
            "is not an SVG document: its root element is not <svg>");
  EXPECT_EQ(
      CheckPlanSvg("<svgx xmlns=\"http://www.w3.org/2000/svg\"/>").message(),
      "is not an SVG document: its root element is not <svg>");
  EXPECT_EQ(CheckPlanSvg("<svg viewBox=\"0 0 1 1\"></svg>").message(),
            "is not an SVG document: its <svg> element lacks "
            "xmlns=\"http://www.w3.org/2000/svg\"");
  EXPECT_EQ(CheckPlanSvg("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/>")
                .message(),
            "is not an SVG document: the <svg> element does not end");
  EXPECT_EQ(CheckPlanSvg("<?xml version=\"1.0\"").message(),
            "is not an SVG document: the prolog does not end");
  EXPECT_EQ(
      CheckPlanSvg("<!DOCTYPE svg [<!ENTITY a \"aaaa\">]>" + std::string(kPlan))
          .message(),
      "is not accepted: its DOCTYPE has an internal subset");
}

TEST(CheckPlanSvgTest, RefusesMoreThanTwoMebibytes) {
  std::string big = kPlan;
  big.insert(big.size() - 6, std::string(kMaxPlanSvgBytes, ' '));
  absl::Status status = CheckPlanSvg(big);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("more than the 2097152"), std::string::npos)
      << status;
}

v1::Space Floor() {
  v1::Space floor;
  floor.set_code("F");
  floor.set_site("S");
  floor.set_level("floor");
  return floor;
}

TEST(CheckSpaceTest, OnlyAFloorHasAPlanAndItMustBeSvg) {
  v1::Space floor = Floor();
  floor.set_plan_svg(kPlan);
  EXPECT_TRUE(CheckSpace(floor, "spaces[0]").ok());
  floor.set_plan_svg("GIF89a");
  EXPECT_EQ(CheckSpace(floor, "spaces[0]").message(),
            "spaces[0].plan_svg: is not an SVG document: its root element is "
            "not <svg>");
  v1::Space zone = Floor();
  zone.set_level("zone");
  zone.set_parent("F0");
  zone.set_plan_svg(kPlan);
  EXPECT_EQ(CheckSpace(zone, "spaces[1]").message(),
            "spaces[1].plan_svg: only a floor has a plan drawing");
}

v1::Workstation Desk() {
  v1::Workstation desk;
  desk.set_code("D");
  desk.set_space("F");
  desk.set_kind("shared");
  return desk;
}

TEST(CheckWorkstationTest, PositionIsOptionalButBothOrNeither) {
  v1::Workstation desk = Desk();
  EXPECT_TRUE(CheckWorkstation(desk, "workstations[0]").ok());
  desk.set_x_m(0);
  desk.set_y_m(0);
  EXPECT_TRUE(CheckWorkstation(desk, "workstations[0]").ok());
  desk.set_x_m(12.5);
  desk.set_y_m(kMaxFloorMetres);
  EXPECT_TRUE(CheckWorkstation(desk, "workstations[0]").ok());
  desk.clear_y_m();
  EXPECT_EQ(CheckWorkstation(desk, "workstations[0]").message(),
            "workstations[0].y_m: is required with the other coordinate (x_m "
            "and y_m go together)");
}

TEST(CheckWorkstationTest, RefusesNegativeNanAndFarPositions) {
  v1::Workstation desk = Desk();
  desk.set_x_m(-1);
  desk.set_y_m(2);
  EXPECT_EQ(CheckWorkstation(desk, "workstations[3]").message(),
            "workstations[3].x_m: -1 is not a position in metres within 0 … "
            "10000");
  desk.set_x_m(1);
  desk.set_y_m(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(CheckWorkstation(desk, "workstations[3]").message(),
            "workstations[3].y_m: nan is not a position in metres within 0 … "
            "10000");
  desk.set_y_m(std::numeric_limits<double>::infinity());
  EXPECT_EQ(CheckWorkstation(desk, "workstations[3]").code(),
            absl::StatusCode::kInvalidArgument);
  desk.set_y_m(10000.5);
  EXPECT_EQ(CheckWorkstation(desk, "workstations[3]").code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace monipaikka
