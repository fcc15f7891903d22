// Loading and checking the schedule data (data/immunization/). A broken data file is a clear error
// at start-up, never a wrong forecast.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "core/embedded.h"
#include "immunization/forecast.h"

namespace jd::immunization {

using nlohmann::json;

Date Add(Date d, Span s) {
  switch (s.unit) {
    case Span::Unit::kDays:
      return AddDays(d, s.count);
    case Span::Unit::kMonths:
      return AddMonths(d, s.count);
    case Span::Unit::kYears:
      return AddYears(d, s.count);
  }
  return d;
}

Date SubtractSpan(Date d, Span s) { return Add(d, Span{-s.count, s.unit}); }

std::string FormatSpan(Span s) {
  const char* unit = s.unit == Span::Unit::kDays ? "d" : s.unit == Span::Unit::kMonths ? "m" : "y";
  return fmt::format("{}{}", s.count, unit);
}

namespace {

// The 13 programme vaccines at their fixed ids (model.h namespace vaccine).
constexpr std::array<std::string_view, vaccine::kFirstOther> kProgrammeCodes = {
    "HepB", "BCG",  "IPV",    "bOPV",    "DTaP",   "DT",    "MMR",
    "JE-L", "JE-I", "MPSV-A", "MPSV-AC", "HepA-L", "HepA-I"};

Status DataError(const std::string& what) {
  return Status::Invalid({{"", "schedule_data", "免疫程序数据有误：" + what,
                           "the immunisation schedule data is invalid: " + what}});
}

Result<Span> ParseSpan(const json& j, const std::string& where) {
  if (!j.is_string()) return DataError(where + " must be a string like \"28d\", \"1m\" or \"4y\"");
  std::string s = j.get<std::string>();
  if (s.size() < 2) return DataError(where + ": bad span " + s);
  Span out;
  char unit = s.back();
  if (unit == 'd') {
    out.unit = Span::Unit::kDays;
  } else if (unit == 'm') {
    out.unit = Span::Unit::kMonths;
  } else if (unit == 'y') {
    out.unit = Span::Unit::kYears;
  } else {
    return DataError(where + ": bad span unit in " + s);
  }
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size() - 1, out.count);
  if (ec != std::errc() || p != s.data() + s.size() - 1 || out.count < 0) {
    return DataError(where + ": bad span " + s);
  }
  return out;
}

Result<std::optional<Span>> OptionalSpan(const json& obj, const char* key,
                                         const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end()) return std::optional<Span>();
  JD_ASSIGN_OR_RETURN(Span s, ParseSpan(*it, where + "." + key));
  return std::optional<Span>(s);
}

Result<Date> ParseDateField(const json& obj, const char* key, const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return DataError(where + "." + key + " is required");
  auto d = ParseDate(it->get<std::string>());
  if (!d) return DataError(where + "." + key + " is not a date");
  return *d;
}

json ParseJson(std::string_view text, const std::string& name, Status& error) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) error = DataError(name + " is not a JSON object");
  return j;
}

}  // namespace

const VaccineInfo* Schedule::Find(std::string_view code) const {
  for (const auto& v : vaccines_) {
    if (v.code == code) return &v;
  }
  return nullptr;
}

