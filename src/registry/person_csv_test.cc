#include "registry/person_csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "core/csv.h"
#include "registry/person_json.h"

namespace jd::registry {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

std::vector<std::string> Codes(const std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  for (const FieldError& e : errors) out.push_back(e.field + ":" + e.code);
  return out;
}

TEST(PersonCsvHeader, ChineseNames) {
  auto h = MapHeader({"姓名", "性别", "身份证号", "户籍地区划代码", "现居住地单位代码",
                      "来本地日期", "流动原因", "联系电话"});
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_THAT(h->fields, ElementsAre("name", "sex", "id_number", "hukou_division", "residence_org",
                                     "arrived_on", "move_reason", "phone"));
  EXPECT_EQ(h->ColumnFor("id_number"), "身份证号");
  EXPECT_EQ(h->ColumnFor("phone"), "联系电话");
  EXPECT_EQ(h->ColumnFor("employer"), "employer");  // not in the file
}

TEST(PersonCsvHeader, EnglishNamesIgnoreCaseSpacesAndRequiredMarks) {
  auto h =
      MapHeader({"\xEF\xBB\xBF"
                 "name",
                 " ID_Number ", "*hukou_division", "residence_org*",
                 "\xE3\x80\x80"
                 "arrived_on",
                 "Move_Reason", "＊民族"});
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_THAT(h->fields, ElementsAre("name", "id_number", "hukou_division", "residence_org",
                                     "arrived_on", "move_reason", "ethnicity"));
  EXPECT_EQ(h->columns[1], "ID_Number");
}

TEST(PersonCsvHeader, UnknownMissingAndDuplicateColumns) {
  auto h = MapHeader({"姓名", "序号", "证件号码", "身份证号", "来本地日期", "备注"});
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(Codes(h.status().field_errors()),
              UnorderedElementsAre("序号:unknown_column", "备注:unknown_column",
                                   "身份证号:duplicate_column", "hukou_division:missing_column",
                                   "residence_org:missing_column", "move_reason:missing_column"));
}

TEST(PersonCsvHeader, EmptyHeaderCellsAreIgnored) {
  auto h = MapHeader({"name", "id_number", "hukou_division", "residence_org", "arrived_on",
                      "move_reason", "", " "});
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->fields[6], "");
  std::vector<FieldError> errors;
  RowToPersonJson(*h, {"韦小宝", "x", "450103", "450103001001", "2025-01-01", "务工", "", ""},
                  errors);
  EXPECT_TRUE(errors.empty());
  RowToPersonJson(*h, {"韦小宝", "x", "450103", "450103001001", "2025-01-01", "务工", "", "备注"},
                  errors);
  EXPECT_THAT(Codes(errors), ElementsAre(":value_in_unnamed_column"));
}

TEST(PersonCsvHeader, ExportHeaderIsAccepted) {
  auto h = MapHeader(ExportHeaderZh());
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->fields.size(), 20u);
  EXPECT_EQ(ExportHeaderZh()[0], "姓名");
  EXPECT_EQ(ExportHeaderZh()[4], "证件号码");
}

const std::vector<std::string> kZhHeader = {
    "姓名",       "性别",           "出生日期",       "证件类型",       "证件号码",
    "民族",       "手机号码",       "户籍地区划代码", "户籍地址",       "现居住地单位代码",
    "现居住地址", "离开户籍地日期", "来本地日期",     "流动原因",       "职业",
    "工作单位",   "婚姻状况",       "居住证号码",     "居住证有效期至", "居民健康卡号"};

TEST(PersonCsvRow, TranslatesChineseLabelsToCodes) {
  auto h = MapHeader(kZhHeader);
  ASSERT_TRUE(h.ok());
  std::vector<FieldError> errors;
  nlohmann::json j = RowToPersonJson(*h,
                                     {"韦小宝",
                                      "男",
                                      "1990/1/5",
                                      "居民身份证",
                                      "450103199001051234",
                                      "壮族",
                                      "13800138000",
                                      "450123",
                                      "广西南宁市隆安县城厢镇",
                                      "450103001001",
                                      "",
                                      "2024年3月1日 0:00",
                                      "20240310",
                                      "务工",
                                      "建筑工人",
                                      "",
                                      "已婚",
                                      "",
                                      "",
                                      "  "},
                                     errors);
  EXPECT_TRUE(errors.empty()) << Codes(errors)[0];
  EXPECT_EQ(j, nlohmann::json({{"name", "韦小宝"},
                               {"sex", "M"},
                               {"birth_date", "1990-01-05"},
                               {"id_type", "resident_id"},
                               {"id_number", "450103199001051234"},
                               {"ethnicity", "08"},
                               {"phone", "13800138000"},
                               {"hukou_division", "450123"},
                               {"hukou_address", "广西南宁市隆安县城厢镇"},
                               {"residence_org", "450103001001"},
                               {"left_hukou_on", "2024-03-01"},
                               {"arrived_on", "2024-03-10"},
                               {"move_reason", "work"},
                               {"occupation", "建筑工人"},
                               {"marital_status", "married"}}));
}

