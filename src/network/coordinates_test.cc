#include "network/coordinates.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>

namespace jd::network {
namespace {

constexpr double kMetresPerDegree = kEarthRadiusM * std::numbers::pi / 180.0;  // 111,195.08 m

TEST(Haversine, MeridianAndEquatorAreRadiusTimesAngle) {
  // Along a meridian, and along the equator, the great circle is R·Δ(angle).
  EXPECT_NEAR(HaversineM({.lat = 22.8, .lon = 108.3}, {.lat = 22.801, .lon = 108.3}),
              0.001 * kMetresPerDegree, 1e-6);
  EXPECT_NEAR(HaversineM({.lat = 0, .lon = 108.0}, {.lat = 0, .lon = 109.0}), kMetresPerDegree,
              1e-6);
  // A quarter of a great circle, pole to equator, and half of one, antipodes: there the
  // haversine's arcsine of a value near 1 loses digits (0.19 m here), which the circle's index
  // allows for (network/circle.h).
  EXPECT_NEAR(HaversineM({.lat = 90, .lon = 0}, {.lat = 0, .lon = 37}),
              kEarthRadiusM * std::numbers::pi / 2, 1e-6);
  EXPECT_NEAR(HaversineM({.lat = 10, .lon = 20}, {.lat = -10, .lon = -160}),
              kEarthRadiusM * std::numbers::pi, 0.5);
  // Across the antimeridian the short way round: 0.2° of the equator.
  EXPECT_NEAR(HaversineM({.lat = 0, .lon = 179.9}, {.lat = 0, .lon = -179.9}),
              0.2 * kMetresPerDegree, 1e-6);
  // At 60°N a degree of longitude is half as long (cos 60° = 0.5), to within the curvature.
  EXPECT_NEAR(HaversineM({.lat = 60, .lon = 25}, {.lat = 60, .lon = 25.015}),
              0.015 * 0.5 * kMetresPerDegree, 0.01);
  EXPECT_EQ(HaversineM({.lat = 22.8, .lon = 108.3}, {.lat = 22.8, .lon = 108.3}), 0.0);
}

TEST(Haversine, IsSymmetric) {
  LatLon a{.lat = 22.81734, .lon = 108.36612};
  LatLon b{.lat = 22.79121, .lon = 108.29013};
  EXPECT_EQ(HaversineM(a, b), HaversineM(b, a));
}

TEST(CheckLatLon, RangesAndNotANumber) {
  auto codes = [](double lat, double lon) {
    FieldErrors errors;
    CheckLatLon(lat, lon, "p.", errors);
    std::vector<std::string> out;
    for (const auto& e : errors.errors()) out.push_back(e.field + " " + e.code);
    return out;
  };
  EXPECT_TRUE(codes(90, 180).empty());
  EXPECT_TRUE(codes(-90, -180).empty());
  EXPECT_EQ(codes(91, 108), std::vector<std::string>{"p.lat lat_out_of_range"});
  EXPECT_EQ(codes(22, 181), std::vector<std::string>{"p.lon lon_out_of_range"});
  EXPECT_EQ(codes(-90.0001, -180.0001),
            (std::vector<std::string>{"p.lat lat_out_of_range", "p.lon lon_out_of_range"}));
  double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(codes(nan, 108).size(), 1u);
  EXPECT_EQ(codes(22, std::numeric_limits<double>::infinity()).size(), 1u);
}

// The published test vectors of the eviltransform implementations (Shanghai, Shenzhen, Beijing):
// WGS-84 → GCJ-02 to 1e-9°, and back within 0.01 m.
struct Vector {
  LatLon wgs, gcj;
};
const Vector kVectors[] = {
    {{31.1774276, 121.5272106}, {31.17530398364597, 121.531541859215}},
    {{22.543847, 113.912316}, {22.540796131694766, 113.9171764808363}},
    {{39.911954, 116.377817}, {39.91334545536069, 116.38404722455657}},
};

TEST(Gcj02, PublishedVectors) {
  for (const auto& v : kVectors) {
    LatLon gcj = Wgs84ToGcj02(v.wgs);
    EXPECT_NEAR(gcj.lat, v.gcj.lat, 1e-9);
    EXPECT_NEAR(gcj.lon, v.gcj.lon, 1e-9);
    LatLon back = Gcj02ToWgs84(v.gcj);
    EXPECT_LT(HaversineM(back, v.wgs), 0.01);
  }
  // gcoord's case, to the 5 decimals its test checks (its inverse is one step, ours iterates):
  // GCJ-02 (45°N, 123°E) is WGS-84 (44.99804071, 122.99395597); ours converts back to within
  // 1e-9° of (45, 123).
  LatLon w = Gcj02ToWgs84({.lat = 45, .lon = 123});
  EXPECT_NEAR(w.lat, 44.99804071, 1e-5);
  EXPECT_NEAR(w.lon, 122.99395597, 1e-5);
  EXPECT_NEAR(Wgs84ToGcj02(w).lat, 45.0, 1e-9);
  EXPECT_NEAR(Wgs84ToGcj02(w).lon, 123.0, 1e-9);
  // The offset is a few hundred metres in Nanning.
  LatLon nanning{.lat = 22.8170, .lon = 108.3665};
  double offset = HaversineM(nanning, Wgs84ToGcj02(nanning));
  EXPECT_GT(offset, 100.0);
  EXPECT_LT(offset, 1000.0);
}

TEST(Gcj02, InverseWithinOneCentimetreAcrossChina) {
  double worst = 0;
  for (double lat = 18.0; lat <= 53.0; lat += 0.37) {
    for (double lon = 74.0; lon <= 135.0; lon += 0.53) {
      LatLon wgs{.lat = lat, .lon = lon};
      LatLon gcj = Wgs84ToGcj02(wgs);
      worst = std::max(worst, HaversineM(Gcj02ToWgs84(gcj), wgs));
    }
  }
  EXPECT_LT(worst, 0.01);
}

TEST(Gcj02, OutsideTheAreaUnchanged) {
  for (LatLon p : {LatLon{48.85, 2.35}, LatLon{0, 0}, LatLon{35.68, 139.77}, LatLon{-33.9, 151.2},
                   LatLon{90, 180}}) {
    EXPECT_TRUE(OutsideGcj02Area(p));
    EXPECT_EQ(Wgs84ToGcj02(p), p);
    EXPECT_EQ(Gcj02ToWgs84(p), p);
  }
  EXPECT_FALSE(OutsideGcj02Area({.lat = 22.8, .lon = 108.3}));
}

}  // namespace
}  // namespace jd::network
