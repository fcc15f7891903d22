#include "disease/catalogue.h"

#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "core/embedded.h"

namespace jd::disease {

namespace {

using nlohmann::json;

Status Bad(const std::string& where, const std::string& what) {
  return Status::Invalid({{where, "invalid_catalogue", "传染病目录有误：" + where + " " + what,
                           "the disease catalogue is invalid: " + where + " " + what}});
}

std::optional<Date> DateAt(const json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string()) return std::nullopt;
  return ParseDate(j[key].get<std::string>());
}

std::string Str(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

}  // namespace

std::string_view DiseaseClassName(DiseaseClass c) {
  switch (c) {
    case DiseaseClass::kA:
      return "A";
    case DiseaseClass::kB:
      return "B";
    case DiseaseClass::kC:
      return "C";
  }
  return "B";
}

Result<DiseaseCatalogue> DiseaseCatalogue::Parse(std::string_view json_text) {
  json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("diseases") ||
      !doc["diseases"].is_array() || !doc.contains("revisions") || !doc["revisions"].is_array()) {
    return Bad("", "is not a JSON object with diseases and revisions");
  }
  DiseaseCatalogue c;
  if (doc.contains("reporting_limit_hours")) {
    c.limit_class_a_ = doc["reporting_limit_hours"].value("class_a", 2);
    c.limit_other_ = doc["reporting_limit_hours"].value("other", 24);
  }
  for (std::size_t i = 0; i < doc["revisions"].size(); ++i) {
    const json& r = doc["revisions"][i];
    auto effective = DateAt(r, "effective");
    if (!effective) return Bad("revisions[" + std::to_string(i) + "]", "has no effective date");
    c.revisions_.push_back({*effective, Str(r, "what_zh"), Str(r, "what_en"), Str(r, "source")});
  }
  std::set<std::string> codes;
  for (std::size_t i = 0; i < doc["diseases"].size(); ++i) {
    const json& d = doc["diseases"][i];
    std::string where = "diseases[" + std::to_string(i) + "]";
    DiseaseEntry e;
    e.code = Str(d, "code");
    e.name_zh = Str(d, "name_zh");
    e.name_en = Str(d, "name_en");
    if (e.code.empty() || e.name_zh.empty() || e.name_en.empty()) {
      return Bad(where, "needs code, name_zh and name_en");
    }
    if (!codes.insert(e.code).second) return Bad(where, "repeats the code " + e.code);
    if (!d.contains("listed") || !d["listed"].is_array() || d["listed"].empty()) {
      return Bad(where, "has no listing");
    }
    for (const json& l : d["listed"]) {
      Listing listing;
      auto from = DateAt(l, "from");
      if (!from) return Bad(where, "has a listing without a from date");
      listing.from = *from;
      if (l.contains("to")) {
        listing.to = DateAt(l, "to");
        if (!listing.to || *listing.to <= listing.from) return Bad(where, "has a bad to date");
      }
      std::string cls = Str(l, "class");
      if (cls == "A") {
        listing.disease_class = DiseaseClass::kA;
      } else if (cls == "B") {
        listing.disease_class = DiseaseClass::kB;
      } else if (cls == "C") {
        listing.disease_class = DiseaseClass::kC;
      } else {
        return Bad(where, "has an unknown class " + cls);
      }
      listing.managed_as_a = l.value("managed_as_a", false);
      if (listing.managed_as_a && listing.disease_class != DiseaseClass::kB) {
        return Bad(where, "is managed as Class A without being Class B");
      }
      e.listed.push_back(listing);
    }
    std::string method = Str(d, "detection");
    if (method == "fixed_threshold") {
      e.detection = DetectionMethod::kFixedThreshold;
    } else if (method == "moving_percentile") {
      e.detection = DetectionMethod::kMovingPercentile;
      e.percentile = d.value("percentile", 0);
      if (e.percentile < 1 || e.percentile > 99) return Bad(where, "needs a percentile 1–99");
    } else if (method == "none") {
      e.detection = DetectionMethod::kNone;
    } else {
      return Bad(where, "has an unknown detection method " + method);
    }
    e.class_a_measures_form = Str(d, "class_a_measures_form");
    if (d.contains("unconfirmed") && d["unconfirmed"].is_array()) {
      for (const json& u : d["unconfirmed"]) {
        if (u.is_string()) e.unconfirmed.push_back(u.get<std::string>());
      }
    }
    c.entries_.push_back(std::move(e));
  }
  if (c.revisions_.empty()) return Bad("revisions", "is empty");
  return c;
}

const DiseaseCatalogue& DiseaseCatalogue::Builtin() {
  static const DiseaseCatalogue catalogue = [] {
    auto parsed = Parse(embedded::disease_catalogue());
    if (!parsed.ok())
      throw std::logic_error("embedded disease catalogue: " + parsed.status().message_en());
    return std::move(*parsed);
  }();
  return catalogue;
}

std::optional<NotifiableDisease> DiseaseCatalogue::On(const DiseaseEntry& e, Date as_of) const {
  for (const Listing& l : e.listed) {
    if (as_of < l.from || (l.to && as_of >= *l.to)) continue;
    NotifiableDisease n{
        .entry = &e, .disease_class = l.disease_class, .managed_as_a = l.managed_as_a};
    // 传染病信息报告管理规范 (2015): 甲类 and 乙类甲管 within 2 hours, the others within 24 hours.
    n.report_limit_hours =
        l.disease_class == DiseaseClass::kA || l.managed_as_a ? limit_class_a_ : limit_other_;
    return n;
  }
  return std::nullopt;
}

Result<std::vector<NotifiableDisease>> DiseaseCatalogue::ListedOn(Date as_of) const {
  if (as_of < revisions_.front().effective) {
    return Status::Invalid(
        {{"as_of", "before_catalogue",
          "传染病目录自 " + FormatDate(revisions_.front().effective) + " 起",
          "the disease catalogue starts on " + FormatDate(revisions_.front().effective)}});
  }
  std::vector<NotifiableDisease> out;
  for (const DiseaseEntry& e : entries_) {
    if (auto n = On(e, as_of)) out.push_back(*n);
  }
  return out;
}

Result<NotifiableDisease> DiseaseCatalogue::Find(std::string_view code, Date as_of) const {
  for (const DiseaseEntry& e : entries_) {
    if (e.code != code) continue;
    if (auto n = On(e, as_of)) return *n;
    break;
  }
  return Status::NotFound("disease " + std::string(code) + " on " + FormatDate(as_of),
                          "传染病 " + std::string(code) + "（" + FormatDate(as_of) + "）");
}

}  // namespace jd::disease
