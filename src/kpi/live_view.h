// File: kpi/live_view.h
// The live statistics view (docs/kpi.md): per person only what the indicators need, as columns,
// loaded from the database at start-up and kept current by the change events every committed
// write leaves (storage/migrations/0005_change_events.sql). Compute() forms every requested
// indicator for every requested org unit in one pass over the rows.
//
// Days are counts of days since 1970-01-01 (std::chrono::sys_days); kNever is "not (yet)".
// Persons are counted where they live now, and so are a woman's pregnancies (maternal/, migration
// 0010): a pregnancy is kept as the few days and flags the maternal indicators need, derived on
// load from the pregnancy, its visits (through the schedule of maternal/antenatal.h) and its risk
// assessments; none of them depends on the view's day. A change event of a pregnancy names the
// woman, whose rows are all reloaded. Children's dose lines come from the forecast as of the
// view's day (Refresh moves the day on and re-forecasts); a past period is judged with those
// lines, given dates and the period's last day. A child's check-ups (child/, migration 0011) are
// kept as the few days and flags the child-health indicators need (ChildHealthRow), derived on load
// through the 规范 schedule (child/checkups.h) and the WHO z-scores (child/growth.h); none of them
// depends on the view's day either. A change event of a check-up names the child. A severe-mental-
// disorder patient (mental/, migration 0022) is kept as the registration and its follow-ups'
// classes and adherence (mental::PatientTimeline), counted by mental::StandingOn on the day asked,
// as GET /mental/summary counts; a pulmonary TB course (disease/, migration 0023) as the days and
// flags disease::CountTbCourse gives, which do not depend on the day. Their change events
// ("mental", "tb_course") reload only that person's registration or courses; the events of
// partner alerts and HIV care, which no indicator reads, reload nothing. A person's family-planning
// records (migration 0027) are kept as the days of guidance and of free services (FpRow); their
// change events ("fp") reload only that person's row. The service network and health education
// are facts of units (kpi/live_units.h), read whole again on a "network" or "education" event.
//
// Thread-safe: Compute takes a shared lock, Refresh an exclusive one only to swap rows in.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/status.h"
#include "immunization/forecast.h"
#include "kpi/catalogue.h"
#include "kpi/live_units.h"
#include "kpi/model.h"
#include "mental/rules.h"
#include "registry/eligibility.h"
#include "registry/model.h"
#include "storage/database.h"

