// The live statistics view (kpi/live_view.h).
#include "kpi/live_view.h"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "registry/codes.h"

namespace jd::kpi {

namespace {

using immunization::DoseEvent;
using immunization::DoseStatus;
using immunization::Forecast;
using immunization::Reason;

// Above this many persons changed at once (a bulk import) the view is rebuilt by table scans.
constexpr std::size_t kFullReloadAbove = 5000;

std::string Text(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i);
}

std::int32_t DayOf(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return kNever;
  auto d = ParseDate(r.get<std::string>(i));
  return d ? DayNumber(*d) : kNever;
}

// A stored UTC timestamp's calendar day in Asia/Shanghai (UTC+8 all year).
std::int32_t ShanghaiDayOf(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return kNever;
  std::string text = r.get<std::string>(i);
  auto t = ParseTimestamp(text);
  if (!t) {
    auto d = ParseDate(text.substr(0, 10));
    return d ? DayNumber(*d) : kNever;
  }
  auto local = std::chrono::floor<std::chrono::days>(*t + std::chrono::hours(8));
  return static_cast<std::int32_t>(local.time_since_epoch().count());
}

bool TableExists(soci::session& s, const std::string& name) {
  int n = 0;
  s << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = :n", soci::use(name),
      soci::into(n);
  return n > 0;
}

enum Counter : std::size_t {
  kRegistered,
  kFloating,
  kHrEntitled,
  kHrHas,
  kEhrHas,
  kChildDen,
  kChildEhr,
  kFileDen,
  kFileHas,
  kDocPending,
  kDocReviewDays,
  kDocReviewed,
  kCovAllDen,
  kCovAllNum,
  kBaseCounters,
};

}  // namespace

std::int32_t DayNumber(Date d) {
  return static_cast<std::int32_t>(std::chrono::sys_days(d).time_since_epoch().count());
}

Date FromDayNumber(std::int32_t n) { return Date(std::chrono::sys_days(std::chrono::days(n))); }

std::optional<std::uint32_t> OrgTree::Find(const std::string& code) const {
  auto it = index.find(code);
  if (it == index.end()) return std::nullopt;
  return it->second;
}

std::vector<std::uint32_t> OrgTree::Children(std::uint32_t i) const {
  std::vector<std::uint32_t> out;
  for (std::uint32_t c = i + 1; c < end[i]; c = end[c]) out.push_back(c);
  return out;
}

Result<std::unique_ptr<LiveView>> LiveView::Load(storage::Database& db, const Catalogue& catalogue,
                                                 const immunization::Schedule& schedule, Date today,
                                                 const registry::EligibilityPolicy& policy) {
  std::unique_ptr<LiveView> view(new LiveView(schedule, policy));
  view->day_ = DayNumber(today);
  // The dose lines, in catalogue order.
  std::set<std::pair<immunization::VaccineId, int>> seen;
  for (const Indicator& ind : catalogue.indicators()) {
    if (ind.vaccine.empty()) continue;
    const immunization::VaccineInfo* v = schedule.Find(ind.vaccine);
    if (v && seen.insert({v->id, ind.dose}).second) view->lines_.push_back({v->id, ind.dose});
  }

  std::vector<PersonRow> rows;
  std::vector<DocumentRow> docs;
  Status st = db.Read([&](soci::session& s) -> Status {
    // Org units, parents first, then ordered into pre-order.
    std::vector<registry::OrgUnit> units;
    soci::rowset<soci::row> org_rows =
        (s.prepare << "SELECT code, name, level, parent_code, path FROM org_units ORDER BY path");
    for (const auto& r : org_rows) {
      registry::OrgUnit u;
      u.code = r.get<std::string>(0);
      u.name = r.get<std::string>(1);
      u.level = registry::ParseOrgLevel(r.get<std::string>(2)).value_or(registry::OrgLevel::kCity);
      u.parent_code = Text(r, 3);
      u.path = r.get<std::string>(4);
      units.push_back(std::move(u));
    }
    // Sorting by materialised path is a pre-order walk: a unit's path prefixes its subtree's.
    OrgTree& t = view->orgs_;
    t.units = std::move(units);
    t.end.assign(t.units.size(), 0);
    t.parent.assign(t.units.size(), -1);
    for (std::uint32_t i = 0; i < t.units.size(); ++i) t.index[t.units[i].code] = i;
    for (std::uint32_t i = 0; i < t.units.size(); ++i) {
      auto p = t.index.find(t.units[i].parent_code);
      if (p != t.index.end()) t.parent[i] = static_cast<std::int32_t>(p->second);
      std::uint32_t j = i + 1;
      while (j < t.units.size() && t.units[j].path.starts_with(t.units[i].path)) ++j;
      t.end[i] = j;
    }
    long long seq = 0;
    soci::indicator ind = soci::i_ok;
    s << "SELECT MAX(seq) FROM change_events", soci::into(seq, ind);
    view->last_seq_ = ind == soci::i_null ? 0 : seq;
    return view->ReadPersons(s, nullptr, rows, docs);
  });
  if (!st.ok()) return st;
  for (auto& row : rows) view->PutPerson(std::move(row));
  for (auto& d : docs) {
    auto it = view->row_of_.find(d.person_id);
    if (it == view->row_of_.end()) continue;
    view->doc_of_[d.id] = static_cast<std::uint32_t>(view->doc_row_.size());
    view->doc_row_.push_back(it->second);
    view->doc_submitted_.push_back(d.submitted);
    view->doc_reviewed_.push_back(d.reviewed);
  }
  return view;
}

