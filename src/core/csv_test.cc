#include "core/csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

namespace jd {
namespace {

using ::testing::ElementsAre;
using Records = std::vector<std::vector<std::string>>;

// Every record of `text`, or the reader's failure.
Result<Records> ReadAll(std::string_view text, std::vector<int>* lines = nullptr) {
  CsvReader reader(text);
  Records records;
  std::vector<std::string> fields;
  while (reader.Next(fields)) {
    records.push_back(fields);
    if (lines) lines->push_back(reader.line());
  }
  if (!reader.status().ok()) return reader.status();
  return records;
}

TEST(CsvReader, SimpleRecordsWithLf) {
  std::vector<int> lines;
  auto r = ReadAll("a,b,c\n1,2,3\n", &lines);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_THAT(*r, ElementsAre(ElementsAre("a", "b", "c"), ElementsAre("1", "2", "3")));
  EXPECT_THAT(lines, ElementsAre(1, 2));
}

TEST(CsvReader, CrlfAndMissingFinalLineBreak) {
  std::vector<int> lines;
  auto r = ReadAll("姓名,性别\r\n韦小宝,男\r\n覃梅,女", &lines);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(*r, ElementsAre(ElementsAre("姓名", "性别"), ElementsAre("韦小宝", "男"),
                              ElementsAre("覃梅", "女")));
  EXPECT_THAT(lines, ElementsAre(1, 2, 3));
}

TEST(CsvReader, QuotesAndEmbeddedCommas) {
  auto r = ReadAll("\"a,b\",\"say \"\"hi\"\"\",\"\"\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_THAT(*r, ElementsAre(ElementsAre("a,b", "say \"hi\"", "")));
}

TEST(CsvReader, QuotedNewlinesKeepLineNumbers) {
  std::vector<int> lines;
  auto r = ReadAll("h1,h2\n\"line one\nline two\",x\r\n\"a\r\nb\",y\nlast,z\n", &lines);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_THAT(*r, ElementsAre(ElementsAre("h1", "h2"), ElementsAre("line one\nline two", "x"),
                              ElementsAre("a\r\nb", "y"), ElementsAre("last", "z")));
  EXPECT_THAT(lines, ElementsAre(1, 2, 4, 6));
}

TEST(CsvReader, EmptyFieldsAndSpacesAreKept) {
  auto r = ReadAll(",,\na,,b\n , x \n");
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(
      *r, ElementsAre(ElementsAre("", "", ""), ElementsAre("a", "", "b"), ElementsAre(" ", " x ")));
}

TEST(CsvReader, BlankLinesAndBomAreSkipped) {
  std::vector<int> lines;
  auto r = ReadAll(
      "\xEF\xBB\xBF"
      "a,b\n\n\r\n1,2\n\n",
      &lines);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(*r, ElementsAre(ElementsAre("a", "b"), ElementsAre("1", "2")));
  EXPECT_THAT(lines, ElementsAre(1, 4));
}

TEST(CsvReader, LoneCrEndsRecords) {
  std::vector<int> lines;
  auto r = ReadAll("a\rb\r", &lines);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(*r, ElementsAre(ElementsAre("a"), ElementsAre("b")));
  EXPECT_THAT(lines, ElementsAre(1, 2));
}

TEST(CsvReader, EmptyInput) {
  auto r = ReadAll("");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
  r = ReadAll("\xEF\xBB\xBF");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
}

TEST(CsvReader, UnterminatedQuoteReportsRecordStartLine) {
  CsvReader reader("a,b\n1,2\n3,\"never closed\n4,5\n6,7\n");
  std::vector<std::string> fields;
  ASSERT_TRUE(reader.Next(fields));
  ASSERT_TRUE(reader.Next(fields));
  EXPECT_FALSE(reader.Next(fields));
  ASSERT_FALSE(reader.status().ok());
  EXPECT_EQ(reader.line(), 3);
  ASSERT_EQ(reader.status().field_errors().size(), 1u);
  const FieldError& e = reader.status().field_errors()[0];
  EXPECT_EQ(e.code, "csv_unterminated_quote");
  EXPECT_EQ(e.message_en.rfind("line 3:", 0), 0u) << e.message_en;
  EXPECT_EQ(e.message_zh.rfind("第 3 行", 0), 0u) << e.message_zh;
  EXPECT_FALSE(reader.Next(fields));  // stays failed
}

