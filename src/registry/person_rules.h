// File: registry/person_rules.h
// Validation of a person's registration record (流动人口登记) and masking of personal numbers for
// display. Pure functions; whether residence_org exists is checked by the service against storage.
//
// ValidatePerson(p, as_of): every problem with `p` as field errors named by the JSON field names of
//   person_json.h; empty when the record is acceptable. Text and dates go through core/input.h
//   (name kName, numbers kNumber, addresses kAddress, other text kShortText; birth_date kBirth,
//   arrived_on and left_hukou_on kPastEvent, residence_permit_valid_until kExpiry). Codes:
//   required, too_long, invalid_encoding, control_character, blank, in_future, too_early,
//   too_late, before_birth, left_after_arrival, invalid_date,
//   invalid_format, invalid_value, invalid_phone, unknown_region, mismatch_with_id_number and those
//   of CheckResidentId (id_number.h).
// MaskIdNumber(n): 18+ characters keep the first 4 and last 4 ("4501**********123X"); 5–17 keep
//   the first 2 and last 2; 4 or fewer are all stars.
// MaskPhone(n): 8+ characters keep the first 3 and last 4 ("138****5678"); 5–7 keep the last 2;
//   4 or fewer are all stars.
// MaskDocumentNumber(n): any other personal number (居民健康卡号, 居住证号码, a document's
//   number): as MaskIdNumber (an 18-character 居民健康卡 or 居住证 number is often the ID number).
// MaskName(n): the first code point (the surname, or its first character) and one star per other
//   code point ("王**"); a name of one code point is "*".
// DeidentifiedPerson(p): `p` for a de-identified export (PIPL 第73条(三) 去标识化): name, ID
//   number, phone, 居民健康卡 and 居住证 numbers masked as above; the street addresses and the
//   employer cleared; everything a statistic needs (sex, birth date, divisions, dates, reasons,
//   status) kept.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "core/status.h"
#include "registry/model.h"

namespace jd::registry {

std::vector<FieldError> ValidatePerson(const Person& p, const Date& as_of);

std::string MaskIdNumber(std::string_view number);
std::string MaskPhone(std::string_view phone);
std::string MaskDocumentNumber(std::string_view number);
std::string MaskName(std::string_view name);

Person DeidentifiedPerson(Person p);

}  // namespace jd::registry