Status LiveView::ReadPersons(soci::session& s, const std::vector<std::string>* ids,
                             std::vector<PersonRow>& rows, std::vector<DocumentRow>& docs) const {
  const Date today = FromDayNumber(day_);
  const bool has_records = TableExists(s, "health_records");
  std::unordered_map<std::string, std::size_t> at;
  // Runs `sql` over every person (ids == nullptr) or once per id with `where_id` appended.
  auto each = [&](const std::string& sql, const std::string& where_id, const std::string& tail,
                  const auto& fn) {
    if (ids == nullptr) {
      soci::rowset<soci::row> rs = (s.prepare << sql + tail);
      for (const auto& r : rs) fn(r);
      return;
    }
    std::string one = sql + where_id + tail;
    for (const std::string& id : *ids) {
      soci::rowset<soci::row> rs = (s.prepare << one, soci::use(id));
      for (const auto& r : rs) fn(r);
    }
  };
  const bool filtered = ids != nullptr;
  each(
      "SELECT id, sex, birth_date, hukou_division, residence_org, left_hukou_on, arrived_on, "
      "move_reason, status FROM persons",
      " WHERE id = :id", "", [&](const soci::row& r) {
        PersonRow p;
        p.id = r.get<std::string>(0);
        auto org = orgs_.Find(r.get<std::string>(4));
        auto birth = ParseDate(r.get<std::string>(2));
        auto arrived = ParseDate(r.get<std::string>(6));
        if (!org || !birth || !arrived) return;  // cannot be placed or dated: not counted
        p.org = *org;
        p.sex = r.get<std::string>(1) == "F" ? 1 : 0;
        std::string hukou = r.get<std::string>(3);
        p.province = hukou.size() >= 2 && hukou[0] >= '0' && hukou[0] <= '9' && hukou[1] >= '0' &&
                             hukou[1] <= '9'
                         ? static_cast<std::uint8_t>((hukou[0] - '0') * 10 + (hukou[1] - '0'))
                         : 0;
        p.birth = DayNumber(*birth);
        p.arrived = DayNumber(*arrived);
        registry::EligibilityFacts f;
        f.birth_date = *birth;
        f.hukou_division = hukou;
        f.residence_division = r.get<std::string>(4).substr(0, 6);
        if (auto left = ParseDate(Text(r, 5))) f.left_hukou_on = left;
        f.arrived_on = *arrived;
        f.reason =
            registry::ParseMoveReason(r.get<std::string>(7)).value_or(registry::MoveReason::kOther);
        registry::EligibilityWindows w = registry::Windows(f, policy_);
        p.floating_from = w.floating_from ? DayNumber(*w.floating_from) : kNever;
        p.health_record_from = w.health_record_from ? DayNumber(*w.health_record_from) : kNever;
        p.file_from = w.vaccination_file_from ? DayNumber(*w.vaccination_file_from) : kNever;
        p.file_until = DayNumber(w.vaccination_file_until);
        p.seventh_birthday = DayNumber(AddYears(*birth, 7));
        // Moved out or died: no longer here from the event's day (set below); until then, here.
        if (r.get<std::string>(8) != "active") p.left = p.arrived;
        p.child = *birth <= today && AddYears(*birth, 18) > today;
        at[p.id] = rows.size();
        rows.push_back(std::move(p));
      });
  auto row_of = [&](const std::string& id) -> PersonRow* {
    auto it = at.find(id);
    return it == at.end() ? nullptr : &rows[it->second];
  };
  each(
      "SELECT e.person_id, MAX(e.event_date) FROM residence_events e JOIN persons p ON p.id = "
      "e.person_id WHERE p.status <> 'active' AND e.type IN ('moved_out', 'died')",
      " AND e.person_id = :id", " GROUP BY e.person_id", [&](const soci::row& r) {
        if (PersonRow* p = row_of(r.get<std::string>(0))) {
          std::int32_t d = DayOf(r, 1);
          if (d != kNever) p->left = std::max(d, p->arrived);
        }
      });
  each("SELECT person_id, issued_on FROM vaccination_files", " WHERE person_id = :id", "",
       [&](const soci::row& r) {
         if (PersonRow* p = row_of(r.get<std::string>(0))) p->certificate_on = DayOf(r, 1);
       });
  if (has_records) {
    each("SELECT person_id, established_on, electronic FROM health_records",
         " WHERE person_id = :id", "", [&](const soci::row& r) {
           if (PersonRow* p = row_of(r.get<std::string>(0))) {
             p->health_record_on = DayOf(r, 1);
             if (storage::RowInt64(r, 2) != 0) p->electronic_record_on = p->health_record_on;
           }
         });
  }
  each("SELECT person_id, vaccine, given_on FROM vaccination_records WHERE status = 'active'",
       " AND person_id = :id", "", [&](const soci::row& r) {
         PersonRow* p = row_of(r.get<std::string>(0));
         if (p == nullptr || !p->child) return;
         const immunization::VaccineInfo* v = schedule_.Find(r.get<std::string>(1));
         auto d = ParseDate(r.get<std::string>(2));
         if (v && d) p->history.push_back({v->id, *d});
       });
  each("SELECT id, person_id, submitted_at, reviewed_at FROM documents", " WHERE person_id = :id",
       "", [&](const soci::row& r) {
         docs.push_back({r.get<std::string>(0), r.get<std::string>(1), ShanghaiDayOf(r, 2),
                         ShanghaiDayOf(r, 3)});
       });
  (void)filtered;
  return Status::Ok();
}

