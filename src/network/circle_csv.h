// File: network/circle_csv.h
// The CSV form of the ten-minute service circle (network/circle.h), as `jundeng network circle`
// reads and writes it.
//
// ReadSitesCsv(text, file): service points or candidate sites from a CSV (RFC 4180, core/csv.h)
//   whose header names the columns `id,lat,lon` (WGS-84 degrees; found by name, other columns
//   ignored, so a communities file may serve as the candidates).
// ReadCommunitiesCsv(text, file): communities from a CSV with the columns `id,lat,lon,people`.
//   Both check every row and return Status::Invalid listing the problems (the first 50), each
//   field named `<file>:<line>:<column>`: "missing_header", "missing_column", "missing_field"
//   (a row shorter than the header), "required" (empty id), the core/input.h text codes for the
//   id (kCode), "duplicate_id" (an id listed twice in one file), "not_a_number" (lat, lon),
//   "lat_out_of_range", "lon_out_of_range", "invalid_people" (people not a whole number from 0 to
//   100,000,000). A header alone is an empty list. Cells are trimmed (core/text.h Trim).
// WriteReachCsv(out, points, communities, reach): the header
//   `community_id,nearest_point_id,distance_m,covered` and one row per community in input order:
//   distance_m to 0.1 m (fixed, round half to even on the binary value), covered 1 or 0; with no
//   nearest point, nearest_point_id and distance_m are empty and covered is 0.
// WritePlacementCsv(out, candidates, placements): the header `rank,candidate_id,newly_covered`
//   and one row per placement, rank from 1.
// Rows end in LF; a field is quoted (RFC 4180, '"' doubled) only when it holds a comma, a quote
// or a line break.
#pragma once

#include <ostream>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "network/circle.h"

namespace jd::network {

Result<std::vector<Site>> ReadSitesCsv(std::string_view text, std::string_view file);
Result<std::vector<Community>> ReadCommunitiesCsv(std::string_view text, std::string_view file);

void WriteReachCsv(std::ostream& out, const std::vector<Site>& points,
                   const std::vector<Community>& communities, const std::vector<Reach>& reach);
void WritePlacementCsv(std::ostream& out, const std::vector<Site>& candidates,
                       const std::vector<Placement>& placements);

}  // namespace jd::network
