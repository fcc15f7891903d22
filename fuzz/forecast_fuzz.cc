// Fuzz target: the forecast input (immunization/forecast.h): arbitrary JSON as
// `jundeng immunization forecast` and the API read it, then the forecast and its JSON.
// Properties checked beyond "no crash, no sanitizer report, no exception":
// - a request that parses has as_of on or after the birth date and at most 500 doses;
// - its forecast serialises, and every dose it lists is of a series of the schedule.
#include "fuzz_support.h"
#include "immunization/forecast.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jd::immunization;
  const nlohmann::json j = jd::fuzz::ParseJsonOrDiscard(data, size);
  if (j.is_discarded()) return 0;
  const Schedule& schedule = Schedule::Default();
  auto req = ForecastRequestFromJson(schedule, j);
  if (!req.ok()) {
    JD_FUZZ_CHECK(!req.status().field_errors().empty());
    return 0;
  }
  JD_FUZZ_CHECK(req->birth <= req->as_of);
  JD_FUZZ_CHECK(req->history.size() <= 500);
  const Forecast f = ForecastChild(schedule, req->birth, req->history, req->as_of, req->options);
  for (const auto& dose : f.doses) JD_FUZZ_CHECK(dose.series < schedule.series_ids().size());
  (void)ForecastToJson(schedule, f, req->as_of, req->options).dump();
  return 0;
}
