// File: disease/card_json.h
// A case card (disease/card.h) as JSON: the request body that fills one in or corrects it, the
// full card as the API shows it, and the before-image kept in disease_card_revisions.
//
// FieldsFromJson(j, now, errors): reads the reporter's fields of a JSON object; every malformed
//   member (wrong type, bad text, a date not "YYYY-MM-DD", a time not "YYYY-MM-DDTHH:MM[:SS]Z" or
//   "…+08:00", an unknown code of sex, patient_belongs, case_class, chronicity or work_site_kind)
//   is added to `errors` under its JSON name. reported_at defaults to `now`. Whether the values
//   fit together is disease::ValidateCard's rule, not this function's.
// FieldsToJson(fields): the same members, in the same form (FieldsFromJson(FieldsToJson(f)) == f).
// CardToJson(card): the fields plus id, person_id, residence_path, district_code, work_site_key,
//   late, status, status_reason, merged_into, version, created/updated at and by. Whole values:
//   the caller masks what a list must not show.
// CardFromJson(j, now): CardToJson's inverse, for the stored before-images; nullopt when `j` is
//   not one.
// BeforeImage(card) / ReadBeforeImage(text, now): the same as compact JSON text, as
//   disease_card_revisions.before keeps it; nullopt for text that is not such a card.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/status.h"
#include "disease/card.h"

namespace jd::disease {

CardFields FieldsFromJson(const nlohmann::json& j, Instant now, FieldErrors& errors);
nlohmann::json FieldsToJson(const CardFields& f);
nlohmann::json CardToJson(const Card& c);
std::optional<Card> CardFromJson(const nlohmann::json& j, Instant now);
std::string BeforeImage(const Card& card);
std::optional<Card> ReadBeforeImage(const std::string& text, Instant now);

}  // namespace jd::disease