namespace jd::kpi {

inline constexpr std::int32_t kNever = std::numeric_limits<std::int32_t>::max();

// The org units in pre-order, so that a unit's subtree is the index range [i, end[i]).
struct OrgTree {
  std::vector<registry::OrgUnit> units;
  std::vector<std::uint32_t> end;
  std::vector<std::int32_t> parent;  // -1 for a root
  std::unordered_map<std::string, std::uint32_t> index;
  std::optional<std::uint32_t> Find(const std::string& code) const;
  // The units directly under `i`, in order.
  std::vector<std::uint32_t> Children(std::uint32_t i) const;
};

// What a child's check-ups contribute (child/, migration 0011), for every person under 18 on the
// view's day (as the dose lines). Days as above.
struct ChildCheckupFact {
  std::int32_t date = 0;
  std::uint16_t flags = 0;  // ChildFact bits (live_view.cc)
};
struct ChildHealthRow {
  // The newborn home visit made within 7 days after the discharge (规范 二(一)).
  bool newborn_visit_on_time = false;
  std::int32_t third_birthday = kNever;  // the first day the child is 3 (36 months)
  // The contacts newborn_visit … m30 (those due before 36 months), in schedule order: the last
  // day on time, and the day the contact was done (kNever: not done).
  std::array<std::int32_t, 9> due_by{}, done_on{};
  std::vector<ChildCheckupFact> checkups;  // by date, then as recorded
};

// What one person contributes, as loaded from the database (one row of the view).
struct PersonRow {
  std::string id;
  std::uint32_t org = 0;
  std::uint8_t sex = 0;       // 0 male, 1 female
  std::uint8_t province = 0;  // the 户籍 province, two digits as a number
  std::int32_t birth = 0, seventh_birthday = 0, arrived = 0, left = kNever;
  std::int32_t floating_from = kNever, health_record_from = kNever;
  std::int32_t file_from = kNever, file_until = kNever;
  std::int32_t health_record_on = kNever, electronic_record_on = kNever, certificate_on = kNever;
  bool child = false;    // under 18 on the view's day: has dose lines
  bool married = false;  // marital status "married" now (no history is kept)
  // A woman's days of reproductive age [from, until) (family_planning/rules.h
  // ReproductiveAgeSpan); kNever for a man.
  std::int32_t reproductive_from = kNever, reproductive_until = kNever;
  std::vector<immunization::DoseEvent> history;
  ChildHealthRow child_health;  // for a child
};

// What one pregnancy contributes, as loaded with its woman (migration 0010). Days as above.
struct PregnancyRow {
  std::string id;
  std::string person_id;
  std::int32_t registered = kNever, delivered = kNever;
  // The first day on which she is no longer 孕产妇 in care: the closing (42-day check or the end
  // of the pregnancy), day 43 after a delivery, or 45+0 weeks of gestation without a delivery.
  std::int32_t care_until = kNever;
  // The postpartum home visit, when made within 28 days of the discharge.
  std::int32_t home_visit = kNever;
  std::int32_t antenatal_visits = 0;
  bool early = false;         // registered before 13+0 weeks (早孕建册)
  bool anc1_on_time = false;  // the first antenatal check made before 13+0 weeks
  // The days on which a contact of the schedule is overdue, as [first, last] ranges.
  std::vector<std::pair<std::int32_t, std::int32_t>> overdue;
  // From each day on (ascending), whether the latest risk assessment is high-risk.
  std::vector<std::pair<std::int32_t, bool>> high_risk;
  // The first day each infection was tested in this pregnancy (maternal/pmtct_store.h), in the
  // order HIV, syphilis, hepatitis B; kNever when not tested.
  std::array<std::int32_t, 3> tested = {kNever, kNever, kNever};
};

// A closed early-warning event (disease/signal_service.h, migration 0021): counted in its district
// on the day it was closed, handled to standard or not (DIS_EPIDEMIC_HANDLED). A change event of
// an event reloads them all (they are few).
struct EpidemicRow {
  std::uint32_t org = 0;  // the district's index in the org tree
  std::int32_t closed = kNever;
  bool handled = false;
};

// A severe-mental-disorder registration (mental/, migration 0022), with its person.
struct SmdRow {
  std::string id;
  std::string person_id;
  mental::PatientTimeline timeline;
};

// A pulmonary TB treatment course (disease/, migration 0023), with its person: what
// disease::CountTbCourse says it adds to TB_MGMT_RATE and TB_REGULAR_MEDICATION. Days as above.
struct TbRow {
  std::string id;
  std::string person_id;
  std::int32_t notified = kNever, completed = kNever;
  bool managed = false, regular = false;
};

// What a person's family-planning records contribute (migration 0027): the days of guidance and
// counselling (fp_guidance) and of free services — contraceptives handed to the person
// (fp_distributions) and procedures (fp_procedures) — not voided, in any order. One row per person
// (id = person_id); a change event of entity "fp" names the person, whose row is read again.
struct FpRow {
  std::string id;
  std::string person_id;
  std::vector<std::int32_t> guidance, free_service;
};

struct DocumentRow {
  std::string id;
  std::string person_id;
  std::int32_t submitted = 0, reviewed = kNever;
};

class LiveView {
 public:
  // Reads everything from `db`; children are forecast as of `today`.
  static Result<std::unique_ptr<LiveView>> Load(storage::Database& db, const Catalogue& catalogue,
                                                const immunization::Schedule& schedule, Date today,
                                                const registry::EligibilityPolicy& policy = {});

  // Applies the change events committed since the last Load/Refresh (by this process or another),
  // and moves the view's day on to `today` if it is later. Returns the number of persons whose
  // rows were reloaded (whole, or only their registration or TB courses).
  Result<std::size_t> Refresh(storage::Database& db, Date today);

  // The values of `indicators` (active ones; inactive ones give no value) for the units `orgs` (org
  // codes; unknown codes are skipped) in `period`, stocks counted on min(period.last, day()).
  std::vector<IndicatorValue> Compute(const std::vector<const Indicator*>& indicators,
                                      const std::vector<std::string>& orgs, const Period& period,
                                      const Breakdown& breakdown = {}) const;

