#include "registry/person_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "registry/id_number.h"
#include "registry/test_support.h"

namespace jd::registry {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

using testing_support::D;

const Date kAsOf = D(2026, 5, 1);

using testing_support::MakeId;

Person ValidPerson() {
  Person p;
  p.name = "李秀英";
  p.sex = Sex::kFemale;
  p.birth_date = D(1992, 7, 8);
  p.id_type = IdType::kResidentId;
  p.id_number = MakeId("452122", "19920708", "024");  // 南宁地区横县, code retired 2002
  p.ethnicity = "08";
  p.phone = "13812345678";
  p.hukou_division = "452122";
  p.hukou_address = "广西横县横州镇";
  p.residence_org = "450103001001";
  p.residence_address = "南宁市青秀区民族大道100号";
  p.left_hukou_on = D(2024, 2, 20);
  p.arrived_on = D(2024, 3, 1);
  p.move_reason = MoveReason::kWork;
  return p;
}

std::vector<std::pair<std::string, std::string>> Errors(const Person& p, Date as_of = kAsOf) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const FieldError& e : ValidatePerson(p, as_of)) {
    EXPECT_FALSE(e.message_zh.empty()) << e.field << " " << e.code;
    EXPECT_FALSE(e.message_en.empty()) << e.field << " " << e.code;
    out.emplace_back(e.field, e.code);
  }
  return out;
}

TEST(ValidatePersonTest, ValidPersonHasNoErrors) { EXPECT_THAT(Errors(ValidPerson()), IsEmpty()); }

TEST(ValidatePersonTest, OptionalFieldsMayBeEmpty) {
  Person p = ValidPerson();
  p.ethnicity.clear();
  p.phone.clear();
  p.hukou_address.clear();
  p.residence_address.clear();
  p.left_hukou_on.reset();
  p.residence_permit_valid_until.reset();
  EXPECT_THAT(Errors(p), IsEmpty());
}

TEST(ValidatePersonTest, EmptyPersonReportsEveryRequiredField) {
  Person p;
  EXPECT_THAT(Errors(p), UnorderedElementsAre(
                             Pair("name", "required"), Pair("birth_date", "required"),
                             Pair("id_number", "required"), Pair("hukou_division", "required"),
                             Pair("residence_org", "required"), Pair("arrived_on", "required")));
}

TEST(ValidatePersonTest, NameLengthCountsCodePoints) {
  Person p = ValidPerson();
  p.name = "   ";
  EXPECT_THAT(Errors(p), ElementsAre(Pair("name", "required")));
  p.name = "李";
  EXPECT_THAT(Errors(p), IsEmpty());
  p.name.clear();
  for (int i = 0; i < 50; ++i) p.name += "李";  // 150 bytes, 50 characters
  EXPECT_THAT(Errors(p), IsEmpty());
  p.name += "李";
  EXPECT_THAT(Errors(p), ElementsAre(Pair("name", "too_long")));
  p.name = std::string(51, 'a');
  EXPECT_THAT(Errors(p), ElementsAre(Pair("name", "too_long")));
}

TEST(ValidatePersonTest, NameRejectsControlCharactersAndBadUtf8) {
  Person p = ValidPerson();
  p.name = "李\n秀英";
  EXPECT_THAT(Errors(p), ElementsAre(Pair("name", "control_character")));
  p.name = "李\x7F";
  EXPECT_THAT(Errors(p), ElementsAre(Pair("name", "control_character")));
  p.name = "李\xC2\x85";  // U+0085, a C1 control
  EXPECT_THAT(Errors(p), ElementsAre(Pair("name", "control_character")));
  p.name = "\xE6\x9D";  // truncated UTF-8
  EXPECT_THAT(Errors(p), ElementsAre(Pair("name", "invalid_encoding")));
  p.name = "\xC0\xAF";  // overlong
  EXPECT_THAT(Errors(p), ElementsAre(Pair("name", "invalid_encoding")));
  p.name = "阿依古丽·买买提";
  EXPECT_THAT(Errors(p), IsEmpty());
}

