// File: exchange/fhir.h
// The node's records as HL7 FHIR R4 (4.0.1) resources, and FHIR's own envelopes: the search
// Bundle, the OperationOutcome of a failure and the CapabilityStatement. Pure functions of typed
// records, no I/O: the routes (http/fhir_routes.cc) fetch through the services, which decide
// access and audit, and hand the records here. FHIR JSON is the exchange format itself, so the
// JSON is built in this module and not in the transport.
//
// Identifiers (Patient.identifier):
//   居民身份证   urn:oid:2.16.156.10011.1.3   (the patient-ID root of WS/T 500
//   电子病历共享文档规范; 居民健康卡   urn:oid:2.16.156.10011.1.19   both OIDs as read there, not
//   confirmed against the
//                                             national OID register of WS/T 682)
//   the node's person id                      urn:ietf:rfc:3986 with "urn:uuid:<id>"
// Other documents (passport, permits, birth certificate) carry our own code system and the
// HL7 v2-0203 identifier type. Codes of our own (vaccines, org units, forecast statuses) use the
// URNs below; where HL7 has a code for the same thing it is given beside ours.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "core/status.h"
#include "immunization/forecast.h"
#include "immunization/store.h"
#include "registry/model.h"

namespace jd::exchange {

inline constexpr std::string_view kFhirVersion = "4.0.1";
inline constexpr std::string_view kFhirContentType = "application/fhir+json; charset=utf-8";

inline constexpr std::string_view kSystemResidentId = "urn:oid:2.16.156.10011.1.3";
inline constexpr std::string_view kSystemHealthCard = "urn:oid:2.16.156.10011.1.19";
inline constexpr std::string_view kSystemUri = "urn:ietf:rfc:3986";
inline constexpr std::string_view kSystemOtherDocument = "urn:jundeng:fhir:identity-document";
inline constexpr std::string_view kSystemVaccine = "urn:jundeng:fhir:vaccine";
inline constexpr std::string_view kSystemOrgUnit = "urn:jundeng:fhir:org-unit";
inline constexpr std::string_view kSystemForecastStatus = "urn:jundeng:fhir:forecast-status";

// How much of a person a resource shows: the detail view (read, $everything: audited as a read of
// the person) or a list entry (search: identifiers, phone and address masked, flagged with the
// HL7 security label MASKED).
enum class Disclosure { kFull, kMasked };

// Extensions of Patient for what a migrant's record holds and FHIR has no element for (full
// disclosure only): the residence unit (org-unit code), the reason for moving (registry code),
// the ethnicity (GB/T 3304) and the day the person left the 户籍 county.
inline constexpr std::string_view kExtResidenceOrg = "urn:jundeng:fhir:extension:residence-org";
inline constexpr std::string_view kExtMoveReason = "urn:jundeng:fhir:extension:move-reason";
inline constexpr std::string_view kExtEthnicity = "urn:jundeng:fhir:extension:ethnicity";
inline constexpr std::string_view kExtLeftHukouOn = "urn:jundeng:fhir:extension:left-hukou-on";

// Patient from a registry person.
nlohmann::json PatientOf(const registry::Person& p, Disclosure disclosure);

// The registry's person input (registry/person_json.h) from a FHIR Patient, for a create or an
// update: name (text, or family then given), gender, birthDate, the identity document and health
// card by their systems, the mobile phone, the home address (text, period.start = arrived on),
// the old address (district = 户籍 county, text), maritalStatus and the extensions above. Only
// what the resource holds is set, so an update leaves the rest as it was. Problems of the
// resource's shape are field errors named by FHIR path; the registry's rules check the values
// (its field errors are renamed by PatientElementOf).
Result<nlohmann::json> PersonInputOf(const nlohmann::json& patient);
// The Patient element a registry field comes from ("birth_date" → "Patient.birthDate").
std::string PatientElementOf(const std::string& field);

// Immunization from a dose record. `clinic_name`: the org unit's name when the dose was given at
// one of the city's clinics (else the record's free-text clinic is shown).
nlohmann::json ImmunizationOf(const immunization::Schedule& schedule,
                              const immunization::VaccinationRecord& r,
                              const std::string& clinic_name);

// A FHIR Immunization as the dose service's input (immunization/service.h RecordDose): the
// patient's id and the record's fields. status must be completed; vaccineCode a code of
// kSystemVaccine (or without a system); occurrenceDateTime the day (a time of day is not kept);
// lotNumber, manufacturer.display, site.text, route.text, protocolApplied[0].doseNumber; the
// performer's org-unit identifier is the clinic, else its display the clinic's name;
// primarySource false is a record transcribed from the certificate. Shape problems are field
// errors named by FHIR path.
struct DoseInput {
  std::string person_id;
  nlohmann::json record;
};
Result<DoseInput> DoseInputOf(const nlohmann::json& immunization);
// The Immunization element a dose field comes from ("date" → "Immunization.occurrenceDateTime").
std::string ImmunizationElementOf(const std::string& field);

// ImmunizationRecommendation of one child from the forecast as of `as_of`: one recommendation per
// dose that is not done or not needed, with its dates (LOINC 30980-7 due, 30981-5 earliest,
// 59778-1 overdue from). The resource id is the person's id: one current forecast per child.
nlohmann::json RecommendationOf(const immunization::Schedule& schedule,
                                const std::string& person_id,
                                const immunization::Forecast& forecast, Date as_of);

// The parts of a failure as FHIR OperationOutcome: one issue per field error (its expression is
// the field), else one issue of the status; details.text in Chinese, diagnostics in English.
nlohmann::json OperationOutcomeOf(const Status& st);

// A searchset Bundle. `base`: the server's FHIR base ("/fhir/r4" or an absolute URL).
struct SearchPage {
  std::vector<nlohmann::json> matches;
  std::vector<nlohmann::json> includes;  // search.mode "include" (e.g. $everything's records)
  std::optional<std::int64_t> total;
  std::string self_url;
  std::string next_url;  // empty: no next page
  std::string previous_url;
};
nlohmann::json SearchBundle(const SearchPage& page, std::string_view base);

// The CapabilityStatement of the node's FHIR API (GET /fhir/r4/metadata).
nlohmann::json CapabilityStatement(std::string_view software_version, Date today);

// A FHIR instant from one of the node's timestamps ("YYYY-MM-DDTHH:MM:SS.mmmZ", or SQLite's
// "YYYY-MM-DD HH:MM:SS" in UTC); empty for text that is neither (the element is then left out).
std::string FhirInstant(const std::string& timestamp);

// The value of a token search parameter `system|value` (or `value`, or `|value`): the value when
// the system is empty or one of `systems`; nullopt when it names another system.
std::optional<std::string> TokenValue(std::string_view param,
                                      const std::vector<std::string_view>& systems);

}  // namespace jd::exchange
