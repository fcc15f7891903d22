// File: network/coordinates.h
// Positions on the earth for the service network: WGS-84 latitude/longitude in degrees, their
// validation, the great-circle distance, and the GCJ-02 (国测局) conversion. Pure functions,
// thread-safe, no allocation.
//
// LatLon: WGS-84 degrees (what is stored everywhere). GCJ-02 positions from Chinese web maps are
//   accepted on input and converted with Gcj02ToWgs84 before they are stored.
// CheckLatLon(lat, lon, field_prefix, errors): adds a field error for a latitude outside
//   [-90, 90] or a longitude outside [-180, 180] (codes "lat_out_of_range", "lon_out_of_range";
//   NaN and infinities are out of range). Fields are `field_prefix + "lat"` and `... + "lon"`.
// HaversineM(a, b): the haversine great-circle distance in metres on a sphere of radius
//   kEarthRadiusM = 6,371,008.8 m (the IUGG mean earth radius R1). Symmetric, ≥ 0; along a
//   meridian it is exactly R·Δlat in radians (up to rounding).
// Wgs84ToGcj02(p): the widely published GCJ-02 offset (the "eviltransform" formulation: Krasovsky
//   semi-major axis 6,378,245 m, e² = 0.00669342162296594323, the offset polynomials around
//   105°E 35°N). Outside the rectangle lon 72.004–137.8347, lat 0.8293–55.8271 there is no offset
//   and the position is returned unchanged.
// Gcj02ToWgs84(p): the inverse, by fixed-point iteration w ← w − (Wgs84ToGcj02(w) − p) from w = p
//   until the forward conversion of w is within 1e-9° (about 0.1 mm) of p, at most 20 steps: the
//   round trip Wgs84ToGcj02(Gcj02ToWgs84(p)) is within 0.01 m of p (three or four steps in
//   practice, the offset changes by under 1 % of a step per step). A GCJ-02 position outside the
//   rectangle is returned unchanged.
#pragma once

#include <string_view>

#include "core/status.h"

namespace jd::network {

inline constexpr double kEarthRadiusM = 6371008.8;

struct LatLon {
  double lat = 0;  // degrees north, WGS-84
  double lon = 0;  // degrees east, WGS-84

  bool operator==(const LatLon&) const = default;
};

void CheckLatLon(double lat, double lon, std::string_view field_prefix, FieldErrors& errors);

double HaversineM(LatLon a, LatLon b);

// Whether the published GCJ-02 algorithm leaves `p` unchanged (outside its China rectangle).
bool OutsideGcj02Area(LatLon p);
LatLon Wgs84ToGcj02(LatLon wgs);
LatLon Gcj02ToWgs84(LatLon gcj);

}  // namespace jd::network
