// File: disease/analysis_json.h
// The periodic infectious-disease analysis (disease/analysis.h) as the JSON the API answers
// (GET /api/v1/disease/analysis, src/http/openapi/disease.json "DiseaseAnalysis"): the period and
// its windows, the area, the totals and comparisons, the tables by class, disease, area,
// occupation and work site, the epidemic curve, and the names of every disease code it uses
// (disease_names: code → {name_zh, name_en, class}). Dates as "YYYY-MM-DD"; a missing percentage,
// incidence or population is null. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "disease/analysis.h"
#include "disease/catalogue.h"

namespace jd::disease {

nlohmann::json AnalysisToJson(const Analysis& a, const DiseaseCatalogue& catalogue);

}  // namespace jd::disease