TEST(PersonCsvRow, EveryLabel) {
  auto h = MapHeader({"姓名", "证件号码", "户籍地区划代码", "现居住地单位代码", "来本地日期",
                      "流动原因", "证件类型", "性别", "婚姻状况"});
  ASSERT_TRUE(h.ok());
  auto read = [&](std::string reason, std::string id_type, std::string sex, std::string marital) {
    std::vector<FieldError> errors;
    nlohmann::json j = RowToPersonJson(
        *h, {"a", "b", "450123", "450103001001", "2025-01-01", reason, id_type, sex, marital},
        errors);
    EXPECT_TRUE(errors.empty()) << reason << id_type << sex << marital;
    return j;
  };
  const std::vector<std::pair<std::string, std::string>> reasons = {
      {"务工", "work"},          {"经商", "business"},  {"随迁家属", "family"},
      {"婚嫁", "marriage"},      {"学习培训", "study"}, {"就医", "medical"},
      {"旅游", "travel"},        {"探亲访友", "visit"}, {"现役军人", "military"},
      {"出差", "business_trip"}, {"其他", "other"},
  };
  for (const auto& [zh, code] : reasons) EXPECT_EQ(read(zh, "", "", "")["move_reason"], code);
  EXPECT_EQ(read("work", "", "", "")["move_reason"], "work");
  const std::vector<std::pair<std::string, std::string>> id_types = {
      {"居民身份证", "resident_id"},
      {"护照", "passport"},
      {"港澳居民来往内地通行证", "hk_macau_permit"},
      {"台湾居民来往大陆通行证", "taiwan_permit"},
      {"出生医学证明", "birth_certificate"},
  };
  for (const auto& [zh, code] : id_types) EXPECT_EQ(read("务工", zh, "", "")["id_type"], code);
  EXPECT_EQ(read("务工", "passport", "", "")["id_type"], "passport");
  const std::vector<std::pair<std::string, std::string>> marital = {
      {"未婚", "single"},  {"已婚", "married"},   {"离婚", "divorced"},
      {"丧偶", "widowed"}, {"未说明", "unknown"},
  };
  for (const auto& [zh, code] : marital) {
    EXPECT_EQ(read("务工", "", "", zh)["marital_status"], code);
  }
  EXPECT_EQ(read("务工", "", "女", "")["sex"], "F");
  EXPECT_EQ(read("务工", "", "f", "")["sex"], "F");
  EXPECT_EQ(read("务工", "", "1", "")["sex"], "M");
  EXPECT_EQ(read("务工", "", "2", "")["sex"], "F");
}

