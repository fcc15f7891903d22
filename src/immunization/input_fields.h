// File: immunization/input_fields.h
// Reading the fields of a JSON request body with every problem as a field error (zh + en), for the
// programme's use cases (campaigns, catch-up rounds, entry checks, coverage). Text and dates are
// read with core/input.h (TextMember, DateMember, DateParam), which this header brings in.
//
// IntField(j, key, lo, hi, required, errors): an integer member within [lo, hi].
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/dates.h"
#include "core/input.h"
#include "core/status.h"

namespace jd::immunization {

std::optional<int> IntField(const nlohmann::json& j, const std::string& key, int lo, int hi,
                            bool required, FieldErrors& errors);

}  // namespace jd::immunization
