// Fuzz target: the immunization programme's request field readers (immunization/input_fields.h)
// on arbitrary JSON bodies, every member read as each kind of field.
// Properties checked beyond "no crash, no sanitizer report, no exception":
// - a string read without an error is valid UTF-8, trimmed and within its length limit;
// - an integer read without an error lies within its bounds;
// - a required field that produced no error has a value; every error names the field read.
#include "core/text.h"
#include "fuzz_support.h"
#include "immunization/input_fields.h"

namespace {

void ReadEveryWay(const nlohmann::json& j, const std::string& key) {
  using jd::immunization::DateField;
  using jd::immunization::IntField;
  using jd::immunization::StrField;
  for (const std::size_t max_chars : {std::size_t{0}, std::size_t{4}, std::size_t{200}}) {
    jd::FieldErrors errors;
    const std::string s = StrField(j, key, max_chars, errors);
    if (errors.empty()) {
      JD_FUZZ_CHECK(jd::IsValidUtf8(s));
      JD_FUZZ_CHECK(jd::Utf8Length(s) <= max_chars);
      JD_FUZZ_CHECK(jd::Trim(s) == s);
    } else {
      JD_FUZZ_CHECK(s.empty());
    }
    for (const auto& e : errors.errors()) JD_FUZZ_CHECK(e.field == key);
  }
  for (const bool required : {false, true}) {
    jd::FieldErrors errors;
    const auto d = DateField(j, key, required, errors);
    if (errors.empty() && required) JD_FUZZ_CHECK(d.has_value());
    if (d) (void)jd::FormatDate(*d);
    for (const auto& e : errors.errors()) JD_FUZZ_CHECK(e.field == key);

    jd::FieldErrors int_errors;
    const auto n = IntField(j, key, -5, 1000, required, int_errors);
    if (n) JD_FUZZ_CHECK(*n >= -5 && *n <= 1000);
    if (int_errors.empty() && required) JD_FUZZ_CHECK(n.has_value());
    for (const auto& e : int_errors.errors()) JD_FUZZ_CHECK(e.field == key);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A query parameter's raw text goes through DateText.
  jd::FieldErrors text_errors;
  (void)jd::immunization::DateText(std::string(jd::fuzz::AsText(data, size)), "date", true,
                                   text_errors);

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