void LiveView::ForecastLines(const PersonRow& row, Line* out) const {
  std::fill(out, out + lines_.size(), Line{});
  if (!row.child) return;
  thread_local Forecast f;
  immunization::ForecastChild(schedule_, FromDayNumber(row.birth), row.history, FromDayNumber(day_),
                              {}, f);
  for (const auto& d : f.doses) {
    if (d.status == DoseStatus::kNotNeeded && d.reason == Reason::kReplacedBySeries) continue;
    for (std::size_t l = 0; l < lines_.size(); ++l) {
      if (lines_[l].first != d.vaccine || lines_[l].second != d.dose) continue;
      out[l].timely_by = d.timely_by ? DayNumber(*d.timely_by) : kNever;
      out[l].given = d.given ? DayNumber(*d.given) : kNever;
      break;
    }
  }
}

void LiveView::PutPerson(PersonRow row) {
  std::uint32_t i;
  auto it = row_of_.find(row.id);
  if (it == row_of_.end()) {
    i = static_cast<std::uint32_t>(org_.size());
    row_of_.emplace(row.id, i);
    for (auto* v : {&birth_, &seventh_, &arrived_, &left_, &floating_from_, &hr_from_, &file_from_,
                    &file_until_, &hr_on_, &ehr_on_, &cert_on_}) {
      v->push_back(kNever);
    }
    child_slot_.push_back(-1);
    org_.push_back(0);
    sex_.push_back(0);
    province_.push_back(0);
  } else {
    i = it->second;
  }
  org_[i] = row.org;
  sex_[i] = row.sex;
  province_[i] = row.province;
  birth_[i] = row.birth;
  seventh_[i] = row.seventh_birthday;
  arrived_[i] = row.arrived;
  left_[i] = row.left;
  floating_from_[i] = row.floating_from;
  hr_from_[i] = row.health_record_from;
  file_from_[i] = row.file_from;
  file_until_[i] = row.file_until;
  hr_on_[i] = row.health_record_on;
  ehr_on_[i] = row.electronic_record_on;
  cert_on_[i] = row.certificate_on;
  if (row.child && child_slot_[i] < 0) {
    child_slot_[i] = static_cast<std::int32_t>(child_history_.size());
    child_history_.emplace_back();
    child_birth_.push_back(row.birth);
    child_lines_.resize(child_lines_.size() + lines_.size());
  }
  if (child_slot_[i] >= 0) {
    auto slot = static_cast<std::size_t>(child_slot_[i]);
    child_birth_[slot] = row.birth;
    ForecastLines(row, &child_lines_[slot * lines_.size()]);
    child_history_[slot] = std::move(row.history);
  }
}

