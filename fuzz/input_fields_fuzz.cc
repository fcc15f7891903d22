// Fuzz target: the one input layer (core/input.h) and the immunization programme's integer reader
// (immunization/input_fields.h) on arbitrary JSON bodies and query text, every member read as each
// kind of text and date.
// Properties checked beyond "no crash, no sanitizer report, no exception":
// - text read without an error is valid UTF-8, trimmed and within its kind's length;
// - a date read without an error lies within its kind's range (CheckDate agrees);
// - an integer read without an error lies within its bounds;
// - a required field that produced no error has a value; every error names the field read.
#include "core/input.h"
#include "core/text.h"
#include "fuzz_support.h"
#include "immunization/input_fields.h"

namespace {

const jd::Date kToday{std::chrono::year{2026}, std::chrono::month{12}, std::chrono::day{6}};

void ReadEveryWay(const nlohmann::json& j, const std::string& key) {
  for (const jd::FieldKind kind : {jd::FieldKind::kName, jd::FieldKind::kCode,
                                   jd::FieldKind::kAddress, jd::FieldKind::kNote}) {
    jd::FieldErrors errors;
    const std::string s = jd::TextMember(j, key, kind, errors);
    if (errors.empty()) {
      JD_FUZZ_CHECK(jd::IsValidUtf8(s));
      JD_FUZZ_CHECK(jd::Utf8Length(s) <= jd::MaxLength(kind));
      JD_FUZZ_CHECK(jd::Trim(s) == s);
    } else {
      JD_FUZZ_CHECK(s.empty());
    }
    for (const auto& e : errors.errors()) JD_FUZZ_CHECK(e.field == key);
  }
  for (const auto presence : {jd::Presence::kOptional, jd::Presence::kRequired}) {
    for (const jd::DateKind kind : {jd::DateKind::kBirth, jd::DateKind::kScheduled}) {
      jd::FieldErrors errors;
      const auto d = jd::DateMember(j, key, kind, kToday, presence, errors);
      if (errors.empty() && presence == jd::Presence::kRequired) JD_FUZZ_CHECK(d.has_value());
      if (d) JD_FUZZ_CHECK(!jd::CheckDate(*d, kind, kToday, key).has_value());
      for (const auto& e : errors.errors()) JD_FUZZ_CHECK(e.field == key);
    }
    const bool required = presence == jd::Presence::kRequired;
    jd::FieldErrors int_errors;
    const auto n = jd::immunization::IntField(j, key, -5, 1000, required, int_errors);
    if (n) JD_FUZZ_CHECK(*n >= -5 && *n <= 1000);
    if (int_errors.empty() && required) JD_FUZZ_CHECK(n.has_value());
    for (const auto& e : int_errors.errors()) JD_FUZZ_CHECK(e.field == key);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A query parameter's or CSV cell's raw text goes through DateParam.
  jd::FieldErrors text_errors;
  (void)jd::DateParam(std::string(jd::fuzz::AsText(data, size)), "date", jd::DateKind::kAsOf,
                      kToday, jd::Presence::kRequired, text_errors);

  const nlohmann::json j = jd::fuzz::ParseJsonOrDiscard(data, size);
  if (j.is_discarded()) return 0;
  ReadEveryWay(j, "name");  // also for bodies that are not objects
  if (j.is_object()) {
    int keys = 0;
    for (const auto& item : j.items()) {
      if (++keys > 32) break;
      ReadEveryWay(j, item.key());
    }
  }
  return 0;
}