TEST(PersonCsvRow, EnglishHeaderAndCodes) {
  auto h = MapHeader({"name", "sex", "id_number", "hukou_division", "residence_org", "arrived_on",
                      "move_reason", "ethnicity"});
  ASSERT_TRUE(h.ok());
  std::vector<FieldError> errors;
  nlohmann::json j = RowToPersonJson(
      *h,
      {"Li Lei", "F", "450103199001051234", "450123", "450103001001", "2025-01-01", "family", "01"},
      errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(j["sex"], "F");
  EXPECT_EQ(j["move_reason"], "family");
  EXPECT_EQ(j["ethnicity"], "01");
}

TEST(PersonCsvRow, ErrorsNameTheFileColumns) {
  auto h = MapHeader({"姓名", "身份证号", "户籍地区划代码", "现居住地单位代码", "来本地日期",
                      "流动原因", "民族", "sex"});
  ASSERT_TRUE(h.ok());
  std::vector<FieldError> errors;
  nlohmann::json j = RowToPersonJson(
      *h, {"韦小宝", "4.50103E+17", "450123", "450103001001", "2025-02-30", "打工", "火星族", "X"},
      errors);
  EXPECT_THAT(Codes(errors),
              ElementsAre("身份证号:spreadsheet_number", "来本地日期:invalid_date",
                          "流动原因:invalid_value", "民族:invalid_value", "sex:invalid_value"));
  // Cells with problems are left out.
  EXPECT_EQ(j, nlohmann::json({{"name", "韦小宝"},
                               {"hukou_division", "450123"},
                               {"residence_org", "450103001001"}}));
  EXPECT_NE(errors[2].message_zh.find("务工"), std::string::npos) << errors[2].message_zh;
}

TEST(PersonCsvRow, WrongCellCount) {
  auto h = MapHeader(
      {"name", "id_number", "hukou_division", "residence_org", "arrived_on", "move_reason"});
  ASSERT_TRUE(h.ok());
  std::vector<FieldError> errors;
  nlohmann::json j = RowToPersonJson(*h, {"a", "b", "c"}, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "");
  EXPECT_EQ(errors[0].code, "wrong_cell_count");
  EXPECT_NE(errors[0].message_en.find("3 cells"), std::string::npos);
  EXPECT_TRUE(j.empty());
  errors.clear();
  RowToPersonJson(*h, {"a", "b", "c", "d", "e", "f", "g"}, errors);
  EXPECT_THAT(Codes(errors), ElementsAre(":wrong_cell_count"));
}

TEST(PersonCsvRow, DateForms) {
  auto h = MapHeader(
      {"name", "id_number", "hukou_division", "residence_org", "arrived_on", "move_reason"});
  ASSERT_TRUE(h.ok());
  auto date = [&](const std::string& text) -> std::string {
    std::vector<FieldError> errors;
    nlohmann::json j = RowToPersonJson(*h, {"a", "b", "c", "d", text, "务工"}, errors);
    return errors.empty() ? j["arrived_on"].get<std::string>() : "error";
  };
  EXPECT_EQ(date("2024-03-01"), "2024-03-01");
  EXPECT_EQ(date("2024-3-1"), "2024-03-01");
  EXPECT_EQ(date("2024/03/01"), "2024-03-01");
  EXPECT_EQ(date("2024.3.1"), "2024-03-01");
  EXPECT_EQ(date("20240229"), "2024-02-29");
  EXPECT_EQ(date("2024年12月31日"), "2024-12-31");
  EXPECT_EQ(date("2024/3/1 8:30"), "2024-03-01");
  EXPECT_EQ(date("20230229"), "error");
  EXPECT_EQ(date("24-3-1"), "error");
  EXPECT_EQ(date("2024-13-01"), "error");
  EXPECT_EQ(date("2024-3"), "error");
  EXPECT_EQ(date("2024-3-1-2"), "error");
  EXPECT_EQ(date("March 1"), "error");
}

TEST(PersonCsvExport, ChineseLabels) {
  nlohmann::json person = {
      {"id", "0190a3f0-0000-7000-8000-000000000000"},
      {"name", "韦小宝"},
      {"sex", "M"},
      {"birth_date", "1990-01-05"},
      {"id_type", "resident_id"},
      {"id_number", "450103199001051234"},
      {"ethnicity", "08"},
      {"phone", "13800138000"},
      {"hukou_division", "450123"},
      {"left_hukou_on", nullptr},
      {"arrived_on", "2024-03-10"},
      {"move_reason", "business_trip"},
      {"marital_status", "unknown"},
      {"residence_permit_valid_until", nullptr},
  };
  std::vector<std::string> row = PersonJsonToExportRow(person);
  ASSERT_EQ(row.size(), ExportHeaderZh().size());
  EXPECT_THAT(row, ElementsAre("韦小宝", "男", "1990-01-05", "居民身份证", "450103199001051234",
                               "壮族", "13800138000", "450123", "", "", "", "", "2024-03-10",
                               "出差", "", "", "未说明", "", "", ""));
  // A masked person exports the masked numbers.
  nlohmann::json masked = {{"id_number_masked", "4501**********1234"},
                           {"phone_masked", "138****8000"}};
  row = PersonJsonToExportRow(masked);
  EXPECT_EQ(row[4], "4501**********1234");
  EXPECT_EQ(row[6], "138****8000");
}

TEST(PersonCsvExport, RoundTripThroughCsvAndPersonJson) {
  Person p;
  p.name = "覃梅";
  p.sex = Sex::kFemale;
  p.birth_date = std::chrono::year{1995} / 7 / 20;
  p.id_type = IdType::kResidentId;
  p.id_number = "450123199507200023";
  p.ethnicity = "08";
  p.phone = "13977100000";
  p.hukou_division = "450123";
  p.hukou_address = "广西壮族自治区南宁市隆安县那桐镇那洪村12号";
  p.residence_org = "450103001001";
  p.residence_address = "南宁市青秀区民乐路1号, 3栋";
  p.left_hukou_on = std::chrono::year{2024} / 2 / 20;
  p.arrived_on = std::chrono::year{2024} / 3 / 1;
  p.move_reason = MoveReason::kFamily;
  p.marital_status = MaritalStatus::kMarried;
  p.residence_permit_no = "4501032024000123";
  p.residence_permit_valid_until = std::chrono::year{2027} / 3 / 1;

  std::ostringstream out;
  CsvWriter writer(out, {.bom = CsvBom::kUtf8});
  writer.Row(ExportHeaderZh());
  writer.Row(PersonJsonToExportRow(PersonToJson(p, /*mask=*/false)));

  const std::string text = out.str();
  CsvReader reader(text);
  std::vector<std::string> fields;
  ASSERT_TRUE(reader.Next(fields));
  auto h = MapHeader(fields);
  ASSERT_TRUE(h.ok());
  ASSERT_TRUE(reader.Next(fields));
  std::vector<FieldError> errors;
  nlohmann::json j = RowToPersonJson(*h, fields, errors);
  ASSERT_TRUE(errors.empty()) << Codes(errors)[0];
  FieldErrors parse_errors;
  Person back = PersonFromJson(j, parse_errors);
  ASSERT_TRUE(parse_errors.empty()) << parse_errors.errors()[0].field;
  EXPECT_EQ(PersonToJson(back, false), PersonToJson(p, false));
}

}  // namespace
}  // namespace jd::registry
