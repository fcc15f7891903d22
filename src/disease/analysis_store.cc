#include "disease/analysis_store.h"

#include <deque>
#include <functional>
#include <utility>

namespace jd::disease {

namespace {

using storage::RowInt64;

constexpr const char* kMigrant = "patient_belongs IN ('other_city', 'other_province')";

// The first instant of an Asia/Shanghai date, as stored (UTC text).
std::string StartOf(Date d) {
  return FormatTimestamp(std::chrono::sys_days(d) - std::chrono::hours(8));
}

int Int(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? 0 : static_cast<int>(RowInt64(r, i));
}

std::string Text(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i);
}

// A WHERE clause with its values bound by name; a deque keeps their addresses while a statement
// runs.
class Filter {
 public:
  Filter(const auth::Scope& scope, const std::string& disease) {
    const auth::PathRange range = scope.Range();
    where_ = "status = 'active' AND residence_path >= :slo AND residence_path < :shi";
    Bind("slo", range.lo);
    Bind("shi", range.hi);
    if (!disease.empty()) And("disease_code = :disease", "disease", disease);
  }

  void And(const std::string& clause, const std::string& name, std::string value) {
    where_ += " AND " + clause;
    Bind(name, std::move(value));
  }
  void And(const std::string& clause) { where_ += " AND " + clause; }
  void Bind(const std::string& name, std::string value) {
    params_.emplace_back(name, std::move(value));
  }
  void Exclude(const std::vector<std::string>& diseases) {
    std::string list;
    for (std::size_t i = 0; i < diseases.size(); ++i) {
      const std::string name = "h" + std::to_string(i);
      list += (list.empty() ? ":" : ", :") + name;
      Bind(name, diseases[i]);
    }
    if (!list.empty()) And("disease_code NOT IN (" + list + ")");
  }

  // SELECT `columns` FROM disease_cards WHERE … `tail`, one call of `each` per row.
  void Run(soci::session& s, const std::string& columns, const std::string& tail,
           const std::function<void(const soci::row&)>& each) {
    auto prep =
        (s.prepare << "SELECT " + columns + " FROM disease_cards WHERE " + where_ + " " + tail);
    for (auto& [name, value] : params_) prep, soci::use(value, name);
    soci::rowset<soci::row> rows(prep);
    for (const auto& r : rows) each(r);
  }

 private:
  std::string where_;
  std::deque<std::pair<std::string, std::string>> params_;
};

// "reported_at >= :<p>0 AND reported_at < :<p>1" for a window, its bounds bound on `f`.
std::string Reported(Filter& f, const std::string& p, const DateWindow& w) {
  f.Bind(p + "0", StartOf(w.first));
  f.Bind(p + "1", StartOf(AddDays(w.last, 1)));
  return "(reported_at >= :" + p + "0 AND reported_at < :" + p + "1)";
}

// Per disease, the cards reported within `w` (one range of disease_cards_reported, migration 0024).
std::vector<DiseaseTally> PerDisease(soci::session& s, const auth::Scope& scope,
                                     const AnalysisQuery& q, const DateWindow& w) {
  std::vector<DiseaseTally> out;
  Filter f(scope, q.disease);
  f.And(Reported(f, "w", w));
  f.Run(s,
        std::string("disease_code, COUNT(*), SUM(death_date IS NOT NULL), SUM(") + kMigrant + ")",
        "GROUP BY disease_code", [&](const soci::row& r) {
          out.push_back({r.get<std::string>(0), Int(r, 1), Int(r, 2), Int(r, 3)});
        });
  return out;
}

// A filter of the current window without the hidden diseases.
Filter Breakdown(const auth::Scope& scope, const AnalysisQuery& q) {
  Filter f(scope, q.disease);
  f.And(Reported(f, "c", q.windows.current));
  f.Exclude(q.detail_hidden);
  return f;
}

}  // namespace

AnalysisCounts AnalysisStore::Counts(soci::session& s, const auth::Scope& scope,
                                     const AnalysisQuery& q) {
  AnalysisCounts out;
  if (scope.empty()) return out;
  out.current = PerDisease(s, scope, q, q.windows.current);
  out.previous = PerDisease(s, scope, q, q.windows.previous);
  out.year_before = PerDisease(s, scope, q, q.windows.year_before);

  Breakdown(scope, q).Run(
      s, std::string("residence_path, disease_code, COUNT(*), SUM(") + kMigrant + ")",
      "GROUP BY residence_path, disease_code", [&](const soci::row& r) {
        out.by_unit.push_back({r.get<std::string>(0), r.get<std::string>(1), Int(r, 2), Int(r, 3)});
      });
  Breakdown(scope, q).Run(
      s, "occupation, disease_code, COUNT(*)", "GROUP BY occupation, disease_code",
      [&](const soci::row& r) {
        out.by_occupation.push_back({Text(r, 0), r.get<std::string>(1), Int(r, 2)});
      });
  {
    Filter f = Breakdown(scope, q);
    f.And("work_site_key <> ''");
    f.Run(s, "work_site_kind, work_site_key, work_site_name, disease_code, COUNT(*)",
          "GROUP BY work_site_kind, work_site_key, work_site_name, disease_code",
          [&](const soci::row& r) {
            out.by_site.push_back({ParseWorkSiteKind(Text(r, 0)).value_or(WorkSiteKind::kOther),
                                   Text(r, 1), Text(r, 2), r.get<std::string>(3), Int(r, 4)});
          });
  }
  {
    Filter f(scope, q.disease);
    f.And("onset_date >= :o0", "o0", FormatDate(q.windows.curve.first));
    f.And("onset_date <= :o1", "o1", FormatDate(q.windows.curve.last));
    f.And("reported_at < :r1", "r1", StartOf(AddDays(q.windows.through, 1)));
    f.Exclude(q.detail_hidden);
    f.Run(s, "onset_date, disease_code, COUNT(*)", "GROUP BY onset_date, disease_code",
          [&](const soci::row& r) {
            if (auto d = ParseDate(r.get<std::string>(0))) {
              out.by_onset.push_back({*d, r.get<std::string>(1), Int(r, 2)});
            }
          });
  }
  return out;
}

}  // namespace jd::disease
