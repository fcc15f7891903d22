#include "core/input.h"

#include <gtest/gtest.h>

#include <string>

namespace jd {
namespace {

using std::chrono::day;
using std::chrono::year;

constexpr Date kToday{year{2026}, std::chrono::December, day{6}};

std::string CodeOf(std::string_view value, FieldKind kind) {
  auto e = CheckText(value, kind, "f");
  return e ? e->code : "";
}

std::string DateCode(std::string_view text, DateKind kind,
                     std::optional<Date> not_before = std::nullopt) {
  auto d = ReadDate(text, kind, kToday, "f", {}, not_before);
  if (d.ok()) return "";
  EXPECT_EQ(d.status().field_errors().size(), 1u);
  return d.status().field_errors().at(0).code;
}

TEST(CheckText, AcceptsOrdinaryText) {
  EXPECT_EQ(CodeOf("", FieldKind::kName), "");  // required-ness is the caller's rule
  EXPECT_EQ(CodeOf("王小明", FieldKind::kName), "");
  EXPECT_EQ(CodeOf("阿卜杜·热合曼", FieldKind::kName), "");
  EXPECT_EQ(CodeOf("\xF0\xA0\x80\x80", FieldKind::kName), "");  // CJK Extension B
  EXPECT_EQ(CodeOf("第一行\n第二行\t完", FieldKind::kNote), "");
}

TEST(CheckText, RejectsNulAndControlCharacters) {
  EXPECT_EQ(CodeOf(std::string("AB\0CD", 5), FieldKind::kNumber), "control_character");
  EXPECT_EQ(CodeOf("青秀区\x01", FieldKind::kAddress), "control_character");
  EXPECT_EQ(CodeOf("a\x7F", FieldKind::kShortText), "control_character");
  EXPECT_EQ(CodeOf("a\xC2\x85", FieldKind::kShortText), "control_character");      // U+0085 (C1)
  EXPECT_EQ(CodeOf("a\xE2\x80\xA8", FieldKind::kShortText), "control_character");  // U+2028
  EXPECT_EQ(CodeOf("一\n二", FieldKind::kName), "control_character");  // single-line kind
  EXPECT_EQ(CodeOf(std::string("a\0", 2), FieldKind::kNote), "control_character");
  auto e = CheckText(std::string("X\0", 2), FieldKind::kNumber, "lot_number", "批号");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->field, "lot_number");
  EXPECT_NE(e->message_zh.find("批号"), std::string::npos);
  EXPECT_NE(e->message_en.find("U+0000"), std::string::npos);
}

TEST(CheckText, RejectsInvalidUtf8) {
  EXPECT_EQ(CodeOf("\xC4\xCF", FieldKind::kName), "invalid_encoding");      // GB18030
  EXPECT_EQ(CodeOf("\xED\xA0\x80", FieldKind::kName), "invalid_encoding");  // surrogate
}

TEST(CheckText, RejectsTextOfOnlyInvisibleCharacters) {
  EXPECT_EQ(CodeOf("\xE2\x80\x8B", FieldKind::kName), "blank");               // U+200B
  EXPECT_EQ(CodeOf("\xE2\x80\x8C\xE2\x80\x8D", FieldKind::kName), "blank");   // ZWNJ ZWJ
  EXPECT_EQ(CodeOf("\xEF\xBB\xBF", FieldKind::kName), "blank");               // BOM
  EXPECT_EQ(CodeOf("\xE2\x81\xA0 \xE3\x80\x80", FieldKind::kName), "blank");  // WJ, spaces
  EXPECT_EQ(CodeOf("\xC2\xAD", FieldKind::kName), "blank");                   // soft hyphen
  EXPECT_EQ(CodeOf("\xE3\x85\xA4", FieldKind::kName), "blank");               // Hangul filler
  EXPECT_EQ(CodeOf("   ", FieldKind::kNote), "blank");
  // Invisible characters beside visible ones are not this check's business.
  EXPECT_EQ(CodeOf("王\xE2\x80\x8B明", FieldKind::kName), "");
}

TEST(CheckText, LengthLimitPerKindInCodePoints) {
  std::string name;
  for (std::size_t i = 0; i < MaxLength(FieldKind::kName); ++i) name += "李";
  EXPECT_EQ(CodeOf(name, FieldKind::kName), "");
  EXPECT_EQ(CodeOf(name + "李", FieldKind::kName), "too_long");
  EXPECT_EQ(CodeOf(name + "李", FieldKind::kShortText), "");
  EXPECT_EQ(MaxLength(FieldKind::kName), 50u);
  EXPECT_EQ(MaxLength(FieldKind::kAddress), 200u);
  EXPECT_EQ(CodeOf(std::string(501, 'a'), FieldKind::kNote), "too_long");
}

TEST(ReadDate, OnlyStrictIsoDatesThatExist) {
  EXPECT_EQ(DateCode("2026-01-31", DateKind::kPastEvent), "");
  EXPECT_EQ(DateCode("2026-13-45", DateKind::kPastEvent), "invalid_date");
  EXPECT_EQ(DateCode("2026-02-30", DateKind::kPastEvent), "invalid_date");
  EXPECT_EQ(DateCode("2025-02-29", DateKind::kPastEvent), "invalid_date");
  EXPECT_EQ(DateCode("2024-02-29", DateKind::kPastEvent), "");
  EXPECT_EQ(DateCode("2026-1-5", DateKind::kPastEvent), "invalid_date");
  EXPECT_EQ(DateCode("20260105", DateKind::kPastEvent), "invalid_date");
  EXPECT_EQ(DateCode("2026-01-05T00:00", DateKind::kPastEvent), "invalid_date");
  EXPECT_EQ(DateCode(" 2026-01-05", DateKind::kPastEvent), "invalid_date");
  EXPECT_EQ(DateCode(std::string("2026-01-0\0", 10), DateKind::kPastEvent), "invalid_date");
}

TEST(ReadDate, PlausibleRangePerKind) {
  EXPECT_EQ(DateCode("0000-01-01", DateKind::kBirth), "too_early");
  EXPECT_EQ(DateCode("1800-06-01", DateKind::kBirth), "too_early");
  EXPECT_EQ(DateCode("1899-12-31", DateKind::kBirth), "too_early");
  EXPECT_EQ(DateCode("1900-01-01", DateKind::kBirth), "");
  EXPECT_EQ(DateCode("2026-12-06", DateKind::kBirth), "");
  EXPECT_EQ(DateCode("2026-12-07", DateKind::kBirth), "in_future");
  EXPECT_EQ(DateCode("2027-02-14", DateKind::kPastEvent), "in_future");
  EXPECT_EQ(DateCode("2026-12-07", DateKind::kIssue), "in_future");
  EXPECT_EQ(DateCode("2026-12-07", DateKind::kDose), "in_future");
  EXPECT_EQ(DateCode("2046-12-31", DateKind::kExpiry), "");
  EXPECT_EQ(DateCode("9999-12-31", DateKind::kExpiry), "too_late");
  EXPECT_EQ(DateCode("2027-06-01", DateKind::kScheduled), "");
  EXPECT_EQ(DateCode("2029-06-01", DateKind::kScheduled), "too_late");
  EXPECT_EQ(DateCode("1999-12-31", DateKind::kScheduled), "too_early");
  EXPECT_EQ(DateCode("2030-01-01", DateKind::kAsOf), "");
  EXPECT_EQ(DateCode("1800-01-01", DateKind::kAsOf), "too_early");
}

TEST(ReadDate, DoseNotBeforeBirth) {
  const Date birth{year{2025}, std::chrono::March, day{1}};
  EXPECT_EQ(DateCode("2025-02-28", DateKind::kDose, birth), "before_birth");
  EXPECT_EQ(DateCode("2025-03-01", DateKind::kDose, birth), "");
}

TEST(ReadDate, MessagesInChineseAndEnglish) {
  auto d = ReadDate("2027-01-01", DateKind::kPastEvent, kToday, "arrived_on", "来本地日期");
  ASSERT_FALSE(d.ok());
  const FieldError& e = d.status().field_errors().at(0);
  EXPECT_EQ(e.field, "arrived_on");
  EXPECT_EQ(e.message_zh, "来本地日期不能晚于当前日期");
  EXPECT_EQ(e.message_en, "arrived_on is in the future");
}

}  // namespace
}  // namespace jd
