#include "registry/codes.h"

#include <gtest/gtest.h>

#include <set>

#include "registry/ethnicity.h"

namespace jd::registry {
namespace {

// Every value survives code → value and label → value, and codes and labels are unique.
template <typename E, typename ParseFn>
void ExpectRoundTrips(ParseFn parse, std::size_t expected_count) {
  std::set<std::string_view> codes, labels;
  auto table = CodeTable<E>();
  ASSERT_EQ(table.size(), expected_count);
  for (std::size_t i = 0; i < table.size(); ++i) {
    const CodeEntry<E>& e = table[i];
    EXPECT_EQ(static_cast<std::size_t>(e.value), i) << "tables follow declaration order";
    EXPECT_EQ(ToCode(e.value), e.code);
    EXPECT_EQ(LabelZh(e.value), e.label_zh);
    EXPECT_EQ(parse(ToCode(e.value)), e.value) << e.code;
    EXPECT_EQ(parse(LabelZh(e.value)), e.value) << e.label_zh;
    if (!e.alias_zh.empty()) {
      EXPECT_EQ(parse(e.alias_zh), e.value) << e.alias_zh;
    }
    EXPECT_TRUE(codes.insert(e.code).second) << e.code;
    EXPECT_TRUE(labels.insert(e.label_zh).second) << e.label_zh;
  }
  EXPECT_EQ(parse(""), std::nullopt);
  EXPECT_EQ(parse("no_such_value"), std::nullopt);
}

TEST(CodesTest, RoundTripsForEveryEnum) {
  ExpectRoundTrips<Sex>(ParseSex, 2);
  ExpectRoundTrips<IdType>(ParseIdType, 5);
  ExpectRoundTrips<MoveReason>(ParseMoveReason, 11);
  ExpectRoundTrips<MaritalStatus>(ParseMaritalStatus, 5);
  ExpectRoundTrips<PersonStatus>(ParsePersonStatus, 3);
  ExpectRoundTrips<ResidenceEventType>(ParseResidenceEventType, 5);
  ExpectRoundTrips<DocumentType>(ParseDocumentType, 5);
  ExpectRoundTrips<DocumentStatus>(ParseDocumentStatus, 3);
  ExpectRoundTrips<OrgLevel>(ParseOrgLevel, 4);
}

TEST(CodesTest, StableSpellings) {
  EXPECT_EQ(ToCode(Sex::kMale), "M");
  EXPECT_EQ(ToCode(Sex::kFemale), "F");
  EXPECT_EQ(ToCode(IdType::kResidentId), "resident_id");
  EXPECT_EQ(ToCode(IdType::kHkMacauPermit), "hk_macau_permit");
  EXPECT_EQ(ToCode(IdType::kTaiwanPermit), "taiwan_permit");
  EXPECT_EQ(ToCode(IdType::kBirthCertificate), "birth_certificate");
  EXPECT_EQ(ToCode(MoveReason::kBusinessTrip), "business_trip");
  EXPECT_EQ(ToCode(MoveReason::kFamily), "family");
  EXPECT_EQ(ToCode(MaritalStatus::kUnknown), "unknown");
  EXPECT_EQ(ToCode(MaritalStatus::kWidowed), "widowed");
  EXPECT_EQ(ToCode(PersonStatus::kMovedOut), "moved_out");
  EXPECT_EQ(ToCode(ResidenceEventType::kMovedWithinCity), "moved_within_city");
  EXPECT_EQ(ToCode(DocumentType::kMarriageFertilityCertificate), "marriage_fertility_certificate");
  EXPECT_EQ(ToCode(DocumentType::kHukouOrId), "hukou_or_id");
  EXPECT_EQ(ToCode(DocumentStatus::kRejected), "rejected");
  EXPECT_EQ(ToCode(OrgLevel::kCommunity), "community");
}

TEST(CodesTest, ChineseLabelsForImport) {
  EXPECT_EQ(ParseMoveReason("务工"), MoveReason::kWork);
  EXPECT_EQ(ParseMoveReason("经商"), MoveReason::kBusiness);
  EXPECT_EQ(ParseMoveReason("随迁家属"), MoveReason::kFamily);
  EXPECT_EQ(ParseMoveReason("随同迁移"), MoveReason::kFamily);
  EXPECT_EQ(ParseMoveReason("婚嫁"), MoveReason::kMarriage);
  EXPECT_EQ(ParseMoveReason("学习培训"), MoveReason::kStudy);
  EXPECT_EQ(ParseMoveReason("就医"), MoveReason::kMedical);
  EXPECT_EQ(ParseMoveReason("旅游"), MoveReason::kTravel);
  EXPECT_EQ(ParseMoveReason("探亲访友"), MoveReason::kVisit);
  EXPECT_EQ(ParseMoveReason("现役军人"), MoveReason::kMilitary);
  EXPECT_EQ(ParseMoveReason("出差"), MoveReason::kBusinessTrip);
  EXPECT_EQ(ParseMoveReason("其他"), MoveReason::kOther);
  EXPECT_EQ(LabelZh(MoveReason::kWork), "务工");
  EXPECT_EQ(ParseMaritalStatus("未说明"), MaritalStatus::kUnknown);
  EXPECT_EQ(ParseMaritalStatus("未婚"), MaritalStatus::kSingle);
  EXPECT_EQ(ParseMaritalStatus("已婚"), MaritalStatus::kMarried);
  EXPECT_EQ(ParseMaritalStatus("离婚"), MaritalStatus::kDivorced);
  EXPECT_EQ(ParseMaritalStatus("丧偶"), MaritalStatus::kWidowed);
  EXPECT_EQ(ParseSex("男"), Sex::kMale);
  EXPECT_EQ(ParseSex("女"), Sex::kFemale);
}

TEST(CodesTest, ParsingIgnoresSpacesAndAsciiCase) {
  EXPECT_EQ(ParseSex(" m "), Sex::kMale);
  EXPECT_EQ(ParseSex("f"), Sex::kFemale);
  EXPECT_EQ(ParseIdType("Resident_ID"), IdType::kResidentId);
  EXPECT_EQ(ParseMoveReason(" 务工\t"), MoveReason::kWork);
  EXPECT_EQ(ParseSex("male"), std::nullopt);
  EXPECT_EQ(ParseMoveReason("work "), MoveReason::kWork);
  EXPECT_EQ(ParseMoveReason("wor"), std::nullopt);
}

TEST(CodesTest, AllowedCodesListsEveryCode) {
  EXPECT_EQ(AllowedCodes<Sex>(), "M, F");
  EXPECT_EQ(AllowedCodes<DocumentStatus>(), "pending, approved, rejected");
}

TEST(EthnicitiesTest, BuiltinTable) {
  const Ethnicities& e = Ethnicities::Builtin();
  EXPECT_EQ(e.All().size(), 58u);  // 01–56, 97, 98
  EXPECT_TRUE(e.Valid("01"));
  EXPECT_TRUE(e.Valid("56"));
  EXPECT_TRUE(e.Valid("97"));
  EXPECT_TRUE(e.Valid("98"));
  EXPECT_FALSE(e.Valid("57"));
  EXPECT_FALSE(e.Valid("00"));
  EXPECT_FALSE(e.Valid("1"));
  EXPECT_FALSE(e.Valid(""));
  EXPECT_EQ(e.NameZh("01"), "汉族");
  EXPECT_EQ(e.NameEn("01"), "Han");
  EXPECT_EQ(e.NameZh("03"), "回族");
  EXPECT_EQ(e.NameZh("99"), std::nullopt);
}

TEST(EthnicitiesTest, ResolveNamesAndCodes) {
  const Ethnicities& e = Ethnicities::Builtin();
  EXPECT_EQ(e.Resolve("汉族"), "01");
  EXPECT_EQ(e.Resolve("汉"), "01");
  EXPECT_EQ(e.Resolve(" 壮族 "), e.Resolve("壮"));
  EXPECT_EQ(e.Resolve("01"), "01");
  EXPECT_EQ(e.Resolve("1"), "01");
  EXPECT_EQ(e.Resolve("其他"), "97");
  EXPECT_EQ(e.Resolve("57"), std::nullopt);
  EXPECT_EQ(e.Resolve("火星族"), std::nullopt);
  EXPECT_EQ(e.Resolve("族"), std::nullopt);
  EXPECT_EQ(e.Resolve(""), std::nullopt);
}

}  // namespace
}  // namespace jd::registry
