#include "network/rules.h"

#include <gtest/gtest.h>

#include "core/test_support.h"

namespace jd::network {
namespace {

using nlohmann::json;
using testing_support::ForEachCase;
using testing_support::ReadCases;

json DateOrNull(const std::optional<Date>& d) { return d ? json(FormatDate(*d)) : json(); }

Date DateOf(const json& j) { return *ParseDate(j.get<std::string>()); }

// The demonstration-point rule on the worked cases of tests/data/network/rules_cases.json: each
// point's compliance on the day, then the districts' status.
TEST(DemoPointRule, WorkedCases) {
  json cases = ReadCases("tests/data/network/rules_cases.json");
  ASSERT_GE(cases.size(), 6u);
  ForEachCase(cases, [](const json& c) {
    const Date on = DateOf(c["input"]["on"]);
    std::vector<DemoPoint> points;
    for (const json& p : c["input"]["points"]) {
      DemoPoint d;
      d.id = p["id"];
      d.district = p["district"];
      d.kind = *ParsePointKind(p["kind"].get<std::string>());
      d.active = p["active"];
      for (const auto& [item, date] : p["checked"].items()) {
        d.checked[*ParseChecklistItem(item)] = DateOf(date);
      }
      points.push_back(std::move(d));
    }
    for (const DemoPoint& p : points) {
      const json& want = c["expect"]["points"][p.id];
      const Compliance got = DemoPointCompliance(p, on);
      EXPECT_EQ(got.compliant, want["compliant"].get<bool>()) << p.id;
      if (want.contains("since")) {
        EXPECT_EQ(DateOrNull(got.since), want["since"]) << p.id;
      }
      if (want.contains("missing")) {
        json missing = json::array();
        for (ChecklistItem i : got.missing) missing.push_back(ChecklistItemCode(i));
        EXPECT_EQ(missing, want["missing"]) << p.id;
      }
    }
    json districts = json::array();
    for (const DistrictDemo& d : DistrictDemoStatus(c["input"]["districts"], points, on)) {
      districts.push_back({{"district", d.district},
                           {"demonstration_points", d.demonstration_points},
                           {"compliant", d.compliant},
                           {"has_compliant", d.has_compliant},
                           {"met_deadline", d.met_deadline},
                           {"first_compliant", DateOrNull(d.first_compliant)}});
    }
    EXPECT_EQ(districts, c["expect"]["districts"]);
  });
}

TEST(AssociationCoverageRule, WorkedCases) {
  json cases = ReadCases("tests/data/network/association_cases.json");
  ASSERT_GE(cases.size(), 3u);
  ForEachCase(cases, [](const json& c) {
    const AssociationFigures f = AssociationCoverage(c["input"].get<std::vector<bool>>());
    const json& want = c["expect"];
    EXPECT_EQ(f.places, want["places"].get<std::int64_t>());
    EXPECT_EQ(f.with_association, want["with_association"].get<std::int64_t>());
    if (want["share"].is_null()) {
      EXPECT_FALSE(f.share.has_value());
    } else {
      ASSERT_TRUE(f.share.has_value());
      EXPECT_DOUBLE_EQ(*f.share, want["share"].get<double>());
    }
    EXPECT_EQ(f.meets_target, want["meets_target"].get<bool>());
  });
}

TEST(PositionInput, WorkedCases) {
  json cases = ReadCases("tests/data/network/position_cases.json");
  ASSERT_GE(cases.size(), 4u);
  ForEachCase(cases, [](const json& c) {
    const json& in = c["input"];
    const CoordSystem system = *ParseCoordSystem(in["coord_system"].get<std::string>());
    double lat = 0, lon = 0;
    if (in.contains("from_wgs84")) {
      const LatLon gcj = Wgs84ToGcj02({in["from_wgs84"][0], in["from_wgs84"][1]});
      EXPECT_GT(HaversineM(gcj, {in["from_wgs84"][0], in["from_wgs84"][1]}), 100.0)
          << "Nanning lies in the offset area";
      lat = gcj.lat;
      lon = gcj.lon;
    } else {
      lat = in["lat"];
      lon = in["lon"];
    }
    FieldErrors errors;
    auto got = ToWgs84(lat, lon, system, errors);
    if (testing_support::ExpectedErrors(c["expect"], errors.ToStatus())) {
      EXPECT_FALSE(got.has_value());
      return;
    }
    ASSERT_TRUE(got.has_value());
    EXPECT_NEAR(got->lat, c["expect"]["lat"].get<double>(), 1e-8);
    EXPECT_NEAR(got->lon, c["expect"]["lon"].get<double>(), 1e-8);
  });
}

TEST(PointFieldsRule, NameStaffAndServices) {
  FieldErrors ok;
  CheckPoint({.name = "青秀区示范点", .staff_count = 3, .services = {"contraceptives"}}, ok);
  EXPECT_TRUE(ok.empty());
  FieldErrors bad;
  CheckPoint({.name = "", .staff_count = -1, .services = {"contraceptives", "haircuts"}}, bad);
  EXPECT_EQ(testing_support::FieldErrorsJson(bad.ToStatus()),
            json::parse(R"([{"field":"name","code":"required"},
                            {"field":"staff_count","code":"out_of_range"},
                            {"field":"services","code":"invalid_value"}])"));
  FieldErrors twice;
  CheckPoint({.name = "x", .staff_count = 0, .services = {"iud_check", "iud_check"}}, twice);
  EXPECT_EQ(testing_support::FieldErrorsJson(twice.ToStatus()),
            json::parse(R"([{"field":"services","code":"duplicate"}])"));
}

TEST(Codes, RoundTrip) {
  for (const char* code :
       {"chs_centre", "chs_station", "township_centre", "village_clinic", "fp_station",
        "distribution_staffed", "distribution_machine", "demonstration"}) {
    auto k = ParsePointKind(code);
    ASSERT_TRUE(k.has_value()) << code;
    EXPECT_EQ(PointKindCode(*k), code);
  }
  EXPECT_FALSE(ParsePointKind("hospital").has_value());
  for (const char* code :
       {"enterprise", "market", "industrial_park", "construction_site", "dormitory"}) {
    auto k = ParsePlaceKind(code);
    ASSERT_TRUE(k.has_value()) << code;
    EXPECT_EQ(PlaceKindCode(*k), code);
  }
  EXPECT_FALSE(ParsePlaceKind("school").has_value());
  int items = 0;
  for (ChecklistItem i : kChecklistItems) {
    EXPECT_EQ(ParseChecklistItem(ChecklistItemCode(i)), i);
    ++items;
  }
  EXPECT_EQ(items, 6);
  EXPECT_FALSE(ParseCoordSystem("bd09").has_value());
}

}  // namespace
}  // namespace jd::network
