// File: immunization/store.h
// The records of child immunisation and their SQL: vaccination certificates (接种证), dose records
// with every version, clinic session capacities and appointments. Bound parameters only; every
// function runs on the session it is given, inside the caller's transaction. Every read or update
// of a child's rows (certificate, doses and their versions, appointments, the due list's reads)
// takes an auth::Scope and keeps to the children whose persons.residence_path lies within it (an
// index range, auth::Scope::Range); an empty scope reads and changes nothing. Reads by id return
// an auth::ScopedRow that says only "outside the scope" for a row of a child elsewhere. Not about
// persons, and so unscoped: the uniqueness probes of certificate and card numbers (a yes or no),
// and a clinic's session capacities and booking counts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/scope.h"
#include "core/dates.h"
#include "storage/database.h"

namespace jd::immunization {

// The guardian of a child's certificate in SQL, read through the link where there is one: for a
// query with the child as `p` and the certificate as `v` (LEFT JOINed), kGuardianJoin adds the
// guardian's record as `g`; kGuardianName is the linked record's name, else the certificate's;
// kGuardianPhone the linked record's phone, else the certificate's, else the child's own.
inline constexpr const char* kGuardianJoin = " LEFT JOIN persons g ON g.id = v.guardian_person_id ";
inline constexpr const char* kGuardianName = "COALESCE(g.name, v.guardian_name)";
inline constexpr const char* kGuardianPhone =
    "COALESCE(NULLIF(g.phone, ''), NULLIF(v.guardian_phone, ''), p.phone)";

// 接种证 / 接种卡 of one child.
struct VaccinationFile {
  std::string person_id;
  std::string certificate_no;  // 接种证编号, unique in the city
  std::string card_no;         // 接种卡 (the clinic's card), optional
  Date issued_on{};
  std::string issuing_clinic_code;
  // The guardian (监护人). guardian_person_id: a registry person (empty for an unregistered
  // guardian and on rows written before links existed). When linked, GetFile reads the name and
  // phone through the link from the guardian's own record (the stored ones are what was known when
  // the link was made, kept only as a fallback); unlinked, they are the certificate's own.
  std::string guardian_person_id;
  std::string guardian_name;
  std::string guardian_relation;  // GuardianRelation code
  std::string guardian_phone;
  // Read through the link, never stored: the guardian's ID number (shown masked) and where they
  // live (whether the reader may open their record).
  std::string guardian_id_number;
  std::string guardian_residence_path;
  int version = 1;
  std::string created_at, created_by, updated_at, updated_by;
};

// A child whose certificate links a guardian: what the guardian's record lists.
struct Ward {
  std::string person_id;
  std::string name;
  std::string sex;
  Date birth_date{};
  std::string id_number;
  std::string guardian_relation;
  std::string certificate_no;
};

// Where a dose record comes from.
enum class RecordSource : std::uint8_t {
  kGivenHere,    // given by a clinic of this city
  kTranscribed,  // copied from the child's certificate (补录)
  kOtherRegion,  // received from the system of another region
};
std::string_view SourceCode(RecordSource s);  // "given_here", "transcribed", "other_region"
std::optional<RecordSource> ParseSource(std::string_view code);

struct VaccinationRecord {
  std::string id;
  std::string person_id;
  std::string vaccine;  // catalogue code
  std::optional<int> dose_number;
  Date date{};
  std::string lot, manufacturer, site, route;
  std::string clinic_code;  // an org unit of the city; empty when given elsewhere
  std::string clinic_name;  // free text, for doses given outside the city's clinics
  std::string vaccinator;
  RecordSource source = RecordSource::kGivenHere;
  std::string campaign_id;
  bool voided = false;
  std::string void_reason;
  int version = 1;
  std::string created_at, created_by, updated_at, updated_by;
};

struct RecordVersion {
  int version = 0;
  std::string data;  // the record's JSON at that version
  std::string changed_at, changed_by;
  std::string change;  // "created", "corrected", "voided"
  std::string reason;
};

enum class AppointmentStatus : std::uint8_t {
  kBooked,
  kAttended,
  kMissed,
  kRescheduled,
  kCancelled
};
std::string_view AppointmentStatusCode(AppointmentStatus s);
std::optional<AppointmentStatus> ParseAppointmentStatus(std::string_view code);

struct Appointment {
  std::string id;
  std::string person_id;
  std::string clinic_code;
  Date date{};
  std::vector<std::string> vaccines;  // catalogue codes (stored as a JSON array)
  AppointmentStatus status = AppointmentStatus::kBooked;
  std::string rescheduled_to;
  std::string created_at, created_by, updated_at, updated_by;
};

// An appointment with what a clinic's list shows of the child.
struct AppointmentRow {
  Appointment appointment;
  std::string name;
  std::string sex;
  Date birth_date{};
  std::string id_number;
  std::string guardian_name;
  std::string guardian_phone;  // the certificate's, else the child's record's
};

struct SessionDay {
  Date date{};
  std::optional<int> capacity;  // absent: no row, the default applies
  int booked = 0;
};

// A child of an area as the due list needs it.
struct DueCandidate {
  std::string person_id;
  std::string name;
  std::string sex;
  Date birth_date{};
  std::string id_number;
  std::string phone;
  std::string residence_address;
  bool has_file = false;
  std::string guardian_name;
  std::string guardian_phone;
};

// A dose of a child of an area, for the due list.
struct AreaDose {
  std::string person_id;
  std::string vaccine;
  Date date{};
};

class ImmunizationStore {
 public:
  // Certificates.
  static auth::ScopedRow<VaccinationFile> GetFile(soci::session& s, const auth::Scope& scope,
                                                  const std::string& person_id);
  static bool CertificateTaken(soci::session& s, const std::string& certificate_no,
                               const std::string& except_person_id);
  static bool CardTaken(soci::session& s, const std::string& card_no,
                        const std::string& except_person_id);
  static void InsertFile(soci::session& s, const VaccinationFile& f);
  // The children within `scope` whose certificate links `guardian_person_id`, by birth date.
  static std::vector<Ward> WardsOf(soci::session& s, const auth::Scope& scope,
                                   const std::string& guardian_person_id);
  // Optimistic update: false when the stored version is not `expected_version` or the child lies
  // outside `scope`.
  static bool UpdateFile(soci::session& s, const auth::Scope& scope, const VaccinationFile& f,
                         int expected_version);