TEST(ValidatePersonTest, BirthDateBounds) {
  Person p = ValidPerson();
  p.id_type = IdType::kPassport;  // decouple from the ID number
  p.id_number = "E12345678";
  p.birth_date = kAsOf;
  p.left_hukou_on.reset();
  p.arrived_on = kAsOf;
  EXPECT_THAT(Errors(p), IsEmpty());
  p.birth_date = D(2026, 5, 2);
  EXPECT_THAT(Errors(p), ElementsAre(Pair("birth_date", "in_future")));
  p.birth_date = D(1900, 1, 1);
  EXPECT_THAT(Errors(p), IsEmpty());
  p.birth_date = D(1899, 12, 31);
  EXPECT_THAT(Errors(p), ElementsAre(Pair("birth_date", "too_early")));
}

TEST(ValidatePersonTest, ResidentIdErrorsArePassedOn) {
  Person p = ValidPerson();
  p.id_number[17] = p.id_number[17] == '0' ? '1' : '0';
  EXPECT_THAT(Errors(p), ElementsAre(Pair("id_number", "invalid_check_digit")));
  p.id_number = "12345";
  EXPECT_THAT(Errors(p), ElementsAre(Pair("id_number", "invalid_length")));
  p.id_number = MakeId("999999", "19920708", "024");
  EXPECT_THAT(Errors(p), ElementsAre(Pair("id_number", "unknown_region")));
  p.id_number.clear();
  EXPECT_THAT(Errors(p), ElementsAre(Pair("id_number", "required")));
}

TEST(ValidatePersonTest, ResidentIdMustMatchSexAndBirthDate) {
  Person p = ValidPerson();
  p.sex = Sex::kMale;
  EXPECT_THAT(Errors(p), ElementsAre(Pair("sex", "mismatch_with_id_number")));
  p = ValidPerson();
  p.birth_date = D(1992, 7, 9);
  EXPECT_THAT(Errors(p), ElementsAre(Pair("birth_date", "mismatch_with_id_number")));
  // A 15-digit number is checked the same way.
  p = ValidPerson();
  p.id_number = "452122920708024";
  EXPECT_THAT(Errors(p), IsEmpty());
  p.sex = Sex::kMale;
  EXPECT_THAT(Errors(p), ElementsAre(Pair("sex", "mismatch_with_id_number")));
}

TEST(ValidatePersonTest, Passport) {
  Person p = ValidPerson();
  p.id_type = IdType::kPassport;
  for (const char* ok : {"E1234", "E12345678", "G1234567", "AB1234567CD123456", "e12345678"}) {
    p.id_number = ok;
    EXPECT_THAT(Errors(p), IsEmpty()) << ok;
  }
  for (const char* bad : {"E123", "AB1234567CD1234567", "E1234-567", "E 123456"}) {
    p.id_number = bad;
    EXPECT_THAT(Errors(p), ElementsAre(Pair("id_number", "invalid_format"))) << bad;
  }
}

TEST(ValidatePersonTest, HongKongMacaoPermit) {
  Person p = ValidPerson();
  p.id_type = IdType::kHkMacauPermit;
  for (const char* ok : {"H12345678", "M12345678", "H1234567890"}) {
    p.id_number = ok;
    EXPECT_THAT(Errors(p), IsEmpty()) << ok;
  }
  for (const char* bad :
       {"H1234567", "H123456789", "A12345678", "12345678", "H12345678901", "H1234567X"}) {
    p.id_number = bad;
    EXPECT_THAT(Errors(p), ElementsAre(Pair("id_number", "invalid_format"))) << bad;
  }
}

TEST(ValidatePersonTest, TaiwanPermit) {
  Person p = ValidPerson();
  p.id_type = IdType::kTaiwanPermit;
  for (const char* ok : {"12345678", "1234567890"}) {
    p.id_number = ok;
    EXPECT_THAT(Errors(p), IsEmpty()) << ok;
  }
  for (const char* bad : {"1234567", "123456789", "12345678901", "T1234567"}) {
    p.id_number = bad;
    EXPECT_THAT(Errors(p), ElementsAre(Pair("id_number", "invalid_format"))) << bad;
  }
}

TEST(ValidatePersonTest, BirthCertificate) {
  Person p = ValidPerson();
  p.id_type = IdType::kBirthCertificate;
  p.id_number = "P450123456";
  EXPECT_THAT(Errors(p), IsEmpty());
  for (const char* bad : {"450123456", "P45012345", "P4501234567", "PP50123456"}) {
    p.id_number = bad;
    EXPECT_THAT(Errors(p), ElementsAre(Pair("id_number", "invalid_format"))) << bad;
  }
}