Result<std::size_t> LiveView::Refresh(storage::Database& db, Date today) {
  std::lock_guard refresh(refresh_mu_);
  std::int64_t from_seq = last_seq();
  std::int64_t to_seq = from_seq;
  std::set<std::string> changed;
  const bool new_day = DayNumber(today) > day_;
  std::vector<PersonRow> rows;
  std::vector<DocumentRow> docs;
  bool full = false;
  Status st = db.Read([&](soci::session& s) -> Status {
    long long after = from_seq;
    soci::rowset<soci::row> events =
        (s.prepare << "SELECT seq, person_id FROM change_events WHERE seq > :s ORDER BY seq",
         soci::use(after));
    for (const auto& r : events) {
      to_seq = std::max<std::int64_t>(to_seq, storage::RowInt64(r, 0));
      if (r.get_indicator(1) != soci::i_null) changed.insert(r.get<std::string>(1));
    }
    if (changed.empty()) return Status::Ok();
    full = changed.size() > kFullReloadAbove;
    std::vector<std::string> ids(changed.begin(), changed.end());
    return ReadPersons(s, full ? nullptr : &ids, rows, docs);
  });
  if (!st.ok()) return st;
  if (changed.empty() && !new_day) return std::size_t{0};

  std::unique_lock lock(mu_);
  if (new_day) day_ = DayNumber(today);
  for (auto& row : rows) PutPerson(std::move(row));
  for (auto& d : docs) {
    auto person = row_of_.find(d.person_id);
    if (person == row_of_.end()) continue;
    auto [it, added] = doc_of_.emplace(d.id, static_cast<std::uint32_t>(doc_row_.size()));
    if (added) {
      doc_row_.push_back(person->second);
      doc_submitted_.push_back(d.submitted);
      doc_reviewed_.push_back(d.reviewed);
    } else {
      doc_row_[it->second] = person->second;
      doc_submitted_[it->second] = d.submitted;
      doc_reviewed_[it->second] = d.reviewed;
    }
  }
  if (new_day) {
    // Dose lines depend on the day (series replaced with age): forecast every child again.
    PersonRow row;
    for (std::size_t i = 0; i < child_slot_.size(); ++i) {
      if (child_slot_[i] < 0) continue;
      auto slot = static_cast<std::size_t>(child_slot_[i]);
      row.birth = birth_[i];
      row.child =
          FromDayNumber(birth_[i]) <= today && AddYears(FromDayNumber(birth_[i]), 18) > today;
      row.history = child_history_[slot];
      ForecastLines(row, &child_lines_[slot * lines_.size()]);
    }
  }
  last_seq_ = to_seq;
  if (full) spdlog::info("statistics view reloaded {} persons", rows.size());
  return changed.size();
}

