// File: registry/document_rules.h
// Submission checks and the review state machine of 服务凭证 (南宁市实施办法 §三(二)): documents
// other than a 居住证 entitle a person only "经当地卫生计生部门审核", so every document is
// submitted as pending and reviewed once by a health-department user.
//
// ValidateNewDocument(doc, as_of): OK, or Status::Invalid listing every problem: an unknown type
//   ("type" required), a 居住证 without a number or valid_until ("number"/"valid_until" required),
//   valid_until before issued_on ("valid_until" before_issued_on), issued_on after as_of
//   ("issued_on" in_future).
// Review(doc, decision, reviewer_id, reason, now_timestamp): pending → approved or
//   pending → rejected, setting status, reviewed_at, reviewed_by and review_reason. A document
//   already reviewed gives kFailedPrecondition; the submitter reviewing their own document gives
//   kPermissionDenied; a decision other than approved/rejected, a missing reviewer, or a rejection
//   without a reason give Status::Invalid. On any failure `doc` is left unchanged.
#pragma once

#include <string>

#include "core/dates.h"
#include "core/status.h"
#include "registry/model.h"

namespace jd::registry {

Status ValidateNewDocument(const Document& doc, const Date& as_of);

Status Review(Document& doc, DocumentStatus decision, const std::string& reviewer_id,
              const std::string& reason, const std::string& now_timestamp);

}  // namespace jd::registry
