#include "preconception/demo_checks.h"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "core/ids.h"
#include "core/stable_hash.h"
#include "preconception/store.h"

namespace jd::preconception {

namespace {

struct Adult {
  std::string person_id;
  std::string identity;
  Date birth{};
  std::string residence;
};

struct Generated {
  StoredCheck check;
  std::vector<StoredSupply> supplies;
};

// The street's health centre of a community code (as the other demo modules do).
std::string Clinic(const std::string& residence, const std::set<std::string>& orgs) {
  return residence.size() == 12 && orgs.count(residence.substr(0, 9)) ? residence.substr(0, 9)
                                                                      : residence;
}

// A result for `item` of `partner`: mostly the normal value, sometimes a finding.
std::string DrawResult(const Item& item, SplitMixStream& d) {
  const std::string code(item.code);
  if (code == "rubella_igg") return d.PerMille(120) ? "negative" : "positive";
  if (code == "hbv_five") {
    return d.PerMille(60) ? "hbsag_positive" : d.PerMille(500) ? "immune" : "susceptible";
  }
  if (code == "syphilis") return d.PerMille(5) ? "positive" : "negative";
  if (code == "tsh") return d.PerMille(40) ? "abnormal" : "normal";
  if (code == "blood_group") {
    static constexpr const char* kGroups[] = {"O+", "A+", "B+", "AB+", "O+", "A+", "B+"};
    return d.PerMille(4) ? "O-" : kGroups[d.Between(0, 6)];
  }
  if (code == "cmv" || code == "toxoplasma") {
    return d.PerMille(10) ? "igm_positive" : d.PerMille(600) ? "igg_positive" : "negative";
  }
  if (code == "history") return d.PerMille(80) ? "risk_found" : "no_risk";
  const auto values = Values(item);
  if (values.empty()) return "";
  return d.PerMille(20) && values.size() > 1 ? values[1] : values[0];
}

Generated Generate(const Adult& woman, const Adult* man, SplitMixStream& d,
                   const std::set<std::string>& orgs, const DemoCheckOptions& o) {
  Generated g;
  StoredCheck& c = g.check;
  c.id = NewId();
  c.person_id = woman.person_id;
  if (man) {
    c.man_person_id = man->person_id;
  } else {
    static constexpr const char* kNames[] = {"张伟", "李强", "王磊", "刘洋", "陈杰", "黄勇"};
    c.man_name = kNames[d.Between(0, 5)];
  }
  c.record.man_examined = !d.PerMille(100);
  c.check_date = AddDays(o.as_of, -d.Between(0, 330));
  c.clinic_code = Clinic(woman.residence, orgs);
  const bool complete = d.PerMille(800);
  for (const Item& item : Catalogue()) {
    if (item.category == Category::kFollowUp) continue;
    for (Partner p : {Partner::kWoman, Partner::kMan}) {
      if (!AppliesTo(item, p) || (p == Partner::kMan && !c.record.man_examined)) continue;
      if (!complete && d.PerMille(120)) continue;
      (p == Partner::kWoman ? c.record.woman_items : c.record.man_items).emplace_back(item.code);
      if (!item.values.empty())
        c.record.results.push_back({p, std::string(item.code), DrawResult(item, d)});
    }
  }
  bool history_risk = false;
  for (const auto& r : c.record.results) history_risk |= r.value == "risk_found";
  if (history_risk) {
    static constexpr const char* kFactors[] = {"adverse_pregnancy_history",
                                               "genetic_family_history", "chronic_disease",
                                               "smoking_alcohol"};
    c.record.risk_factors.emplace_back(kFactors[d.Between(0, 3)]);
  }
  const Classification cls = Classify(c.record, AgeInYears(woman.birth, c.check_date));
  c.risk = cls.group;
  c.risk_reasons = cls.reasons;
  c.advice = c.risk == RiskGroup::kHighRisk ? "高风险人群：已面对面咨询，建议针对性干预后再计划怀孕"
                                            : "一般人群：孕前3个月起每日补充叶酸0.4mg";
  c.planned_pregnancy_on = AddDays(c.check_date, d.Between(90, 180));
  c.recorded_at = o.created_at;
  c.recorded_by = o.created_by;
  if (d.PerMille(750)) {
    Date on = c.check_date;
    for (int i = 0; i < 4 && on <= o.as_of; ++i) {
      StoredSupply s;
      s.id = NewId();
      s.person_id = woman.person_id;
      s.supplied_on = on;
      s.quantity_days = 90;
      s.clinic_code = c.clinic_code;
      s.recorded_at = o.created_at;
      s.recorded_by = o.created_by;
      g.supplies.push_back(s);
      if (!d.PerMille(750)) break;
      on = AddDays(on, 90 + d.Between(-5, 10));
    }
  }
  return g;
}

}  // namespace

Result<DemoCheckCounts> DemoChecks(storage::Database& db, const DemoCheckOptions& o) {
  DemoCheckCounts counts;
  std::vector<Adult> women;
  std::map<std::string, std::vector<Adult>> men_by_residence;
  std::set<std::string> orgs;
  Status st = db.Read([&](soci::session& s) -> Status {
    soci::rowset<soci::row> units = (s.prepare << "SELECT code FROM org_units");
    for (const auto& r : units) orgs.insert(r.get<std::string>(0));
    const std::string oldest = FormatDate(AddYears(o.as_of, -50)),
                      youngest = FormatDate(AddYears(o.as_of, -20));
    soci::rowset<soci::row> rows =
        (s.prepare << "SELECT id, id_type, id_number, birth_date, residence_org, sex FROM persons "
                      "WHERE status = 'active' AND marital_status = 'married' AND birth_date > "
                      ":oldest AND birth_date <= :youngest",
         soci::use(oldest), soci::use(youngest));
    for (const auto& r : rows) {
      auto birth = ParseDate(r.get<std::string>(3));
      if (!birth) continue;
      Adult a{r.get<std::string>(0), r.get<std::string>(1) + ":" + r.get<std::string>(2), *birth,
              r.get<std::string>(4)};
      if (r.get<std::string>(5) == "M") {
        men_by_residence[a.residence].push_back(std::move(a));
      } else if (AgeInYears(a.birth, o.as_of) <= 40) {
        women.push_back(std::move(a));
      }
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  // Independent of the database's order.
  auto by_identity = [](const Adult& a, const Adult& b) { return a.identity < b.identity; };
  std::sort(women.begin(), women.end(), by_identity);
  for (auto& [_, men] : men_by_residence) std::sort(men.begin(), men.end(), by_identity);
  std::map<std::string, std::size_t> next_man;
  std::vector<Generated> generated;
  for (const Adult& w : women) {
    ++counts.women;
    auto& men = men_by_residence[w.residence];
    std::size_t& i = next_man[w.residence];
    const Adult* man = i < men.size() ? &men[i++] : nullptr;
    SplitMixStream d{o.seed ^ Fnv1a64(w.identity) ^ 0x7072656370ULL};
    if (!d.PerMille(o.checked_per_mille)) continue;
    generated.push_back(Generate(w, man, d, orgs, o));
  }
  st = db.Write([&](soci::session& s) -> Status {
    for (const auto& g : generated) {
      PreconceptionStore::InsertCheck(s, g.check);
      for (const auto& supply : g.supplies) PreconceptionStore::InsertSupply(s, supply);
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  for (const auto& g : generated) {
    ++counts.checks;
    if (!g.check.man_person_id.empty()) ++counts.registered_men;
    if (g.check.risk == RiskGroup::kHighRisk) ++counts.high_risk;
    counts.supplies += static_cast<std::int64_t>(g.supplies.size());
  }
  return counts;
}

}  // namespace jd::preconception
