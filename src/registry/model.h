// File: registry/model.h
// Plain structs of the migrant registry: organisation units, persons, residence events and the
// documents (服务凭证) that entitle a person to free services. No behaviour lives here; rules are
// in eligibility.h, id_number.h, person_rules.h and document_rules.h, storage in repository.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/dates.h"

namespace jd::registry {

enum class OrgLevel { kCity, kDistrict, kStreet, kCommunity };

// A node of the city tree: city → district/county → street/township → community/village. `code` is
// the GB/T 2260 code for city and district (6 digits) and the statistical code for street (9
// digits) and community (12 digits). `path` is the materialised path "450100/450103/450103001/"
// used for jurisdiction scoping by prefix.
struct OrgUnit {
  std::string code;
  std::string name;
  OrgLevel level = OrgLevel::kCity;
  std::string parent_code;  // empty for the city
  std::string path;
};

enum class Sex { kMale, kFemale };

// GB 11643 居民身份证 and the other documents a person may be identified by.
enum class IdType {
  kResidentId,        // 居民身份证 (18 characters, GB 11643-1999)
  kPassport,          // 护照
  kHkMacauPermit,     // 港澳居民来往内地通行证 / 港澳居民居住证
  kTaiwanPermit,      // 台湾居民来往大陆通行证 / 台湾居民居住证
  kBirthCertificate,  // 出生医学证明 (newborns without an ID number yet)
};

// Reason for moving (流动原因), the categories of the national migrant surveys.
enum class MoveReason {
  kWork,          // 务工
  kBusiness,      // 经商
  kFamily,        // 随同迁移 (accompanying family)
  kMarriage,      // 婚嫁
  kStudy,         // 学习培训 (secondary school and above)
  kMedical,       // 就医
  kTravel,        // 旅游
  kVisit,         // 探亲访友
  kMilitary,      // 现役军人
  kBusinessTrip,  // 出差
  kOther,         // 其他
};

enum class MaritalStatus { kUnknown, kSingle, kMarried, kDivorced, kWidowed };

enum class PersonStatus { kActive, kMovedOut, kDied };

struct Person {
  std::string id;  // UUIDv7
  std::string name;
  Sex sex = Sex::kMale;
  Date birth_date{};
  IdType id_type = IdType::kResidentId;
  std::string id_number;       // normalised: upper-case, 15-digit numbers upgraded to 18
  std::string ethnicity;       // GB/T 3304 two-digit code, e.g. "01" 汉族
  std::string phone;           // mainland mobile, 11 digits
  std::string hukou_division;  // 6-digit GB/T 2260 code of the 户籍地 county
  std::string hukou_address;
  std::string residence_org;   // org unit code of the current residence
  std::string residence_path;  // that unit's path (denormalised for scoped queries)
  std::string residence_address;
  std::optional<Date> left_hukou_on;  // date left the 户籍地 county
  Date arrived_on{};                  // date arrived here (start of the current episode)
  MoveReason move_reason = MoveReason::kWork;
  std::string occupation;
  std::string employer;
  MaritalStatus marital_status = MaritalStatus::kUnknown;
  std::string residence_permit_no;  // 居住证 number
  std::optional<Date> residence_permit_valid_until;
  std::string health_card_no;  // 居民健康卡
  PersonStatus status = PersonStatus::kActive;
  int version = 1;
  std::string created_at, created_by, updated_at, updated_by;
};

enum class ResidenceEventType { kArrived, kMovedWithinCity, kMovedOut, kReturned, kDied };

// One entry of a person's residence history (居住史). Events are append-only.
struct ResidenceEvent {
  std::string id;
  std::string person_id;
  ResidenceEventType type = ResidenceEventType::kArrived;
  Date date{};
  std::string org_code;  // new residence unit (arrived, moved within city, returned)
  std::string address;
  std::string note;
  std::string recorded_at, recorded_by;
};

// 服务凭证 of 南宁市实施办法 §三(二).
enum class DocumentType {
  kResidencePermit,               // 居住证
  kResidenceCertificate,          // 居住证明 (公安派出所)
  kHukouOrId,                     // 户口本 / 身份证
  kMarriageFertilityCertificate,  // 流动人口婚育证明
  kOther,
};

enum class DocumentStatus { kPending, kApproved, kRejected };

struct Document {
  std::string id;
  std::string person_id;
  DocumentType type = DocumentType::kResidencePermit;
  std::string number;
  std::string issued_by;
  std::optional<Date> issued_on;
  std::optional<Date> valid_until;  // valid through this day
  DocumentStatus status = DocumentStatus::kPending;
  std::string submitted_at, submitted_by;
  std::string reviewed_at, reviewed_by, review_reason;
};

}  // namespace jd::registry