TEST(ValidatePersonTest, Ethnicity) {
  Person p = ValidPerson();
  p.ethnicity = "98";
  EXPECT_THAT(Errors(p), IsEmpty());
  p.ethnicity = "57";
  EXPECT_THAT(Errors(p), ElementsAre(Pair("ethnicity", "invalid_value")));
  p.ethnicity = "汉族";  // names are turned into codes on input, not here
  EXPECT_THAT(Errors(p), ElementsAre(Pair("ethnicity", "invalid_value")));
}

TEST(ValidatePersonTest, Phone) {
  Person p = ValidPerson();
  for (const char* ok : {"13012345678", "19912345678", "15800000000"}) {
    p.phone = ok;
    EXPECT_THAT(Errors(p), IsEmpty()) << ok;
  }
  for (const char* bad : {"12012345678", "23812345678", "1381234567", "138123456789", "1381234567a",
                          "0771-5551234"}) {
    p.phone = bad;
    EXPECT_THAT(Errors(p), ElementsAre(Pair("phone", "invalid_phone"))) << bad;
  }
}

TEST(ValidatePersonTest, HukouDivision) {
  Person p = ValidPerson();
  p.hukou_division = "450103";
  EXPECT_THAT(Errors(p), IsEmpty());
  p.hukou_division = "110103";  // retired 2010, still a real 户籍地 code
  EXPECT_THAT(Errors(p), IsEmpty());
  p.hukou_division = "45010";
  EXPECT_THAT(Errors(p), ElementsAre(Pair("hukou_division", "invalid_format")));
  p.hukou_division = "45010a";
  EXPECT_THAT(Errors(p), ElementsAre(Pair("hukou_division", "invalid_format")));
  p.hukou_division = "999999";
  EXPECT_THAT(Errors(p), ElementsAre(Pair("hukou_division", "unknown_region")));
}

TEST(ValidatePersonTest, ArrivedOn) {
  Person p = ValidPerson();
  p.arrived_on = kAsOf;
  EXPECT_THAT(Errors(p), IsEmpty());
  p.arrived_on = D(2026, 5, 2);
  EXPECT_THAT(Errors(p), ElementsAre(Pair("arrived_on", "in_future")));
  p.left_hukou_on.reset();
  p.arrived_on = p.birth_date;  // a newborn arrives with its parents
  EXPECT_THAT(Errors(p), IsEmpty());
  p.arrived_on = D(1992, 7, 7);
  EXPECT_THAT(Errors(p), ElementsAre(Pair("arrived_on", "before_birth")));
}

TEST(ValidatePersonTest, LeftHukouOn) {
  Person p = ValidPerson();
  p.left_hukou_on = p.arrived_on;
  EXPECT_THAT(Errors(p), IsEmpty());
  p.left_hukou_on = D(2024, 3, 2);
  EXPECT_THAT(Errors(p), ElementsAre(Pair("left_hukou_on", "left_after_arrival")));
  p.left_hukou_on = p.birth_date;
  EXPECT_THAT(Errors(p), IsEmpty());
  p.left_hukou_on = D(1992, 7, 7);
  EXPECT_THAT(Errors(p), ElementsAre(Pair("left_hukou_on", "before_birth")));
  p.left_hukou_on = Date{};
  EXPECT_THAT(Errors(p), ElementsAre(Pair("left_hukou_on", "invalid_date")));
}

TEST(ValidatePersonTest, ResidencePermitValidUntilIsOptional) {
  Person p = ValidPerson();
  p.residence_permit_no = "4501032024000123";
  p.residence_permit_valid_until = D(2027, 3, 1);
  EXPECT_THAT(Errors(p), IsEmpty());
  p.residence_permit_valid_until = Date{};
  EXPECT_THAT(Errors(p), ElementsAre(Pair("residence_permit_valid_until", "invalid_date")));
}