TEST(CsvReader, StrayQuotesAreErrors) {
  CsvReader reader("a,b\nx,ab\"c\n");
  std::vector<std::string> fields;
  ASSERT_TRUE(reader.Next(fields));
  EXPECT_FALSE(reader.Next(fields));
  ASSERT_FALSE(reader.status().ok());
  EXPECT_EQ(reader.status().field_errors()[0].code, "csv_malformed_quote");
  EXPECT_EQ(reader.line(), 2);

  auto r = ReadAll("h\n\n\"closed\"junk,x\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field_errors()[0].code, "csv_malformed_quote");
  EXPECT_EQ(r.status().field_errors()[0].message_en.rfind("line 3:", 0), 0u);
}

std::string Write(const Records& records, CsvWriterOptions options = {}) {
  std::ostringstream out;
  CsvWriter writer(out, options);
  for (const auto& r : records) writer.Row(r);
  return out.str();
}

TEST(CsvWriter, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(Write({{"a", "b c", ""}, {"x,y", "say \"hi\"", "two\nlines", " pad"}}),
            "a,b c,\r\n\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\",\" pad\"\r\n");
}

TEST(CsvWriter, Bom) {
  EXPECT_EQ(Write({{"姓名"}}, {.bom = CsvBom::kUtf8}), "\xEF\xBB\xBF姓名\r\n");
  EXPECT_EQ(Write({{"姓名"}}), "姓名\r\n");
  EXPECT_EQ(Write({}, {.bom = CsvBom::kUtf8}), "");
}

TEST(CsvWriter, DefusesFormulasByDefault) {
  EXPECT_EQ(Write({{"=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "a=b"}}),
            "'=1+1,'+cmd,'-2+3,'@SUM(A1),'\tx,a=b\r\n");
  // Plain numbers are not formulas.
  EXPECT_EQ(Write({{"-12", "+3.5", "-", "+"}}), "-12,+3.5,'-,'+\r\n");
  // The apostrophe goes inside the quotes when the cell needs quoting.
  EXPECT_EQ(Write({{"=HYPERLINK(\"x\",\"y\")"}}), "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"\r\n");
  EXPECT_EQ(Write({{"=1+1"}}, {.formula_guard = FormulaGuard::kOff}), "=1+1\r\n");
}

TEST(CsvRoundTrip, WriterThenReader) {
  const Records records = {
      {"姓名", "证件号码", "户籍地址"},
      {"韦小宝", "450103199001011234", "广西壮族自治区南宁市青秀区\n民族大道 1 号"},
      {"", "a,b", "\"quoted\""},
      {" leading", "trailing ", "\r\n"},
      {"=1+1", "x", ""},
  };
  auto r = ReadAll(Write(records, {.bom = CsvBom::kUtf8, .formula_guard = FormulaGuard::kOff}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, records);

  EXPECT_EQ(Write({{""}}), "\"\"\r\n");
  auto single_empty = ReadAll(Write({{"a"}, {""}, {"b"}}));
  ASSERT_TRUE(single_empty.ok());
  EXPECT_THAT(*single_empty, ElementsAre(ElementsAre("a"), ElementsAre(""), ElementsAre("b")));

  auto defused = ReadAll(Write({{"=1+1"}}));
  ASSERT_TRUE(defused.ok());
  EXPECT_THAT(*defused, ElementsAre(ElementsAre("'=1+1")));
}

// Random records of awkward characters survive writing and reading, and the reader reports the
// line each record starts on.
TEST(CsvRoundTrip, RandomRecords) {
  const std::vector<std::string> pieces = {"a",  "韦", " ",    ",",   "\"",
                                           "\r", "\n", "\r\n", "x y", "'"};
  std::uint64_t state = 12345;
  auto next = [&](std::size_t n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>((state >> 33) % n);
  };
  Records records;
  for (int r = 0; r < 300; ++r) {
    std::vector<std::string> fields(1 + next(5));
    for (std::string& f : fields) {
      const std::size_t len = next(6);
      for (std::size_t i = 0; i < len; ++i) f += pieces[next(pieces.size())];
    }
    records.push_back(fields);
  }
  const std::string text = Write(records, {.formula_guard = FormulaGuard::kOff});
  std::vector<int> lines;
  auto r = ReadAll(text, &lines);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, records);
  // Expected start lines: 1 + the line breaks (CRLF, LF or lone CR) of the records before.
  int line = 1;
  for (std::size_t i = 0; i < records.size(); ++i) {
    ASSERT_EQ(lines[i], line) << i;
    for (const std::string& f : records[i]) {
      for (std::size_t k = 0; k < f.size(); ++k) {
        if (f[k] == '\n' || (f[k] == '\r' && (k + 1 >= f.size() || f[k + 1] != '\n'))) ++line;
      }
    }
    ++line;
  }
}

// Arbitrary bytes never crash the reader; it ends with records or a status.
TEST(CsvReader, GarbageDoesNotCrash) {
  const std::string alphabet = "a,\"\r\n \xE9\x9F\xA6";
  std::uint64_t state = 99;
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    const int len = static_cast<int>(round % 40);
    for (int i = 0; i < len; ++i) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      text += alphabet[(state >> 33) % alphabet.size()];
    }
    CsvReader reader(text);
    std::vector<std::string> fields;
    int records = 0;
    while (reader.Next(fields)) ++records;
    EXPECT_LE(records, len + 1);
    if (!reader.status().ok()) {
      EXPECT_GE(reader.line(), 1);
    }
  }
}

}  // namespace
}  // namespace jd
