#include "registry/document_rules.h"

#include <string_view>

namespace jd::registry {

namespace {

std::string_view Trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  auto last = s.find_last_not_of(kSpace);
  return s.substr(first, last - first + 1);
}

bool KnownType(DocumentType t) {
  switch (t) {
    case DocumentType::kResidencePermit:
    case DocumentType::kResidenceCertificate:
    case DocumentType::kHukouOrId:
    case DocumentType::kMarriageFertilityCertificate:
    case DocumentType::kOther:
      return true;
  }
  return false;
}

}  // namespace

Status ValidateNewDocument(const Document& doc, const Date& as_of) {
  FieldErrors errors;
  if (!KnownType(doc.type)) {
    errors.Add("type", "required", "请选择凭证类型", "the document type is required");
  }
  // 居住证暂行条例 (国务院令第663号): a 居住证 carries a number and is endorsed yearly, so its
  // validity is always bounded; without both it cannot be checked as a 服务凭证.
  if (doc.type == DocumentType::kResidencePermit) {
    if (Trim(doc.number).empty()) {
      errors.Add("number", "required", "居住证须填写证件号码",
                 "a residence permit needs its number");
    }
    if (!doc.valid_until) {
      errors.Add("valid_until", "required", "居住证须填写有效期",
                 "a residence permit needs its expiry date");
    }
  }
  if (doc.issued_on && doc.valid_until && *doc.valid_until < *doc.issued_on) {
    errors.Add("valid_until", "before_issued_on", "有效期不能早于签发日期",
               "must not be before the issue date");
  }
  if (doc.issued_on && *doc.issued_on > as_of) {
    errors.Add("issued_on", "in_future", "签发日期不能是将来的日期", "must not be in the future");
  }
  return errors.ToStatus();
}

Status Review(Document& doc, DocumentStatus decision, const std::string& reviewer_id,
              const std::string& reason, const std::string& now_timestamp) {
  // A review is final: a decision is changed by submitting a new document, which keeps the trail.
  if (doc.status != DocumentStatus::kPending) {
    return Status::FailedPrecondition("document already reviewed", "该凭证已审核");
  }
  if (Trim(reviewer_id).empty()) {
    return Status::Invalid(
        {{"reviewer_id", "required", "须指明审核人", "the reviewer is required"}});
  }
  // Policy choice (separation of duties): whoever entered a document may not approve it, so that
  // every 服务凭证 counted for free services was seen by two people.
  if (!doc.submitted_by.empty() && reviewer_id == doc.submitted_by) {
    return Status::PermissionDenied("a document may not be reviewed by the user who submitted it",
                                    "不能审核本人提交的凭证");
  }
  FieldErrors errors;
  if (decision != DocumentStatus::kApproved && decision != DocumentStatus::kRejected) {
    errors.Add("decision", "invalid_value", "审核结论应为通过或驳回",
               "the decision must be approved or rejected");
  }
  std::string_view trimmed_reason = Trim(reason);
  // A refusal must be explainable to the person (实施办法 §三(二): 经审核).
  if (decision == DocumentStatus::kRejected && trimmed_reason.empty()) {
    errors.Add("reason", "required", "驳回须填写理由", "a rejection needs a reason");
  }
  JD_RETURN_IF_ERROR(errors.ToStatus());

  doc.status = decision;
  doc.reviewed_at = now_timestamp;
  doc.reviewed_by = reviewer_id;
  doc.review_reason = std::string(trimmed_reason);
  return Status::Ok();
}

}  // namespace jd::registry