TEST(ValidatePersonTest, TextLengthLimits) {
  Person p = ValidPerson();
  std::string addr200;
  for (int i = 0; i < 200; ++i) addr200 += "路";
  p.hukou_address = addr200;
  p.residence_address = addr200;
  p.occupation = std::string(100, 'x');
  p.employer = std::string(100, 'x');
  p.residence_permit_no = std::string(64, '1');  // FieldKind::kNumber
  p.health_card_no = std::string(64, '1');
  EXPECT_THAT(Errors(p), IsEmpty());
  p.hukou_address += "路";
  p.residence_address += "路";
  p.occupation += "x";
  p.employer += "x";
  p.residence_permit_no += "1";
  p.health_card_no += "1";
  p.residence_org = std::string(101, '4');
  EXPECT_THAT(
      Errors(p),
      UnorderedElementsAre(Pair("hukou_address", "too_long"), Pair("residence_address", "too_long"),
                           Pair("occupation", "too_long"), Pair("employer", "too_long"),
                           Pair("residence_permit_no", "too_long"),
                           Pair("health_card_no", "too_long"), Pair("residence_org", "too_long")));
  p = ValidPerson();
  p.employer = "某公司\t";
  EXPECT_THAT(Errors(p), ElementsAre(Pair("employer", "control_character")));
}

TEST(ValidatePersonTest, AllErrorsAreCollected) {
  Person p = ValidPerson();
  p.name.clear();
  p.phone = "123";
  p.ethnicity = "00";
  p.hukou_division = "999999";
  p.arrived_on = D(2030, 1, 1);
  EXPECT_THAT(Errors(p),
              UnorderedElementsAre(Pair("name", "required"), Pair("phone", "invalid_phone"),
                                   Pair("ethnicity", "invalid_value"),
                                   Pair("hukou_division", "unknown_region"),
                                   Pair("arrived_on", "in_future")));
}

TEST(MaskTest, IdNumber) {
  EXPECT_EQ(MaskIdNumber("45010319900101123X"), "4501**********123X");
  EXPECT_EQ(MaskIdNumber("450103850101123"), "45***********23");
  EXPECT_EQ(MaskIdNumber("E12345678"), "E1*****78");
  EXPECT_EQ(MaskIdNumber("12345"), "12*45");
  EXPECT_EQ(MaskIdNumber("1234"), "****");
  EXPECT_EQ(MaskIdNumber("12"), "**");
  EXPECT_EQ(MaskIdNumber(""), "");
}

TEST(MaskTest, NameAndDocumentNumber) {
  EXPECT_EQ(MaskName("王小明"), "王**");
  EXPECT_EQ(MaskName("欧阳"), "欧*");
  EXPECT_EQ(MaskName("王"), "*");
  EXPECT_EQ(MaskName(""), "");
  EXPECT_EQ(MaskDocumentNumber("450100202312345678"), "4501**********5678");
  EXPECT_EQ(MaskDocumentNumber("4501032023123456"), "45************56");
}

TEST(MaskTest, DeidentifiedPersonKeepsOnlyWhatStatisticsNeed) {
  Person p;
  p.name = "李四";
  p.id_number = "45010319900101123X";
  p.phone = "13812345678";
  p.health_card_no = "450100202312345678";
  p.residence_permit_no = "4501032023123456";
  p.hukou_address = "湖南省新宁县某村";
  p.residence_address = "民族大道100号";
  p.employer = "某公司";
  p.hukou_division = "430528";
  p.birth_date = Date{std::chrono::year{1990}, std::chrono::January, std::chrono::day{1}};
  Person d = DeidentifiedPerson(p);
  EXPECT_EQ(d.name, "李*");
  EXPECT_EQ(d.id_number, "4501**********123X");
  EXPECT_EQ(d.phone, "138****5678");
  EXPECT_EQ(d.health_card_no, "4501**********5678");
  EXPECT_EQ(d.residence_permit_no, "45************56");
  EXPECT_EQ(d.hukou_address, "");
  EXPECT_EQ(d.residence_address, "");
  EXPECT_EQ(d.employer, "");
  EXPECT_EQ(d.hukou_division, "430528");
  EXPECT_EQ(d.birth_date, p.birth_date);
}

TEST(MaskTest, Phone) {
  EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
  EXPECT_EQ(MaskPhone("12345678"), "123*5678");
  EXPECT_EQ(MaskPhone("1234567"), "*****67");
  EXPECT_EQ(MaskPhone("12345"), "***45");
  EXPECT_EQ(MaskPhone("1234"), "****");
  EXPECT_EQ(MaskPhone(""), "");
}

}  // namespace
}  // namespace jd::registry