Result<Schedule> Schedule::Load(std::string_view catalogue_json,
                                const std::vector<std::string_view>& version_jsons) {
  Schedule s;
  Status error;
  json cat = ParseJson(catalogue_json, "catalogue", error);
  if (!error.ok()) return error;
  if (!cat.contains("vaccines") || !cat["vaccines"].is_array()) {
    return DataError("catalogue.vaccines is required");
  }
  s.vaccines_.resize(vaccine::kFirstOther);
  std::vector<bool> seen(vaccine::kFirstOther, false);
  for (const json& v : cat["vaccines"]) {
    VaccineInfo info;
    info.code = v.value("code", "");
    info.name_zh = v.value("name_zh", "");
    info.name_en = v.value("name_en", "");
    info.route = v.value("route", "");
    info.programme = v.value("programme", false);
    info.live_injected = v.value("live_injected", false);
    if (info.code.empty() || info.name_zh.empty()) {
      return DataError("every vaccine needs a code and a Chinese name");
    }
    auto fixed = std::find(kProgrammeCodes.begin(), kProgrammeCodes.end(), info.code);
    if (fixed != kProgrammeCodes.end()) {
      info.id = static_cast<VaccineId>(fixed - kProgrammeCodes.begin());
      if (seen[info.id]) return DataError("vaccine listed twice: " + info.code);
      seen[info.id] = true;
      s.vaccines_[info.id] = std::move(info);
    } else {
      for (const auto& other : s.vaccines_) {
        if (other.code == info.code) return DataError("vaccine listed twice: " + info.code);
      }
      if (s.vaccines_.size() >= 255) return DataError("too many vaccines");
      info.id = static_cast<VaccineId>(s.vaccines_.size());
      s.vaccines_.push_back(std::move(info));
    }
  }
  for (std::size_t i = 0; i < seen.size(); ++i) {
    if (!seen[i]) return DataError(fmt::format("programme vaccine {} missing", kProgrammeCodes[i]));
  }

  const json rules = cat.value("catch_up", json::object());
  auto span_rule = [&](const char* key, Span& into) -> Status {
    JD_ASSIGN_OR_RETURN(auto sp, OptionalSpan(rules, key, "catch_up"));
    if (!sp) return DataError(std::string("catch_up.") + key + " is required");
    into = *sp;
    return Status::Ok();
  };
  CatchUpRules& r = s.rules_;
  JD_RETURN_IF_ERROR(span_rule("general_catch_up_before", r.general_catch_up_before));
  JD_RETURN_IF_ERROR(span_rule("bcg_skin_test_from", r.bcg_skin_test_from));
  JD_RETURN_IF_ERROR(span_rule("bcg_no_catch_up_from", r.bcg_no_catch_up_from));
  JD_RETURN_IF_ERROR(span_rule("mena_until", r.mena_until));
  JD_RETURN_IF_ERROR(span_rule("menac_after_mena_complete", r.menac_after_mena_complete));
  JD_RETURN_IF_ERROR(span_rule("menac_after_mena_partial", r.menac_after_mena_partial));
  JD_RETURN_IF_ERROR(span_rule("dtp_dt_from", r.dtp_dt_from));
  JD_RETURN_IF_ERROR(span_rule("dtp_dt_until", r.dtp_dt_until));
  JD_RETURN_IF_ERROR(span_rule("dt_after_dtap3", r.dt_after_dtap3));
  JD_RETURN_IF_ERROR(span_rule("dt_after_dtap4", r.dt_after_dtap4));
  JD_RETURN_IF_ERROR(span_rule("dt_catch_up_interval_1_2", r.dt_catch_up_interval_1_2));
  JD_RETURN_IF_ERROR(span_rule("dt_catch_up_interval_2_3", r.dt_catch_up_interval_2_3));
  r.live_spacing_days = rules.value("live_spacing_days", 0);
  if (r.live_spacing_days <= 0) return DataError("catch_up.live_spacing_days is required");
  JD_ASSIGN_OR_RETURN(r.polio_two_ipv_born_from,
                      ParseDateField(rules, "polio_two_ipv_born_from", "catch_up"));

  for (std::string_view text : version_jsons) {
    json v = ParseJson(text, "schedule version", error);
    if (!error.ok()) return error;
    ScheduleVersion version;
    version.id = v.value("id", "");
    version.title_zh = v.value("title_zh", "");
    version.source = v.value("source", "");
    version.amends = v.value("amends", "");
    if (version.id.empty() || version.source.empty()) {
      return DataError("every schedule version needs an id and its source");
    }
    JD_ASSIGN_OR_RETURN(version.effective, ParseDateField(v, "effective", version.id));
    if (!v.contains("series") || !v["series"].is_array()) {
      return DataError(version.id + ".series is required");
    }
    for (const json& js : v["series"]) {
      SeriesSpec series;
      series.id = js.value("id", "");
      std::string where = version.id + "." + series.id;
      JD_ASSIGN_OR_RETURN(series.catch_up_before, OptionalSpan(js, "catch_up_before", where));
      if (series.id.empty() || !js.contains("doses") || !js["doses"].is_array() ||
          js["doses"].empty()) {
        return DataError(where + ": a series needs an id and doses");
      }
      for (const json& jd : js["doses"]) {
        DoseSpec dose;
        const VaccineInfo* vi = s.Find(jd.value("vaccine", ""));
        if (!vi) return DataError(where + ": unknown vaccine " + jd.value("vaccine", ""));
        dose.vaccine = vi->id;
        if (jd.contains("accepts")) {
          for (const json& a : jd["accepts"]) {
            const VaccineInfo* ai = a.is_string() ? s.Find(a.get<std::string>()) : nullptr;
            if (!ai) return DataError(where + ": unknown vaccine in accepts");
            dose.accepts.push_back(ai->id);
          }
        } else {
          dose.accepts.push_back(dose.vaccine);
        }
        JD_ASSIGN_OR_RETURN(auto age, OptionalSpan(jd, "age", where));
        if (!age) return DataError(where + ": every dose needs an age");
        dose.age = *age;
        JD_ASSIGN_OR_RETURN(dose.interval, OptionalSpan(jd, "interval", where));
        JD_ASSIGN_OR_RETURN(dose.interval_from_first,
                            OptionalSpan(jd, "interval_from_first", where));
        JD_ASSIGN_OR_RETURN(dose.timely_before, OptionalSpan(jd, "timely_before", where));
        if (!series.doses.empty() && !dose.interval) {
          return DataError(where + ": every dose after the first needs a minimum interval");
        }
        series.doses.push_back(std::move(dose));
      }
      if (!series.doses.back().timely_before) {
        return DataError(where + ": the last dose needs a completion age (timely_before)");
      }
      version.series.push_back(std::move(series));
    }
    s.versions_.push_back(std::move(version));
  }
  // The base first, then amendments by effective date.
  std::stable_sort(s.versions_.begin(), s.versions_.end(),
                   [](const ScheduleVersion& a, const ScheduleVersion& b) {
                     if (a.amends.empty() != b.amends.empty()) return a.amends.empty();
                     return a.effective < b.effective;
                   });
  if (s.versions_.empty() || !s.versions_[0].amends.empty()) {
    return DataError("a base schedule version is required");
  }
  for (std::size_t i = 1; i < s.versions_.size(); ++i) {
    if (!s.versions_[i].amends.empty() && s.versions_[i].amends != s.versions_[0].id) {
      return DataError(s.versions_[i].id + " amends an unknown version " + s.versions_[i].amends);
    }
    if (!s.versions_[i].amends.empty() && s.versions_[i].effective < s.versions_[0].effective) {
      return DataError(s.versions_[i].id + " takes effect before the version it amends");
    }
  }
  for (std::size_t p = 0; p < s.versions_[0].series.size(); ++p) {
    s.series_ids_.push_back(s.versions_[0].series[p].id);
    s.defs_.push_back({{s.versions_[0].effective, 0, p}});
  }
  for (std::size_t vi = 1; vi < s.versions_.size(); ++vi) {
    for (std::size_t p = 0; p < s.versions_[vi].series.size(); ++p) {
      const std::string& id = s.versions_[vi].series[p].id;
      auto it = std::find(s.series_ids_.begin(), s.series_ids_.end(), id);
      if (it == s.series_ids_.end()) {
        return DataError(s.versions_[vi].id + " amends an unknown series " + id);
      }
      auto& defs = s.defs_[static_cast<std::size_t>(it - s.series_ids_.begin())];
      const SeriesSpec& base = s.versions_[0].series[defs[0].position];
      if (s.versions_[vi].series[p].doses.size() != base.doses.size()) {
        // Positions are compared across versions (a dose's validity is judged by the version in
        // force on its date), so an amended series keeps the number of doses.
        return DataError(s.versions_[vi].id + "." + id + " must keep the number of doses");
      }
      defs.push_back({s.versions_[vi].effective, vi, p});
    }
  }
  return s;
}

const SeriesSpec& Schedule::SeriesOn(std::size_t series_index, Date date) const {
  const auto& defs = defs_[series_index];
  const Def* chosen = &defs[0];
  for (const Def& d : defs) {
    if (d.from <= date) chosen = &d;
  }
  return versions_[chosen->version].series[chosen->position];
}

std::string Schedule::NameOn(Date date) const {
  std::string name = versions_[0].id;
  for (std::size_t i = 1; i < versions_.size(); ++i) {
    if (versions_[i].effective <= date) name += "+" + versions_[i].id;
  }
  return name;
}

const Schedule& Schedule::Default() {
  static const Schedule kDefault = [] {
    auto s = Load(embedded::immunization_catalogue(),
                  {embedded::immunization_nip_2021(), embedded::immunization_dtap_2025()});
    // The shipped data is checked by the unit tests; failing here is a build mistake.
    if (!s.ok())
      throw std::logic_error("shipped immunisation schedule: " +
                             (s.status().field_errors().empty()
                                  ? s.status().message_en()
                                  : s.status().field_errors()[0].message_en));
    return std::move(s).value();
  }();
  return kDefault;
}

}  // namespace jd::immunization
