#include "core/text.h"

#include <gtest/gtest.h>

namespace jd {
namespace {

TEST(Text, ValidUtf8) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("abc"));
  EXPECT_TRUE(IsValidUtf8("南宁市青秀区"));
  EXPECT_TRUE(
      IsValidUtf8("\xEF\xBB\xBF"
                  "abc"));
  EXPECT_TRUE(IsValidUtf8("\xF0\xA0\x80\x80"));  // U+20000, a CJK Extension B name character
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
}

TEST(Text, InvalidUtf8) {
  EXPECT_FALSE(IsValidUtf8("\xC4\xCF"));          // GB18030 "南"
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong "/"
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong "/"
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE5\x8D"));          // cut off
  EXPECT_FALSE(IsValidUtf8("\x80"));              // lone continuation byte
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(Text, Utf8LengthCountsCodePoints) {
  EXPECT_EQ(Utf8Length(""), 0u);
  EXPECT_EQ(Utf8Length("abc"), 3u);
  EXPECT_EQ(Utf8Length("韦小宝"), 3u);
  EXPECT_EQ(Utf8Length("a\xF0\xA0\x80\x80"
                       "b"),
            3u);
}

TEST(Text, StripBom) {
  EXPECT_EQ(StripUtf8Bom("\xEF\xBB\xBF"
                         "姓名"),
            "姓名");
  EXPECT_EQ(StripUtf8Bom("姓名"), "姓名");
  EXPECT_EQ(StripUtf8Bom("\xEF\xBB"), "\xEF\xBB");  // not a whole BOM
  EXPECT_EQ(StripUtf8Bom(""), "");
}

TEST(Text, DecodeUtf8WithAndWithoutBom) {
  auto r = DecodeToUtf8(
      "\xEF\xBB\xBF"
      "姓名,性别\r\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->first, "姓名,性别\r\n");
  EXPECT_EQ(r->second, TextEncoding::kUtf8);
  r = DecodeToUtf8("姓名");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->first, "姓名");
  EXPECT_EQ(r->second, TextEncoding::kUtf8);
  r = DecodeToUtf8("");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->first, "");
  EXPECT_EQ(r->second, TextEncoding::kUtf8);
}

TEST(Text, DecodeGb18030) {
  // "南宁市青秀区,户籍" in GB18030, as saved by a spreadsheet on a Chinese Windows.
  auto r = DecodeToUtf8("\xC4\xCF\xC4\xFE\xCA\xD0\xC7\xE0\xD0\xE3\xC7\xF8,\xBB\xA7\xBC\xAE");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->first, "南宁市青秀区,户籍");
  EXPECT_EQ(r->second, TextEncoding::kGb18030);
  // A four-byte GB18030 sequence (U+20000) and the GB18030 byte-order mark.
  r = DecodeToUtf8(
      "\x84\x31\x95\x33"
      "a\x95\x32\x82\x36");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->first, "a\xF0\xA0\x80\x80");
  EXPECT_EQ(r->second, TextEncoding::kGb18030);
}

TEST(Text, DecodeFailureNamesOffsets) {
  // 0xFF is neither a UTF-8 nor a GB18030 byte.
  auto r = DecodeToUtf8(
      "ab\xC4\xCF\xFF"
      "cd");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  ASSERT_EQ(r.status().field_errors().size(), 1u);
  const FieldError& e = r.status().field_errors()[0];
  EXPECT_EQ(e.code, "invalid_encoding");
  EXPECT_NE(e.message_en.find("UTF-8 (invalid byte at offset 2)"), std::string::npos)
      << e.message_en;
  EXPECT_NE(e.message_en.find("GB18030 (invalid byte at offset 4)"), std::string::npos)
      << e.message_en;
  // A GB18030 lead byte cut off at the end of the input.
  r = DecodeToUtf8("abc\xC4");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().field_errors()[0].message_en.find("GB18030 (invalid byte at offset 3)"),
            std::string::npos);
}

TEST(Text, DecodeLargeGb18030) {
  std::string gb;
  std::string utf8;
  for (int i = 0; i < 10000; ++i) {
    gb += "\xC4\xCF";  // 南: 2 bytes in GB18030, 3 in UTF-8
    utf8 += "南";
  }
  auto r = DecodeToUtf8(gb);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->first, utf8);
}

TEST(Text, Trim) {
  EXPECT_EQ(Trim("  a b \t\r\n"), "a b");
  EXPECT_EQ(Trim("\xE3\x80\x80韦小宝\xE3\x80\x80"), "韦小宝");  // U+3000 full-width spaces
  EXPECT_EQ(Trim("\xC2\xA0"
                 "450103 \xC2\xA0"),
            "450103");  // U+00A0
  EXPECT_EQ(Trim(" \xE3\x80\x80 \xC2\xA0 "), "");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim("中\xE3\x80\x80文"), "中\xE3\x80\x80文");  // inner blanks stay
}

}  // namespace
}  // namespace jd
