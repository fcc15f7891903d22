// The data-quality report (kpi/data_quality.h).
#include "kpi/data_quality.h"

#include <soci/soci.h>

#include <map>
#include <set>
#include <unordered_map>

#include "registry/codes.h"
#include "registry/eligibility.h"
#include "registry/person_store.h"

namespace jd::kpi {

namespace {

std::string Text(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i);
}

struct Row {
  std::string id, org;
  std::size_t unit = 0;  // index into report.units
  Date birth{};
  bool child_under_7 = false;
};

}  // namespace

Result<QualityReport> DataQuality(storage::Database& db, const immunization::Schedule& schedule,
                                  const auth::Scope& scope, const registry::OrgUnit& unit,
                                  const std::vector<registry::OrgUnit>& children, Date as_of,
                                  const QualityOptions& options) {
  QualityReport report;
  report.as_of = as_of;
  report.units.push_back({.unit = unit});
  for (const auto& c : children) report.units.push_back({.unit = c});
  std::map<std::string, int> examples_of;
  auto bump = [&](std::size_t u, int QualityCounts::*counter, const char* check,
                  const std::string& person, const std::string& org) {
    report.units[0].*counter += 1;
    if (u != 0) report.units[u].*counter += 1;
    if (examples_of[check]++ < options.max_examples) {
      report.examples.push_back({check, person, org});
    }
  };
  auto unit_of = [&](const std::string& path) -> std::size_t {
    for (std::size_t i = 1; i < report.units.size(); ++i) {
      if (path.starts_with(report.units[i].unit.path)) return i;
    }
    return 0;
  };
  const auth::PathRange range = scope.Narrow(unit.path).Range();

  Status st = db.Read([&](soci::session& s) -> Status {
    std::unordered_map<std::string, Row> rows;
    std::map<std::string, std::vector<std::string>> same_identity;
    soci::rowset<soci::row> persons =
        (s.prepare << "SELECT id, name, sex, birth_date, phone, residence_address, "
                      "residence_path, residence_org, arrived_on, left_hukou_on, hukou_division, "
                      "move_reason FROM persons WHERE residence_path >= :lo AND residence_path < "
                      ":hi AND status = 'active'",
         soci::use(range.lo), soci::use(range.hi));
    std::vector<std::pair<std::string, registry::EligibilityWindows>> windows;
    for (const auto& r : persons) {
      Row row;
      row.id = r.get<std::string>(0);
      row.org = r.get<std::string>(7);
      std::size_t u = unit_of(r.get<std::string>(6));
      row.unit = u;
      report.units[0].persons += 1;
      if (u != 0) report.units[u].persons += 1;
      if (Text(r, 4).empty())
        bump(u, &QualityCounts::missing_phone, "missing_phone", row.id, row.org);
      if (Text(r, 5).empty()) {
        bump(u, &QualityCounts::missing_address, "missing_address", row.id, row.org);
      }
      auto birth = ParseDate(r.get<std::string>(3));
      auto arrived = ParseDate(r.get<std::string>(8));
      auto left = ParseDate(Text(r, 9));
      bool impossible = !birth || !arrived || *birth > as_of || *arrived > as_of ||
                        *arrived < *birth || (left && *left > *arrived);
      if (impossible) {
        bump(u, &QualityCounts::impossible_dates, "impossible_dates", row.id, row.org);
      }
      if (birth) {
        row.birth = *birth;
        row.child_under_7 = *birth <= as_of && as_of < AddYears(*birth, 7);
        same_identity[r.get<std::string>(1) + "|" + r.get<std::string>(2) + "|" +
                      r.get<std::string>(3)]
            .push_back(row.id);
      }
      if (birth && arrived) {
        registry::EligibilityFacts f;
        f.birth_date = *birth;
        f.arrived_on = *arrived;
        f.left_hukou_on = left;
        f.hukou_division = r.get<std::string>(10);
        f.residence_division = row.org.substr(0, 6);
        f.reason = registry::ParseMoveReason(r.get<std::string>(11))
                       .value_or(registry::MoveReason::kOther);
        windows.push_back({row.id, registry::Windows(f)});
      }
      rows.emplace(row.id, std::move(row));
    }
    for (const auto& [key, ids] : same_identity) {
      if (ids.size() < 2) continue;
      for (const auto& id : ids) {
        const Row& row = rows[id];
        bump(row.unit, &QualityCounts::duplicate_suspects, "duplicate_suspects", id, row.org);
      }
    }

    // Documents waiting too long.
    std::string before = FormatDate(AddDays(as_of, -options.review_days));
    soci::rowset<soci::row> docs =
        (s.prepare << "SELECT d.person_id FROM documents d JOIN persons p ON p.id = d.person_id "
                      "WHERE p.residence_path >= :lo AND p.residence_path < :hi AND p.status = "
                      "'active' AND d.status = 'pending' AND substr(d.submitted_at, 1, 10) < :b",
         soci::use(range.lo), soci::use(range.hi), soci::use(before));
    for (const auto& r : docs) {
      auto it = rows.find(r.get<std::string>(0));
      if (it == rows.end()) continue;
      bump(it->second.unit, &QualityCounts::reviews_overdue, "reviews_overdue", it->first,
           it->second.org);
    }

    // Certificates: entitled for more than 30 days, none issued.
    std::set<std::string> with_file;
    soci::rowset<soci::row> files =
        (s.prepare << "SELECT f.person_id FROM vaccination_files f JOIN persons p ON p.id = "
                      "f.person_id WHERE p.residence_path >= :lo AND p.residence_path < :hi",
         soci::use(range.lo), soci::use(range.hi));
    for (const auto& r : files) with_file.insert(r.get<std::string>(0));
    for (const auto& [id, w] : windows) {
      if (with_file.count(id) || !w.vaccination_file_from) continue;
      if (AddDays(*w.vaccination_file_from, 30) <= as_of && as_of < w.vaccination_file_until) {
        const Row& row = rows[id];
        bump(row.unit, &QualityCounts::certificates_missing, "certificates_missing", id, row.org);
      }
    }

    // Doses: impossible dates, and children under 7 with an overdue programme dose.
    soci::rowset<soci::row> doses =
        (s.prepare << "SELECT r.person_id, r.vaccine, r.given_on FROM vaccination_records r JOIN "
                      "persons p ON p.id = r.person_id WHERE p.residence_path >= :lo AND "
                      "p.residence_path < :hi AND p.status = 'active' AND r.status = 'active' "
                      "ORDER BY r.person_id",
         soci::use(range.lo), soci::use(range.hi));
    std::unordered_map<std::string, std::vector<immunization::DoseEvent>> histories;
    std::set<std::string> impossible_dose;
    for (const auto& r : doses) {
      std::string id = r.get<std::string>(0);
      auto it = rows.find(id);
      if (it == rows.end()) continue;
      auto d = ParseDate(r.get<std::string>(2));
      if (!d || *d < it->second.birth || *d > as_of) {
        if (impossible_dose.insert(id).second) {
          bump(it->second.unit, &QualityCounts::impossible_doses, "impossible_doses", id,
               it->second.org);
        }
        continue;
      }
      if (const immunization::VaccineInfo* v = schedule.Find(r.get<std::string>(1))) {
        histories[id].push_back({v->id, *d});
      }
    }
    immunization::Forecast f;
    static const std::vector<immunization::DoseEvent> kNone;
    for (const auto& [id, row] : rows) {
      if (!row.child_under_7) continue;
      auto h = histories.find(id);
      immunization::ForecastChild(schedule, row.birth, h == histories.end() ? kNone : h->second,
                                  as_of, {}, f);
      for (const auto& d : f.doses) {
        if (d.status == immunization::DoseStatus::kOverdue && schedule.info(d.vaccine).programme) {
          bump(row.unit, &QualityCounts::doses_overdue, "doses_overdue", id, row.org);
          break;
        }
      }
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return report;
}

}  // namespace jd::kpi
