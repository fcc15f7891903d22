#include "core/input.h"

#include <fmt/format.h>

#include "core/text.h"

namespace jd {
namespace {

using namespace std::chrono;

struct TextRule {
  FieldKind kind;
  std::size_t max_length;
  bool multi_line;
};

// One row per kind: the limits every module's fields share.
constexpr TextRule kTextRules[] = {
    {FieldKind::kName, 50, false},     {FieldKind::kCode, 64, false},
    {FieldKind::kNumber, 64, false},   {FieldKind::kUsername, 64, false},
    {FieldKind::kPhone, 32, false},    {FieldKind::kShortText, 100, false},
    {FieldKind::kAddress, 200, false}, {FieldKind::kFileName, 200, false},
    {FieldKind::kNote, 500, true},
};

const TextRule& RuleOf(FieldKind kind) {
  for (const auto& r : kTextRules) {
    if (r.kind == kind) return r;
  }
  return kTextRules[0];  // unreachable: every kind has a row
}

struct DateRule {
  DateKind kind;
  Date earliest;
  int max_days_ahead;  // how far past today the date may be; 0: not in the future
  const char* what_zh;
};

constexpr Date kYear1900{year{1900}, January, day{1}};
constexpr Date kYear2000{year{2000}, January, day{1}};

// One row per kind. Events that have happened cannot be in the future (an arrival date drives
// eligibility, 南宁市实施办法 §三(一)); documents may expire decades ahead (a 居民身份证 of a
// person over 45 is valid "long term", GB 11643 leaves the date open); appointments and sessions
// are booked at most two years ahead; report and "as of" dates may look ten years ahead for
// planning.
constexpr DateRule kDateRules[] = {
    {DateKind::kBirth, kYear1900, 0, "出生日期"},
    {DateKind::kPastEvent, kYear1900, 0, "日期"},
    {DateKind::kIssue, kYear1900, 0, "签发日期"},
    {DateKind::kExpiry, kYear1900, 366 * 100, "有效期"},
    {DateKind::kDose, kYear1900, 0, "接种日期"},
    {DateKind::kScheduled, kYear2000, 366 * 2, "日期"},
    {DateKind::kAsOf, kYear1900, 366 * 10, "日期"},
};

const DateRule& RuleOf(DateKind kind) {
  for (const auto& r : kDateRules) {
    if (r.kind == kind) return r;
  }
  return kDateRules[0];
}

bool IsControl(char32_t cp, bool multi_line) {
  if (multi_line && (cp == '\t' || cp == '\n' || cp == '\r')) return false;
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029;
}

std::string Label(std::string_view field, std::string_view label_zh) {
  return std::string(label_zh.empty() ? field : label_zh);
}

}  // namespace

std::size_t MaxLength(FieldKind kind) { return RuleOf(kind).max_length; }

bool IsInvisible(char32_t cp) {
  if (cp <= 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0xAD || cp == 0x34F || cp == 0x61C) {
    return true;
  }
  if (cp == 0x115F || cp == 0x1160 || cp == 0x1680 || cp == 0x17B4 || cp == 0x17B5) return true;
  if (cp >= 0x180B && cp <= 0x180F) return true;
  if (cp >= 0x2000 && cp <= 0x200F) return true;  // spaces, zero-width space/joiners, marks
  if (cp >= 0x2028 && cp <= 0x202F) return true;  // separators, bidi embeddings, narrow space
  if (cp >= 0x205F && cp <= 0x206F) return true;  // word joiner, invisible operators, bidi
  if (cp == 0x3000 || cp == 0x3164 || cp == 0xFEFF || cp == 0xFFA0) return true;
  if (cp >= 0xFE00 && cp <= 0xFE0F) return true;  // variation selectors
  if (cp >= 0xFFF0 && cp <= 0xFFFB) return true;  // interlinear annotation, specials
  if (cp >= 0x1D173 && cp <= 0x1D17A) return true;
  if (cp >= 0xE0000 && cp <= 0xE0FFF) return true;  // tags, variation selectors supplement
  return false;
}

std::optional<FieldError> CheckText(std::string_view value, FieldKind kind, std::string_view field,
                                    std::string_view label_zh) {
  if (value.empty()) return std::nullopt;
  const TextRule& rule = RuleOf(kind);
  const std::string f(field);
  const std::string label = Label(field, label_zh);
  std::optional<std::u32string> cps = DecodeUtf8(value);
  if (!cps) {
    return FieldError{f, "invalid_encoding", label + "不是有效的 UTF-8 文本",
                      f + " is not valid UTF-8 text"};
  }
  bool visible = false;
  for (char32_t cp : *cps) {
    if (IsControl(cp, rule.multi_line)) {
      return FieldError{
          f, "control_character",
          fmt::format("{}含有控制字符（U+{:04X}）", label, static_cast<unsigned>(cp)),
          fmt::format("{} contains a control character (U+{:04X})", f, static_cast<unsigned>(cp))};
    }
    visible = visible || !IsInvisible(cp);
  }
  if (!visible) {
    return FieldError{f, "blank", label + "只含空白或不可见字符",
                      f + " has only blank or invisible characters"};
  }
  if (cps->size() > rule.max_length) {
    return FieldError{f, "too_long", fmt::format("{}不能超过{}个字", label, rule.max_length),
                      fmt::format("{} must be at most {} characters", f, rule.max_length)};
  }
  return std::nullopt;
}

std::optional<FieldError> CheckDate(const Date& date, DateKind kind, const Date& today,
                                    std::string_view field, std::string_view label_zh,
                                    std::optional<Date> not_before) {
  const DateRule& rule = RuleOf(kind);
  const std::string f(field);
  const std::string label =
      label_zh.empty() ? std::string(rule.what_zh) + "（" + f + "）" : std::string(label_zh);
  if (!date.ok()) {
    return FieldError{f, "invalid_date", label + "不是有效日期", f + " is not a valid date"};
  }
  if (date < rule.earliest) {
    return FieldError{f, "too_early", fmt::format("{}不能早于{}", label, FormatDate(rule.earliest)),
                      fmt::format("{} is before {}", f, FormatDate(rule.earliest))};
  }
  if (rule.max_days_ahead == 0 && date > today) {
    return FieldError{f, "in_future", label + "不能晚于当前日期", f + " is in the future"};
  }
  const Date latest = AddDays(today, rule.max_days_ahead);
  if (date > latest) {
    return FieldError{f, "too_late", fmt::format("{}不能晚于{}", label, FormatDate(latest)),
                      fmt::format("{} is after {}", f, FormatDate(latest))};
  }
  if (not_before && not_before->ok() && date < *not_before) {
    return FieldError{f, "before_birth", label + "不能早于出生日期",
                      f + " is before the birth date"};
  }
  return std::nullopt;
}

Result<Date> ReadDate(std::string_view text, DateKind kind, const Date& today,
                      std::string_view field, std::string_view label_zh,
                      std::optional<Date> not_before) {
  std::optional<Date> d = ParseDate(text);
  if (!d) {
    const std::string f(field);
    const std::string label = Label(field, label_zh);
    return Status::Invalid({{f, "invalid_date", label + "应为有效日期，格式YYYY-MM-DD",
                             f + " must be a valid date as YYYY-MM-DD"}});
  }
  if (auto e = CheckDate(*d, kind, today, field, label_zh, not_before)) {
    return Status::Invalid({std::move(*e)});
  }
  return *d;
}

Status VersionRequired() {
  return Status::FailedPrecondition(
             "an update must send If-Match with the version of the record it changes",
             "修改记录时须在 If-Match 中给出所改记录的版本号")
      .WithFieldErrors({{"If-Match", "version_required", "请给出所改记录的版本号（If-Match）",
                         "If-Match must name the version of the record being changed"}});
}

Status StaleVersion() {
  return Status::FailedPrecondition("the record was changed by someone else; reload it",
                                    "该记录已被他人修改，请刷新后再改")
      .WithFieldErrors({{"If-Match", "version_mismatch", "该记录已被他人修改，请刷新后再改",
                         "the record was changed since that version; reload it"}});
}

std::string TextMember(const nlohmann::json& j, std::string_view key, FieldKind kind,
                       FieldErrors& errors, std::string_view label_zh) {
  const std::string k(key);
  auto it = j.find(k);
  if (it == j.end() || it->is_null()) return {};
  if (!it->is_string()) {
    errors.Add(k, "wrong_type", Label(key, label_zh) + "应为文本", k + " must be a string");
    return {};
  }
  std::string v = Trim(it->get_ref<const std::string&>());
  if (auto e = CheckText(v, kind, key, label_zh)) {
    errors.Add(std::move(*e));
    return {};
  }
  return v;
}

std::optional<std::string> OptionalTextMember(const nlohmann::json& j, std::string_view key,
                                              FieldKind kind, FieldErrors& errors) {
  auto it = j.find(std::string(key));
  if (it == j.end() || it->is_null()) return std::nullopt;
  const std::size_t before = errors.errors().size();
  std::string v = TextMember(j, key, kind, errors);
  if (errors.errors().size() != before) return std::nullopt;
  return v;
}

std::optional<Date> DateParam(std::string_view text, std::string_view field, DateKind kind,
                              const Date& today, Presence presence, FieldErrors& errors,
                              std::optional<Date> not_before) {
  if (text.empty()) {
    if (presence == Presence::kRequired) {
      const std::string f(field);
      errors.Add(f, "required", "请填写" + f, f + " is required");
    }
    return std::nullopt;
  }
  Result<Date> d = ReadDate(text, kind, today, field, {}, not_before);
  if (!d.ok()) {
    errors.Append(d.status().field_errors());
    return std::nullopt;
  }
  return *d;
}

std::optional<Date> DateMember(const nlohmann::json& j, std::string_view key, DateKind kind,
                               const Date& today, Presence presence, FieldErrors& errors,
                               std::optional<Date> not_before) {
  const std::string k(key);
  auto it = j.find(k);
  if (it != j.end() && !it->is_null() && !it->is_string()) {
    errors.Add(k, "wrong_type", k + " 应为 YYYY-MM-DD 格式的字符串",
               k + " must be a string YYYY-MM-DD");
    return std::nullopt;
  }
  std::string_view text;
  if (it != j.end() && it->is_string()) text = it->get_ref<const std::string&>();
  return DateParam(text, key, kind, today, presence, errors, not_before);
}

}  // namespace jd
