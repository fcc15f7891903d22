#include "registry/codes.h"

#include <array>
#include <cassert>

namespace jd::registry {
namespace {

// Each table lists every enumerator in declaration order, so ToCode indexes it directly.
constexpr std::array<CodeEntry<Sex>, 2> kSex = {{
    {Sex::kMale, "M", "男", "男性"},
    {Sex::kFemale, "F", "女", "女性"},
}};

constexpr std::array<CodeEntry<IdType>, 5> kIdType = {{
    {IdType::kResidentId, "resident_id", "居民身份证", "身份证"},
    {IdType::kPassport, "passport", "护照", ""},
    {IdType::kHkMacauPermit, "hk_macau_permit", "港澳居民来往内地通行证", "港澳居民居住证"},
    {IdType::kTaiwanPermit, "taiwan_permit", "台湾居民来往大陆通行证", "台湾居民居住证"},
    {IdType::kBirthCertificate, "birth_certificate", "出生医学证明", ""},
}};

// Categories of the national migrant dynamic monitoring survey (流动原因).
constexpr std::array<CodeEntry<MoveReason>, 11> kMoveReason = {{
    {MoveReason::kWork, "work", "务工", ""},
    {MoveReason::kBusiness, "business", "经商", ""},
    {MoveReason::kFamily, "family", "随迁家属", "随同迁移"},
    {MoveReason::kMarriage, "marriage", "婚嫁", ""},
    {MoveReason::kStudy, "study", "学习培训", ""},
    {MoveReason::kMedical, "medical", "就医", ""},
    {MoveReason::kTravel, "travel", "旅游", ""},
    {MoveReason::kVisit, "visit", "探亲访友", ""},
    {MoveReason::kMilitary, "military", "现役军人", ""},
    {MoveReason::kBusinessTrip, "business_trip", "出差", ""},
    {MoveReason::kOther, "other", "其他", ""},
}};

constexpr std::array<CodeEntry<MaritalStatus>, 5> kMaritalStatus = {{
    {MaritalStatus::kUnknown, "unknown", "未说明", ""},
    {MaritalStatus::kSingle, "single", "未婚", ""},
    {MaritalStatus::kMarried, "married", "已婚", ""},
    {MaritalStatus::kDivorced, "divorced", "离婚", ""},
    {MaritalStatus::kWidowed, "widowed", "丧偶", ""},
}};

constexpr std::array<CodeEntry<PersonStatus>, 3> kPersonStatus = {{
    {PersonStatus::kActive, "active", "在册", ""},
    {PersonStatus::kMovedOut, "moved_out", "已迁出", ""},
    {PersonStatus::kDied, "died", "已死亡", "死亡"},
}};

constexpr std::array<CodeEntry<ResidenceEventType>, 5> kResidenceEventType = {{
    {ResidenceEventType::kArrived, "arrived", "迁入", ""},
    {ResidenceEventType::kMovedWithinCity, "moved_within_city", "市内迁移", ""},
    {ResidenceEventType::kMovedOut, "moved_out", "迁出", ""},
    {ResidenceEventType::kReturned, "returned", "返回", ""},
    {ResidenceEventType::kDied, "died", "死亡", ""},
}};

// 服务凭证 of 南宁市实施办法 §三(二).
constexpr std::array<CodeEntry<DocumentType>, 5> kDocumentType = {{
    {DocumentType::kResidencePermit, "residence_permit", "居住证", ""},
    {DocumentType::kResidenceCertificate, "residence_certificate", "居住证明", ""},
    {DocumentType::kHukouOrId, "hukou_or_id", "户口本/身份证", "户口本（身份证）"},
    {DocumentType::kMarriageFertilityCertificate, "marriage_fertility_certificate",
     "流动人口婚育证明", ""},
    {DocumentType::kOther, "other", "其他有效证件", "其他"},
}};

constexpr std::array<CodeEntry<DocumentStatus>, 3> kDocumentStatus = {{
    {DocumentStatus::kPending, "pending", "待审核", ""},
    {DocumentStatus::kApproved, "approved", "已通过", ""},
    {DocumentStatus::kRejected, "rejected", "已驳回", ""},
}};

constexpr std::array<CodeEntry<OrgLevel>, 4> kOrgLevel = {{
    {OrgLevel::kCity, "city", "市", ""},
    {OrgLevel::kDistrict, "district", "区县", ""},
    {OrgLevel::kStreet, "street", "街道乡镇", ""},
    {OrgLevel::kCommunity, "community", "社区村", ""},
}};

template <typename E, std::size_t N>
const CodeEntry<E>& Entry(const std::array<CodeEntry<E>, N>& table, E v) {
  auto i = static_cast<std::size_t>(v);
  assert(i < N && table[i].value == v);
  return table[i];
}

}  // namespace

template <>
std::span<const CodeEntry<Sex>> CodeTable<Sex>() {
  return kSex;
}
template <>
std::span<const CodeEntry<IdType>> CodeTable<IdType>() {
  return kIdType;
}
template <>
std::span<const CodeEntry<MoveReason>> CodeTable<MoveReason>() {
  return kMoveReason;
}
template <>
std::span<const CodeEntry<MaritalStatus>> CodeTable<MaritalStatus>() {
  return kMaritalStatus;
}
template <>
std::span<const CodeEntry<PersonStatus>> CodeTable<PersonStatus>() {
  return kPersonStatus;
}
template <>
std::span<const CodeEntry<ResidenceEventType>> CodeTable<ResidenceEventType>() {
  return kResidenceEventType;
}
template <>
std::span<const CodeEntry<DocumentType>> CodeTable<DocumentType>() {
  return kDocumentType;
}
template <>
std::span<const CodeEntry<DocumentStatus>> CodeTable<DocumentStatus>() {
  return kDocumentStatus;
}
template <>
std::span<const CodeEntry<OrgLevel>> CodeTable<OrgLevel>() {
  return kOrgLevel;
}

namespace codes_internal {

std::string_view Trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace codes_internal

std::string_view ToCode(Sex v) { return Entry(kSex, v).code; }
std::string_view ToCode(IdType v) { return Entry(kIdType, v).code; }
std::string_view ToCode(MoveReason v) { return Entry(kMoveReason, v).code; }
std::string_view ToCode(MaritalStatus v) { return Entry(kMaritalStatus, v).code; }
std::string_view ToCode(PersonStatus v) { return Entry(kPersonStatus, v).code; }
std::string_view ToCode(ResidenceEventType v) { return Entry(kResidenceEventType, v).code; }
std::string_view ToCode(DocumentType v) { return Entry(kDocumentType, v).code; }
std::string_view ToCode(DocumentStatus v) { return Entry(kDocumentStatus, v).code; }
std::string_view ToCode(OrgLevel v) { return Entry(kOrgLevel, v).code; }

std::string_view LabelZh(Sex v) { return Entry(kSex, v).label_zh; }
std::string_view LabelZh(IdType v) { return Entry(kIdType, v).label_zh; }
std::string_view LabelZh(MoveReason v) { return Entry(kMoveReason, v).label_zh; }
std::string_view LabelZh(MaritalStatus v) { return Entry(kMaritalStatus, v).label_zh; }
std::string_view LabelZh(PersonStatus v) { return Entry(kPersonStatus, v).label_zh; }
std::string_view LabelZh(ResidenceEventType v) { return Entry(kResidenceEventType, v).label_zh; }
std::string_view LabelZh(DocumentType v) { return Entry(kDocumentType, v).label_zh; }
std::string_view LabelZh(DocumentStatus v) { return Entry(kDocumentStatus, v).label_zh; }
std::string_view LabelZh(OrgLevel v) { return Entry(kOrgLevel, v).label_zh; }

std::optional<Sex> ParseSex(std::string_view text) { return ParseCode<Sex>(text); }
std::optional<IdType> ParseIdType(std::string_view text) { return ParseCode<IdType>(text); }
std::optional<MoveReason> ParseMoveReason(std::string_view text) {
  return ParseCode<MoveReason>(text);
}
std::optional<MaritalStatus> ParseMaritalStatus(std::string_view text) {
  return ParseCode<MaritalStatus>(text);
}
std::optional<PersonStatus> ParsePersonStatus(std::string_view text) {
  return ParseCode<PersonStatus>(text);
}
std::optional<ResidenceEventType> ParseResidenceEventType(std::string_view text) {
  return ParseCode<ResidenceEventType>(text);
}
std::optional<DocumentType> ParseDocumentType(std::string_view text) {
  return ParseCode<DocumentType>(text);
}
std::optional<DocumentStatus> ParseDocumentStatus(std::string_view text) {
  return ParseCode<DocumentStatus>(text);
}
std::optional<OrgLevel> ParseOrgLevel(std::string_view text) { return ParseCode<OrgLevel>(text); }

}  // namespace jd::registry