  const OrgTree& orgs() const { return orgs_; }
  Date day() const;
  std::int64_t last_seq() const;
  std::size_t persons() const;
  std::size_t children() const;
  // Bytes held by the rows (capacity of the column vectors and the id maps, estimated).
  std::size_t MemoryBytes() const;

 private:
  LiveView(const immunization::Schedule& schedule, registry::EligibilityPolicy policy)
      : schedule_(schedule), policy_(policy) {}
  struct Line {
    std::int32_t timely_by = kNever;  // kNever: the dose is not the child's to have
    std::int32_t given = kNever;
  };
  // What a load or a refresh read, to be put into the view.
  struct Batch {
    std::vector<PersonRow> persons;
    std::vector<DocumentRow> docs;
    std::vector<PregnancyRow> pregnancies;
    std::vector<SmdRow> smd;
    std::vector<TbRow> tb;
    std::vector<FpRow> fp;
  };
  // Persons by id (all when `ids` is null); the documents and pregnancies of those persons.
  Status ReadPersons(soci::session& s, const std::vector<std::string>* ids, Batch& out) const;
  // The severe-mental-disorder registrations, or the TB courses, of the persons `ids` (all when
  // null).
  static void ReadSmd(soci::session& s, const std::vector<std::string>* ids, Batch& out);
  static void ReadTb(soci::session& s, const std::vector<std::string>* ids, Batch& out);
  // The family-planning rows of the persons `ids` (an empty row for each without records), or of
  // every person with records (null).
  static void ReadFp(soci::session& s, const std::vector<std::string>* ids, Batch& out);
  // Puts everything read into the view. REQUIRES: exclusive lock (or a view not yet shared).
  void Put(Batch& batch);
  void PutPerson(PersonRow row);  // REQUIRES: exclusive lock
  void ForecastLines(const PersonRow& row, Line* out) const;
  // The closed events (EpidemicRow), from the org tree of this view.
  std::vector<EpidemicRow> ReadEpidemics(soci::session& s) const;

  const immunization::Schedule& schedule_;
  registry::EligibilityPolicy policy_;
  OrgTree orgs_;
  // The dose lines of the catalogue's per-dose indicators: (vaccine id, dose).
  std::vector<std::pair<immunization::VaccineId, int>> lines_;

  mutable std::shared_mutex mu_;
  std::mutex refresh_mu_;  // one Refresh at a time
  std::int32_t day_ = 0;
  std::int64_t last_seq_ = 0;
  // Person columns.
  std::vector<std::uint32_t> org_;
  std::vector<std::uint8_t> sex_, province_, married_;
  std::vector<std::int32_t> birth_, seventh_, arrived_, left_, floating_from_, hr_from_, file_from_,
      file_until_, hr_on_, ehr_on_, cert_on_, child_slot_, repro_from_, repro_until_;
  std::unordered_map<std::string, std::uint32_t> row_of_;
  // Children: lines_.size() Line per slot; the history kept to re-forecast when the day moves.
  std::vector<Line> child_lines_;
  std::vector<std::vector<immunization::DoseEvent>> child_history_;
  std::vector<std::int32_t> child_birth_;
  std::vector<ChildHealthRow> child_health_;
  // Documents.
  std::vector<std::uint32_t> doc_row_;
  std::vector<std::int32_t> doc_submitted_, doc_reviewed_;
  std::unordered_map<std::string, std::uint32_t> doc_of_;
  // Pregnancies (few beside persons: kept as rows), each with its woman's row (preg_keys_).
  std::vector<PregnancyRow> pregs_;
  std::vector<EpidemicRow> epidemics_;
  // Rows of their own, each with its person's row (added or replaced by id; skipped while the
  // person has no row).
  struct Keyed {
    std::vector<std::uint32_t> person;
    std::unordered_map<std::string, std::uint32_t> of;
  };
  Keyed preg_keys_, smd_keys_, tb_keys_, fp_keys_;
  std::vector<SmdRow> smds_;
  std::vector<TbRow> tbs_;
  std::vector<FpRow> fps_;
  // The service network's and health education's facts (kpi/live_units.h), read whole.
  UnitFacts units_;
};

std::int32_t DayNumber(Date d);
Date FromDayNumber(std::int32_t n);

}  // namespace jd::kpi
