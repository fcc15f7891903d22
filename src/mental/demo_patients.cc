// Severe-mental-disorder patients of the demo city (mental/demo_patients.h).
#include "mental/demo_patients.h"

#include <algorithm>
#include <map>
#include <vector>

#include "core/ids.h"
#include "core/stable_hash.h"
#include "mental/store.h"

namespace jd::mental {

namespace {

struct Resident {
  std::string id, id_number, path;
  Date birth{};
  std::uint64_t rank = 0;
};

// The segment `n` (0-based) of a materialised path "450100/450103/450103001/…".
std::string Segment(const std::string& path, int n) {
  std::size_t from = 0;
  for (int i = 0; i < n; ++i) {
    from = path.find('/', from);
    if (from == std::string::npos) return {};
    ++from;
  }
  std::size_t to = path.find('/', from);
  return to == std::string::npos ? std::string() : path.substr(from, to - from);
}

// A follow-up's findings drawn for a visit whose class tends to `cls`.
FollowUpFacts Draw(SplitMixStream& r, PatientClass cls, Date on) {
  FollowUpFacts f;
  f.visited_on = on;
  f.sleep = r.PerMille(800) ? Grade3::kGood : Grade3::kFair;
  f.social_function = r.PerMille(600) ? Grade3::kGood : Grade3::kFair;
  f.adherence = r.PerMille(850) ? Adherence::kRegular : Adherence::kIntermittent;
  f.hospitalisation = r.PerMille(700) ? Hospitalisation::kNever : Hospitalisation::kPast;
  if (r.PerMille(300)) f.rehabilitation = {"life_skills"};
  switch (cls) {
    case PatientClass::kStable:
      break;
    case PatientClass::kBasicallyStable:
      switch (r.Between(0, 3)) {
        case 0:
          f.danger_level = r.Between(1, 2);
          break;
        case 1:
          f.insight = Insight::kPartial;
          break;
        case 2:
          f.social_function = Grade3::kPoor;
          break;
        default:
          f.symptoms = Symptoms::kPresent;
      }
      f.adherence = r.PerMille(600) ? Adherence::kRegular : Adherence::kIntermittent;
      f.improving = r.PerMille(700);
      break;
    case PatientClass::kUnstable:
      if (r.PerMille(400)) {
        f.danger_level = r.PerMille(800) ? 3 : r.Between(4, 5);
      } else {
        f.symptoms = Symptoms::kMarked;
        f.insight = r.PerMille(500) ? Insight::kNone : Insight::kPartial;
      }
      f.sleep = Grade3::kPoor;
      f.adherence = r.PerMille(400)   ? Adherence::kRegular
                    : r.PerMille(500) ? Adherence::kIntermittent
                                      : Adherence::kNone;
      break;
  }
  return f;
}

// The class a visit tends to, from the patient's tendency.
PatientClass VisitTendency(SplitMixStream& r, PatientClass tendency) {
  const int u = r.Between(0, 999);
  switch (tendency) {
    case PatientClass::kStable:
      return u < 850   ? PatientClass::kStable
             : u < 970 ? PatientClass::kBasicallyStable
                       : PatientClass::kUnstable;
    case PatientClass::kBasicallyStable:
      return u < 300   ? PatientClass::kStable
             : u < 850 ? PatientClass::kBasicallyStable
                       : PatientClass::kUnstable;
    case PatientClass::kUnstable:
      return u < 150   ? PatientClass::kStable
             : u < 500 ? PatientClass::kBasicallyStable
                       : PatientClass::kUnstable;
  }
  return PatientClass::kStable;
}

Diagnosis DrawDiagnosis(SplitMixStream& r) {
  const int u = r.Between(0, 999);
  if (u < 700) return Diagnosis::kSchizophrenia;
  if (u < 800) return Diagnosis::kBipolar;
  if (u < 860) return Diagnosis::kParanoidPsychosis;
  if (u < 910) return Diagnosis::kSchizoaffective;
  if (u < 960) return Diagnosis::kEpilepsyPsychosis;
  return Diagnosis::kIntellectualDisabilityPsychosis;
}

}  // namespace

Result<DemoPatientCounts> DemoPatients(storage::Database& db, const DemoPatientOptions& o) {
  DemoPatientCounts counts;
  const Date earliest_birth = AddYears(o.as_of, -65), latest_birth = AddYears(o.as_of, -18);
  std::map<std::string, std::vector<Resident>> by_district;
  JD_RETURN_IF_ERROR(db.Read([&](soci::session& s) {
    const std::string lo = FormatDate(earliest_birth), hi = FormatDate(latest_birth);
    soci::rowset<soci::row> rows =
        (s.prepare << "SELECT id, id_number, residence_path, birth_date FROM persons WHERE "
                      "status = 'active' AND birth_date >= :lo AND birth_date <= :hi",
         soci::use(lo), soci::use(hi));
    for (const auto& r : rows) {
      Resident x{.id = r.get<std::string>(0),
                 .id_number = r.get<std::string>(1),
                 .path = r.get<std::string>(2),
                 .birth = ParseDate(r.get<std::string>(3)).value_or(Date{})};
      x.rank = SplitMix64(Fnv1a64(x.id_number) ^ SplitMix64(o.seed ^ 0x4D454E54414CULL));
      const std::string district = Segment(x.path, 1);
      if (!district.empty() && !Segment(x.path, 2).empty()) by_district[district].push_back(x);
    }
    return Status::Ok();
  }));
  for (auto& [district, residents] : by_district) {
    std::sort(residents.begin(), residents.end(),
              [](const Resident& a, const Resident& b) { return a.rank < b.rank; });
    if (residents.size() > static_cast<std::size_t>(o.per_district)) {
      residents.resize(static_cast<std::size_t>(o.per_district));
    }
  }
  JD_RETURN_IF_ERROR(db.Write([&](soci::session& s) -> Status {
    for (const auto& entry : by_district) {
      const std::vector<Resident>& residents = entry.second;
      bool alert_planted = false;
      std::string planted_follow_up;  // its alert stays open
      for (std::size_t i = 0; i < residents.size(); ++i) {
        const Resident& x = residents[i];
        SplitMixStream r{x.rank};
        Patient p;
        p.id = NewId();
        p.person_id = x.id;
        p.diagnosis = DrawDiagnosis(r);
        p.registered_on = AddDays(o.as_of, -r.Between(120, 730));
        p.diagnosed_on =
            std::max(AddDays(p.registered_on, -r.Between(30, 3650)), AddYears(x.birth, 16));
        const int c = r.Between(0, 999);
        p.consent = c < 850 ? Consent::kSigned : c < 900 ? Consent::kRefused : Consent::kNotYet;
        if (p.consent != Consent::kNotYet) p.consent_on = p.registered_on;
        p.managing_unit = Segment(x.path, 2);
        p.created_at = p.updated_at = o.created_at;
        p.created_by = p.updated_by = o.created_by;
        const int t = r.Between(0, 999);
        const PatientClass tendency = t < 600   ? PatientClass::kStable
                                      : t < 850 ? PatientClass::kBasicallyStable
                                                : PatientClass::kUnstable;
        // The first of each district is overdue; about one in eight stops being seen.
        std::optional<Date> stops;
        if (i == 0) {
          stops = AddDays(o.as_of, -r.Between(100, 150));
        } else if (r.PerMille(125)) {
          stops = AddDays(o.as_of, -r.Between(20, 200));
        }
        const bool plant = !alert_planted && i != 0 &&
                           (tendency == PatientClass::kUnstable || i + 1 == residents.size());
        std::vector<FollowUp> fs;
        Date next = AddDays(p.registered_on, r.Between(5, 14));
        while (!(o.as_of < next) && !(stops && *stops < next)) {
          FollowUpFacts f = Draw(r, VisitTendency(r, tendency), next);
          FollowUp fu;
          fu.id = NewId();
          fu.patient_id = p.id;
          fu.cls = Classify(f);
          std::optional<PreviousFollowUp> previous;
          if (!fs.empty()) previous = PreviousFollowUp{fs.back().facts.visited_on, fs.back().cls};
          fu.next_due = NextDue(f, fu.cls, previous);
          fu.facts = std::move(f);
          fu.recorded_at = o.created_at;
          fu.recorded_by = o.created_by;
          fs.push_back(fu);
          // Most visits on the day due, some a few days early or late.
          next = AddDays(fu.next_due, r.Between(-4, 3));
          if (!(next > fu.facts.visited_on)) next = AddDays(fu.facts.visited_on, 1);
        }
        if (plant) {
          // A level-3 assessment within the last week: every district has an open alert.
          FollowUpFacts f = Draw(r, PatientClass::kStable, AddDays(o.as_of, -r.Between(0, 6)));
          f.danger_level = 3;
          while (!fs.empty() && !(fs.back().facts.visited_on < f.visited_on)) fs.pop_back();
          FollowUp fu;
          fu.id = NewId();
          fu.patient_id = p.id;
          fu.cls = Classify(f);
          fu.next_due = NextDue(f, fu.cls, std::nullopt);
          fu.facts = std::move(f);
          fu.recorded_at = o.created_at;
          fu.recorded_by = o.created_by;
          planted_follow_up = fu.id;
          fs.push_back(fu);
          alert_planted = true;
        }
        if (!fs.empty()) {
          p.cls = fs.back().cls;
          p.next_due = fs.back().next_due;
        } else {
          p.next_due = FirstDue(p.registered_on);
        }
        if (!MentalStore::InsertPatient(s, p)) continue;
        ++counts.patients;
        if (Overdue(p.next_due, o.as_of)) ++counts.overdue;
        if (p.cls == PatientClass::kUnstable) ++counts.unstable;
        if (p.cls == PatientClass::kBasicallyStable) ++counts.basically_stable;
        if (p.cls == PatientClass::kStable) ++counts.stable;
        for (const FollowUp& fu : fs) {
          MentalStore::InsertFollowUp(s, fu);
          ++counts.follow_ups;
          if (fu.facts.danger_level < kAlertLevel) continue;
          Alert a;
          a.id = NewId();
          a.patient_id = p.id;
          a.follow_up_id = fu.id;
          a.area_path = x.path;
          a.danger_level = fu.facts.danger_level;
          a.raised_at = FormatDate(fu.facts.visited_on) + "T02:00:00.000Z";
          if (DaysBetween(fu.facts.visited_on, o.as_of) > 3 && fu.id != planted_follow_up) {
            a.acknowledged_at = FormatDate(AddDays(fu.facts.visited_on, 1)) + "T01:00:00.000Z";
            a.acknowledged_by = "partner_" + entry.first;
          }
          MentalStore::InsertAlert(s, a);
          if (!a.acknowledged_at.empty()) {
            MentalStore::Acknowledge(s, a.id, a.acknowledged_at, a.acknowledged_by);
          } else {
            ++counts.open_alerts;
          }
          ++counts.alerts;
          if (fu.facts.danger_level >= 4) {
            MentalStore::InsertEmergency(
                s, {.id = NewId(),
                    .patient_id = p.id,
                    .occurred_on = fu.facts.visited_on,
                    .situation = "危险性评估" + std::to_string(fu.facts.danger_level) +
                                 "级：持续冲动行为，劝说不能停止",
                    .measures = "联系家属与辖区派出所、综治中心，护送至精神专科医院",
                    .outcome = "已住院治疗",
                    .recorded_at = o.created_at,
                    .recorded_by = o.created_by});
            ++counts.emergencies;
          }
        }
      }
    }
    return Status::Ok();
  }));
  return counts;
}

}  // namespace jd::mental
