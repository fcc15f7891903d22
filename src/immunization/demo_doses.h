// File: immunization/demo_doses.h
// Vaccination data for the demo city (`jundeng demo`) and the benchmarks that use it: the 接种证
// and 接种卡 of most children entitled to a vaccination file, the doses of a synthetic history
// (synthetic.h) as their certificates would hold them, the clinics' session days around the
// demo date and the appointments of some children. Everything is made up and deterministic per
// seed; nothing here is a record of a real child.
//
// What a child gets (试点工作方案 §四(三): a vaccination file for children aged 0–6 who have lived
// here 3 months; the city's plan issues 接种证 and 接种卡 together):
// - Only a child that registry::Evaluate finds entitled to a vaccination file on the as-of date
//   gets anything, and of those about file_per_mille / 1000 (a draw per child, so the share is
//   the same for any population size). The others stay without certificate and doses, as
//   children the clinics have not reached yet.
// - The certificate is issued by the clinic of the child's street or township (the 社区卫生服务
//   中心 / 乡镇卫生院 is the street-level org unit) within a month of the day the child became
//   entitled (registry::Windows), and never after the as-of date. Certificate numbers are the
//   clinic's code, the issue year and the clinic's running number; card numbers the clinic's code
//   and its running number.
// - Doses are SyntheticHistory(birth, as_of) with its invalid early doses kept (the forecast
//   lists them as invalid records), except that injected live vaccines less than 28 days apart
//   are given at one visit, as a clinic would. A dose before the child arrived here is
//   "transcribed" from the certificate, with a clinic name of the 户籍 county; a dose on or after
//   arrival is "given here" at the child's clinic. Lot, manufacturer, site, route and vaccinator
//   are filled as a certificate shows them.
// - Clinics hold sessions on fixed weekdays (three a week in a 街道, two in a 镇, one in a 乡)
//   from `window_days` before the as-of date to `session_weeks` weeks after it (written for the
//   clinics that have children with a certificate). Appointments
//   (each within its session's capacity): a share of the children given a dose here in the past
//   window came by appointment ("attended"); a share of the children overdue on the as-of date
//   missed one in the past window ("missed"); a share of the children with a dose due or overdue
//   within the coming window hold one ("booked") for those doses.
//
// DemoImmunization keeps the clinics' running numbers and session places: Plan() the persons in
// the generator's order (registry::DemoPersonGenerator) for the same result every time. Not
// thread-safe.
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/dates.h"
#include "immunization/forecast.h"
#include "immunization/store.h"
#include "immunization/synthetic.h"
#include "registry/eligibility.h"
#include "registry/model.h"

namespace jd::immunization {

struct DemoImmunizationOptions {
  std::uint64_t seed = 1;
  Date as_of{};                  // the demo's "today"
  int file_per_mille = 920;      // of the entitled children: given a certificate
  int attended_per_mille = 700;  // of those given a dose here in the past window: by appointment
  int missed_per_mille = 250;    // of those overdue: missed an appointment in the past window
  int booked_per_mille = 550;    // of those with a dose due in the coming window: booked
  int window_days = 14;
  int session_weeks = 4;
  int capacity_percent = 100;  // scales every clinic's places per session (at least 1)
  registry::EligibilityPolicy policy;
  SyntheticOptions history;
};

// One session day of a clinic.
struct DemoSession {
  std::string clinic_code;
  Date date{};
  int capacity = 0;
};

// What the demo records for one person. `file` is absent for a person who gets nothing; record
// and appointment ids are left empty (Write fills them), person ids are the person's.
struct DemoChildPlan {
  bool entitled = false;  // entitled to a vaccination file on the as-of date
  std::optional<VaccinationFile> file;
  std::vector<VaccinationRecord> records;  // by date
  std::vector<Appointment> appointments;   // by date
};

struct DemoImmunizationCounts {
  std::int64_t entitled = 0;
  std::int64_t files = 0;
  std::int64_t records = 0;
  std::int64_t transcribed = 0;
  std::int64_t appointments = 0;
  std::int64_t booked = 0;
  std::int64_t attended = 0;
  std::int64_t missed = 0;
  std::int64_t sessions = 0;
};

class DemoImmunization {
 public:
  // `units`: the city's org tree (registry::GenerateOrgTree); its streets are the clinics.
  DemoImmunization(const Schedule& schedule, std::span<const registry::OrgUnit> units,
                   DemoImmunizationOptions options);

  // The plan of the person at generator index `index` (see the file comment). Counts it.
  DemoChildPlan Plan(const registry::Person& person, std::int64_t index);

  // Writes a plan with the store's insert functions: ids, created/updated fields and the first
  // version row of each record are filled here. REQUIRES: inside a Database::Write transaction;
  // the person is stored.
  void Write(soci::session& s, DemoChildPlan& plan, const std::string& at,
             const std::string& by) const;

  // Plan and Write for one stored person.
  void Add(soci::session& s, const registry::Person& person, std::int64_t index,
           const std::string& at, const std::string& by);

  // Every clinic's session days, by clinic then date.
  const std::vector<DemoSession>& sessions() const { return sessions_; }
  // Writes the session days of the clinics that issued a certificate so far (a city without
  // children gets none) and counts them. REQUIRES: inside a Database::Write transaction.
  void WriteSessions(soci::session& s, const std::string& at, const std::string& by);

  const DemoImmunizationCounts& counts() const { return counts_; }

 private:
  struct Clinic {
    std::string code;
    int weekdays = 0;  // bit d: a session on weekday d (0 = Sunday)
    int capacity = 0;
    std::int64_t certificates = 0, cards = 0;  // running numbers issued so far
    std::vector<int> booked;                   // places taken per day of the session range
    std::vector<std::string> vaccinators;
  };
  struct Rng;

  bool HasSession(const Clinic& c, Date d) const;
  // Takes a place at `c` on the first session day from `from` to `to` with room; the day taken.
  std::optional<Date> TakePlace(Clinic& c, Date from, Date to);
  void FillDose(Rng& rng, const Clinic& clinic, const registry::Person& person,
                const std::string& home_clinic_name, VaccinationRecord& r) const;
  void PlanAppointments(Rng& rng, Clinic& clinic, const registry::Person& person,
                        const std::vector<DoseEvent>& history, DemoChildPlan& plan);
  // A made-up name (guardians, vaccinators): the child's surname when `paternal`, else one drawn
  // by its frequency, then one or two given-name characters.
  std::string MadeUpName(Rng& rng, const std::string& child_name, bool paternal, bool female) const;

  const Schedule& schedule_;
  DemoImmunizationOptions options_;
  Date first_session_day_{}, last_session_day_{};
  std::vector<Clinic> clinics_;
  std::unordered_map<std::string, std::size_t> clinic_of_unit_;  // street or community → clinic
  std::vector<DemoSession> sessions_;
  std::vector<std::uint32_t> surname_cumulative_;
  std::vector<std::string> compound_surnames_;
  std::vector<std::string> male_chars_, female_chars_;
  DemoImmunizationCounts counts_;
};

}  // namespace jd::immunization
