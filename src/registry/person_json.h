// File: registry/person_json.h
// The JSON form of a Person, shared by the HTTP API, the command line and the CSV import. Fields
// (all optional in the text; the rules decide what is required): name, sex, birth_date, id_type,
// id_number, ethnicity, phone, hukou_division, hukou_address, residence_org, residence_address,
// left_hukou_on, arrived_on, move_reason, occupation, employer, marital_status,
// residence_permit_no, residence_permit_valid_until, health_card_no. Enums use the codes of codes.h
// (Chinese labels are accepted on input); dates are "YYYY-MM-DD".
//
// PersonFromJson(j, errors): a new person from a request body. Type problems are field errors,
//   never exceptions: a body that is not an object (field "", "wrong_type"), a value of the wrong
//   JSON type ("wrong_type"), an unknown enum value ("invalid_value", listing the allowed codes), a
//   malformed date ("invalid_date"). Absent, null and "" mean "not given". id_type defaults to
//   resident_id; for a resident ID, a missing sex or birth_date is taken from the number. sex (when
//   it cannot be derived) and move_reason are "required" here because a Person cannot hold their
//   absence; every other rule is ValidatePerson's (person_rules.h). Strings are trimmed, id_number
//   upper-cased (15-digit resident IDs upgraded to 18), phone stripped of spaces, '-' and a "+86"
//   prefix, ethnicity names ("汉族", "汉") turned into codes. Unknown fields are ignored.
// PersonToJson(p, mask): every field plus id, status, version, created_at, updated_at, the names of
//   the codes (hukou_division_name: the full 户籍地 name, registry/division_lookup.h, "" for an
//   unknown code; ethnicity_name, ethnicity_name_en: GB/T 3304 names, "" when none);
//   id_number_masked and phone_masked always; id_number and phone only when !mask, and
//   residence_permit_no and health_card_no masked (MaskDocumentNumber) when mask. Absent optional
//   dates are null; empty strings stay "". The unmasked form is for the audited detail read only.
// PersonListJson(p): what a list or search row needs and no more (PIPL 第6条 最小必要): id, name,
//   sex, birth_date, id_type, id_number_masked, phone_masked, hukou_division and its full name
//   (county level), residence_org, arrived_on, move_reason, status, version, updated_at. No whole
//   identifier, no address.
// ApplyPersonPatch(base, patch, errors): `base` with the fields present in `patch` changed, read as
//   in PersonFromJson. null (or "") clears an optional field and is "required" for a required one,
//   except that a cleared sex or birth_date is taken from a resident ID again, as are ones not
//   given when the patch changes id_type or id_number. id, status, version and the timestamps are
//   not patchable (ignored). The caller re-validates the result with ValidatePerson.
#pragma once

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "registry/model.h"

namespace jd::registry {

Person PersonFromJson(const nlohmann::json& j, FieldErrors& errors);

nlohmann::json PersonToJson(const Person& p, bool mask);

nlohmann::json PersonListJson(const Person& p);

Person ApplyPersonPatch(const Person& base, const nlohmann::json& patch, FieldErrors& errors);

}  // namespace jd::registry