std::vector<IndicatorValue> LiveView::Compute(const std::vector<const Indicator*>& indicators,
                                              const std::vector<std::string>& orgs,
                                              const Period& period,
                                              const Breakdown& breakdown) const {
  std::shared_lock lock(mu_);
  const std::int32_t end = std::min(DayNumber(period.last), day_);
  const std::int32_t first = DayNumber(period.first);
  const Date end_date = FromDayNumber(end);
  const std::size_t nlines = lines_.size();
  const std::size_t width = kBaseCounters + 3 * nlines;
  const std::size_t nunits = orgs_.units.size();
  std::vector<double> acc(nunits * width, 0.0);

  const int want_sex = breakdown.sex == "M" ? 0 : breakdown.sex == "F" ? 1 : -1;
  int want_province = -1;
  if (breakdown.hukou_province.size() == 2) want_province = std::stoi(breakdown.hukou_province);
  int age_lo = -1, age_hi = -1;
  if (breakdown.age_group == "0-6") age_lo = 0, age_hi = 6;
  if (breakdown.age_group == "7-17") age_lo = 7, age_hi = 17;
  if (breakdown.age_group == "18-59") age_lo = 18, age_hi = 59;
  if (breakdown.age_group == "60+") age_lo = 60, age_hi = 1000;
  std::int32_t cohort_from = 0, cohort_to = 0;
  if (breakdown.cohort) {
    std::chrono::year y{*breakdown.cohort};
    cohort_from = DayNumber(y / 1 / 1);
    cohort_to = DayNumber(y / 12 / 31);
  }
  auto keep = [&](std::size_t i) {
    if (want_sex >= 0 && sex_[i] != want_sex) return false;
    if (want_province >= 0 && province_[i] != want_province) return false;
    if (breakdown.cohort && (birth_[i] < cohort_from || birth_[i] > cohort_to)) return false;
    if (age_lo >= 0) {
      int age = AgeInYears(FromDayNumber(birth_[i]), end_date);
      if (age < age_lo || age > age_hi) return false;
    }
    return true;
  };

  const std::size_t n = org_.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (arrived_[i] > end || left_[i] <= end) continue;
    if (!keep(i)) continue;
    double* c = &acc[org_[i] * width];
    c[kRegistered] += 1;
    if (floating_from_[i] > end) continue;
    c[kFloating] += 1;
    if (hr_from_[i] <= end) {
      c[kHrEntitled] += 1;
      const bool has = hr_on_[i] <= end, electronic = ehr_on_[i] <= end;
      c[kHrHas] += has;
      c[kEhrHas] += electronic;
      if (birth_[i] <= end && end < seventh_[i]) {
        c[kChildDen] += 1;
        c[kChildEhr] += electronic;
      }
    }
    if (file_from_[i] <= end && end < file_until_[i]) {
      c[kFileDen] += 1;
      c[kFileHas] += cert_on_[i] <= end;
    }
    // Coverage: migrant children under 7 on the day, or the whole birth cohort when asked.
    const std::int32_t slot = child_slot_[i];
    if (slot < 0 || birth_[i] > end) continue;
    if (!breakdown.cohort && end >= seventh_[i]) continue;
    const Line* lines = &child_lines_[static_cast<std::size_t>(slot) * nlines];
    double* d = c + kBaseCounters;
    for (std::size_t l = 0; l < nlines; ++l) {
      const Line& line = lines[l];
      if (line.timely_by > end) continue;  // not yet at its completion age (or not the child's)
      const bool given = line.given <= end;
      d[3 * l] += 1;
      d[3 * l + 1] += given;
      d[3 * l + 2] += given && line.given < line.timely_by;
      c[kCovAllDen] += 1;
      c[kCovAllNum] += given;
    }
  }
  for (std::size_t k = 0; k < doc_row_.size(); ++k) {
    const std::uint32_t i = doc_row_[k];
    if (!keep(i)) continue;
    double* c = &acc[org_[i] * width];
    if (doc_submitted_[k] <= end && doc_reviewed_[k] > end) c[kDocPending] += 1;
    if (doc_reviewed_[k] >= first && doc_reviewed_[k] <= end) {
      c[kDocReviewed] += 1;
      c[kDocReviewDays] += std::max(0, doc_reviewed_[k] - doc_submitted_[k]);
    }
  }
  // Subtree totals: children follow their parent in pre-order, so add each unit into its parent
  // walking backwards.
  for (std::size_t u = nunits; u-- > 0;) {
    if (orgs_.parent[u] < 0) continue;
    double* from = &acc[u * width];
    double* to = &acc[static_cast<std::size_t>(orgs_.parent[u]) * width];
    for (std::size_t k = 0; k < width; ++k) to[k] += from[k];
  }

  std::vector<IndicatorValue> out;
  out.reserve(indicators.size() * orgs.size());
  for (const std::string& code : orgs) {
    auto u = orgs_.Find(code);
    if (!u) continue;
    const double* c = &acc[*u * width];
    for (const Indicator* ind : indicators) {
      IndicatorValue v;
      v.code = ind->code;
      v.org = code;
      v.period = period;
      v.target = ind->target;
      if (!ind->active) {
        out.push_back(std::move(v));
        continue;
      }
      auto pair = [&](std::size_t num, std::size_t den) {
        v.numerator = c[num];
        v.denominator = c[den];
      };
      const std::string& m = ind->measure;
      if (m == "registered") {
        v.numerator = c[kRegistered];
      } else if (m == "floating") {
        v.numerator = c[kFloating];
      } else if (m == "health_record_entitled") {
        v.numerator = c[kHrEntitled];
      } else if (m == "health_record_rate") {
        pair(kHrHas, kHrEntitled);
      } else if (m == "electronic_record_rate") {
        pair(kEhrHas, kHrEntitled);
      } else if (m == "child_electronic_record_rate") {
        pair(kChildEhr, kChildDen);
      } else if (m == "vaccination_file_rate") {
        pair(kFileHas, kFileDen);
      } else if (m == "coverage_all") {
        pair(kCovAllNum, kCovAllDen);
      } else if (m == "documents_pending") {
        v.numerator = c[kDocPending];
      } else if (m == "document_review_days") {
        pair(kDocReviewDays, kDocReviewed);
      } else if (m == "dose_coverage" || m == "dose_timely") {
        const immunization::VaccineInfo* vi = schedule_.Find(ind->vaccine);
        for (std::size_t l = 0; vi && l < nlines; ++l) {
          if (lines_[l].first == vi->id && lines_[l].second == ind->dose) {
            const double* d = c + kBaseCounters + 3 * l;
            v.denominator = d[0];
            v.numerator = m == "dose_coverage" ? d[1] : d[2];
          }
        }
      }
      if (ind->kind == IndicatorKind::kCount) {
        v.value = v.numerator;
      } else if (v.denominator > 0) {
        v.value = v.numerator / v.denominator;
      }
      if (v.value && v.target) v.met = *v.value >= *v.target;
      out.push_back(std::move(v));
    }
  }
  return out;
}