  // Dose records.
  static void InsertRecord(soci::session& s, const VaccinationRecord& r);
  // Optimistic update as UpdateFile.
  static bool UpdateRecord(soci::session& s, const auth::Scope& scope, const VaccinationRecord& r,
                           int expected_version);
  static auth::ScopedRow<VaccinationRecord> GetRecord(soci::session& s, const auth::Scope& scope,
                                                      const std::string& id);
  // A child's records (voided ones too), by date.
  static std::vector<VaccinationRecord> ListRecords(soci::session& s, const auth::Scope& scope,
                                                    const std::string& person_id);
  // A page of the records (voided ones too) of the persons within `scope`, in id order after
  // `after_id` (keyset; empty: from the start), changed at or after `since` (a FormatTimestamp;
  // empty: any). Fewer than `limit` rows: the walk is done.
  static std::vector<VaccinationRecord> ScanRecords(soci::session& s, const auth::Scope& scope,
                                                    const std::string& after_id,
                                                    const std::string& since, int limit);
  // The id of an active record of the same vaccine on the same day, other than `except_id`.
  static std::optional<std::string> SameDayRecord(soci::session& s, const auth::Scope& scope,
                                                  const std::string& person_id,
                                                  const std::string& vaccine, Date date,
                                                  const std::string& except_id);
  static void InsertVersion(soci::session& s, const std::string& record_id, const RecordVersion& v);
  static std::vector<RecordVersion> ListVersions(soci::session& s, const auth::Scope& scope,
                                                 const std::string& record_id);

  // Clinic sessions and appointments.
  static std::optional<int> SessionCapacity(soci::session& s, const std::string& clinic_code,
                                            Date date);
  static void PutSession(soci::session& s, const std::string& clinic_code, Date date, int capacity,
                         const std::string& at, const std::string& by);
  // Appointments that hold a place on the day (booked, attended or missed).
  static int CountBooked(soci::session& s, const std::string& clinic_code, Date date);
  // Days from `from` to `to` with a session row or an appointment holding a place.
  static std::vector<SessionDay> ListSessionDays(soci::session& s, const std::string& clinic_code,
                                                 Date from, Date to);
  static void InsertAppointment(soci::session& s, const Appointment& a);
  // Nothing changes when the child lies outside `scope`.
  static void UpdateAppointmentStatus(soci::session& s, const auth::Scope& scope,
                                      const Appointment& a);
  static auth::ScopedRow<Appointment> GetAppointment(soci::session& s, const auth::Scope& scope,
                                                     const std::string& id);
  // Whether the child (within `scope`) already holds a booked appointment at the clinic that day.
  static bool HasBooked(soci::session& s, const auth::Scope& scope, const std::string& person_id,
                        const std::string& clinic_code, Date date);
  // Appointments of a clinic from `from` to `to` of children living within `scope`, by date and
  // name; `status` empty for any.
  static std::vector<AppointmentRow> ListAppointments(soci::session& s, const auth::Scope& scope,
                                                      const std::string& clinic_code, Date from,
                                                      Date to, const std::string& status);

  // The due list's reads: the active children living within `area` (the caller's scope narrowed
  // to an area, auth::Scope::Narrow) born after `born_after`, by id; their active doses, by child
  // and date; their booked appointments from `from`, by child and date.
  static std::vector<DueCandidate> AreaChildren(soci::session& s, const auth::Scope& area,
                                                Date born_after);
  static std::vector<AreaDose> AreaDoses(soci::session& s, const auth::Scope& area,
                                         Date born_after);
  static std::vector<Appointment> AreaBookedAppointments(soci::session& s, const auth::Scope& area,
                                                         Date born_after, Date from);
};

}  // namespace jd::immunization
