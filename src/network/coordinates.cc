#include "network/coordinates.h"

#include <cmath>
#include <numbers>
#include <string>

namespace jd::network {

namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kDegToRad = kPi / 180.0;

// The GCJ-02 ellipsoid of the published algorithm (Krasovsky 1940).
constexpr double kGcjA = 6378245.0;
constexpr double kGcjEe = 0.00669342162296594323;

double OffsetLat(double x, double y) {
  double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * std::sqrt(std::abs(x));
  r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
  r += (20.0 * std::sin(y * kPi) + 40.0 * std::sin(y / 3.0 * kPi)) * 2.0 / 3.0;
  r += (160.0 * std::sin(y / 12.0 * kPi) + 320.0 * std::sin(y * kPi / 30.0)) * 2.0 / 3.0;
  return r;
}

double OffsetLon(double x, double y) {
  double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * std::sqrt(std::abs(x));
  r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
  r += (20.0 * std::sin(x * kPi) + 40.0 * std::sin(x / 3.0 * kPi)) * 2.0 / 3.0;
  r += (150.0 * std::sin(x / 12.0 * kPi) + 300.0 * std::sin(x / 30.0 * kPi)) * 2.0 / 3.0;
  return r;
}

// The GCJ-02 offset at a WGS-84 position inside the rectangle, in degrees.
LatLon Offset(LatLon wgs) {
  double d_lat = OffsetLat(wgs.lon - 105.0, wgs.lat - 35.0);
  double d_lon = OffsetLon(wgs.lon - 105.0, wgs.lat - 35.0);
  double rad_lat = wgs.lat * kDegToRad;
  double magic = 1.0 - kGcjEe * std::sin(rad_lat) * std::sin(rad_lat);
  double sqrt_magic = std::sqrt(magic);
  d_lat = (d_lat * 180.0) / ((kGcjA * (1.0 - kGcjEe)) / (magic * sqrt_magic) * kPi);
  d_lon = (d_lon * 180.0) / (kGcjA / sqrt_magic * std::cos(rad_lat) * kPi);
  return {.lat = d_lat, .lon = d_lon};
}

}  // namespace

void CheckLatLon(double lat, double lon, std::string_view field_prefix, FieldErrors& errors) {
  std::string prefix(field_prefix);
  // Written so that NaN fails too.
  if (!(lat >= -90.0 && lat <= 90.0)) {
    errors.Add(prefix + "lat", "lat_out_of_range", "纬度应在 -90 到 90 度之间",
               "the latitude must be between -90 and 90 degrees");
  }
  if (!(lon >= -180.0 && lon <= 180.0)) {
    errors.Add(prefix + "lon", "lon_out_of_range", "经度应在 -180 到 180 度之间",
               "the longitude must be between -180 and 180 degrees");
  }
}

double HaversineM(LatLon a, LatLon b) {
  double phi1 = a.lat * kDegToRad;
  double phi2 = b.lat * kDegToRad;
  double s_lat = std::sin((phi2 - phi1) / 2.0);
  double s_lon = std::sin((b.lon - a.lon) * kDegToRad / 2.0);
  double h = s_lat * s_lat + std::cos(phi1) * std::cos(phi2) * s_lon * s_lon;
  if (h > 1.0) h = 1.0;  // rounding near the antipode
  return 2.0 * kEarthRadiusM * std::asin(std::sqrt(h));
}

bool OutsideGcj02Area(LatLon p) {
  return p.lon < 72.004 || p.lon > 137.8347 || p.lat < 0.8293 || p.lat > 55.8271;
}

LatLon Wgs84ToGcj02(LatLon wgs) {
  if (OutsideGcj02Area(wgs)) return wgs;
  LatLon d = Offset(wgs);
  return {.lat = wgs.lat + d.lat, .lon = wgs.lon + d.lon};
}

LatLon Gcj02ToWgs84(LatLon gcj) {
  if (OutsideGcj02Area(gcj)) return gcj;
  LatLon w = gcj;
  for (int step = 0; step < 20; ++step) {
    LatLon d = Offset(w);
    double err_lat = w.lat + d.lat - gcj.lat;
    double err_lon = w.lon + d.lon - gcj.lon;
    if (std::abs(err_lat) < 1e-9 && std::abs(err_lon) < 1e-9) break;
    w.lat -= err_lat;
    w.lon -= err_lon;
  }
  return w;
}

}  // namespace jd::network