Date LiveView::day() const {
  std::shared_lock lock(mu_);
  return FromDayNumber(day_);
}

std::int64_t LiveView::last_seq() const {
  std::shared_lock lock(mu_);
  return last_seq_;
}

std::size_t LiveView::persons() const {
  std::shared_lock lock(mu_);
  return org_.size();
}

std::size_t LiveView::children() const {
  std::shared_lock lock(mu_);
  return child_history_.size();
}

std::size_t LiveView::MemoryBytes() const {
  std::shared_lock lock(mu_);
  std::size_t bytes = org_.capacity() * 4 + sex_.capacity() + province_.capacity();
  for (const auto* v : {&birth_, &seventh_, &arrived_, &left_, &floating_from_, &hr_from_,
                        &file_from_, &file_until_, &hr_on_, &ehr_on_, &cert_on_, &child_slot_}) {
    bytes += v->capacity() * sizeof(std::int32_t);
  }
  // A hash-map node holds the key (a 36-character UUID, heap-allocated), the value and links.
  bytes += row_of_.size() * (sizeof(std::string) + 37 + 16 + 16) + row_of_.bucket_count() * 8;
  bytes += doc_of_.size() * (sizeof(std::string) + 37 + 16 + 16) + doc_of_.bucket_count() * 8;
  bytes += child_lines_.capacity() * sizeof(Line) + child_birth_.capacity() * 4;
  for (const auto& h : child_history_) bytes += sizeof(h) + h.capacity() * sizeof(DoseEvent);
  bytes += doc_row_.capacity() * 4 + doc_submitted_.capacity() * 4 + doc_reviewed_.capacity() * 4;
  return bytes;
}

}  // namespace jd::kpi
