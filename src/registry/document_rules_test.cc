#include "registry/document_rules.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace jd::registry {
namespace {

using namespace std::chrono;

constexpr Date kToday = 2026y / March / 1;
constexpr char kNow[] = "2026-03-01T02:00:00.000Z";

std::vector<std::pair<std::string, std::string>> FieldCodes(const Status& s) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : s.field_errors()) out.emplace_back(e.field, e.code);
  std::sort(out.begin(), out.end());
  return out;
}

Document Permit() {
  Document d;
  d.id = "doc-1";
  d.person_id = "person-1";
  d.type = DocumentType::kResidencePermit;
  d.number = "450100202500001";
  d.issued_by = "南宁市公安局兴宁分局";
  d.issued_on = 2025y / June / 1;
  d.valid_until = 2026y / May / 31;
  d.status = DocumentStatus::kPending;
  d.submitted_at = "2026-02-27T01:00:00.000Z";
  d.submitted_by = "clerk";
  return d;
}

// ---- ValidateNewDocument ----

TEST(ValidateNewDocument, AcceptsACompletePermit) {
  EXPECT_TRUE(ValidateNewDocument(Permit(), kToday).ok());
}

TEST(ValidateNewDocument, PermitNeedsNumberAndExpiry) {
  Document d = Permit();
  d.number = "  ";
  d.valid_until.reset();
  Status s = ValidateNewDocument(d, kToday);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldCodes(s), (std::vector<std::pair<std::string, std::string>>{
                               {"number", "required"}, {"valid_until", "required"}}));
  for (const auto& e : s.field_errors()) {
    EXPECT_FALSE(e.message_zh.empty());
    EXPECT_FALSE(e.message_en.empty());
  }
}

TEST(ValidateNewDocument, OtherDocumentsNeedNeitherNumberNorExpiry) {
  for (DocumentType t : {DocumentType::kResidenceCertificate, DocumentType::kHukouOrId,
                         DocumentType::kMarriageFertilityCertificate, DocumentType::kOther}) {
    Document d;
    d.type = t;
    EXPECT_TRUE(ValidateNewDocument(d, kToday).ok()) << static_cast<int>(t);
  }
}

TEST(ValidateNewDocument, UnknownTypeIsRequired) {
  Document d;
  d.type = static_cast<DocumentType>(99);
  EXPECT_EQ(FieldCodes(ValidateNewDocument(d, kToday)),
            (std::vector<std::pair<std::string, std::string>>{{"type", "required"}}));
}

TEST(ValidateNewDocument, ExpiryNotBeforeIssue) {
  Document d = Permit();
  d.valid_until = *d.issued_on;  // a one-day document is odd but possible
  EXPECT_TRUE(ValidateNewDocument(d, kToday).ok());
  d.valid_until = AddDays(*d.issued_on, -1);
  EXPECT_EQ(
      FieldCodes(ValidateNewDocument(d, kToday)),
      (std::vector<std::pair<std::string, std::string>>{{"valid_until", "before_issued_on"}}));
}

TEST(ValidateNewDocument, IssuedOnNotInTheFuture) {
  Document d = Permit();
  d.issued_on = kToday;
  EXPECT_TRUE(ValidateNewDocument(d, kToday).ok());
  d.issued_on = AddDays(kToday, 1);
  EXPECT_EQ(FieldCodes(ValidateNewDocument(d, kToday)),
            (std::vector<std::pair<std::string, std::string>>{{"issued_on", "in_future"}}));
}

TEST(ValidateNewDocument, ReportsEveryProblemAtOnce) {
  Document d = Permit();
  d.number.clear();
  d.issued_on = AddDays(kToday, 10);
  d.valid_until = AddDays(kToday, 5);
  EXPECT_EQ(
      FieldCodes(ValidateNewDocument(d, kToday)),
      (std::vector<std::pair<std::string, std::string>>{{"issued_on", "in_future"},
                                                        {"number", "required"},
                                                        {"valid_until", "before_issued_on"}}));
}

// ---- Review ----

TEST(Review, PendingToApproved) {
  Document d = Permit();
  Status s = Review(d, DocumentStatus::kApproved, "reviewer", "", kNow);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(d.status, DocumentStatus::kApproved);
  EXPECT_EQ(d.reviewed_at, kNow);
  EXPECT_EQ(d.reviewed_by, "reviewer");
  EXPECT_EQ(d.review_reason, "");
}

TEST(Review, ApprovalMayCarryANote) {
  Document d = Permit();
  ASSERT_TRUE(Review(d, DocumentStatus::kApproved, "reviewer", " 原件已核对 ", kNow).ok());
  EXPECT_EQ(d.review_reason, "原件已核对");
}

TEST(Review, PendingToRejectedWithReason) {
  Document d = Permit();
  Status s = Review(d, DocumentStatus::kRejected, "reviewer", "证件号码与原件不符", kNow);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(d.status, DocumentStatus::kRejected);
  EXPECT_EQ(d.reviewed_at, kNow);
  EXPECT_EQ(d.reviewed_by, "reviewer");
  EXPECT_EQ(d.review_reason, "证件号码与原件不符");
}

TEST(Review, RejectionNeedsAReason) {
  for (const std::string reason : {"", "   ", "\t\n"}) {
    Document d = Permit();
    Status s = Review(d, DocumentStatus::kRejected, "reviewer", reason, kNow);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(FieldCodes(s),
              (std::vector<std::pair<std::string, std::string>>{{"reason", "required"}}));
    EXPECT_EQ(d.status, DocumentStatus::kPending);
    EXPECT_TRUE(d.reviewed_at.empty());
    EXPECT_TRUE(d.reviewed_by.empty());
  }
}

TEST(Review, PendingIsNotADecision) {
  Document d = Permit();
  Status s = Review(d, DocumentStatus::kPending, "reviewer", "稍后再看", kNow);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldCodes(s),
            (std::vector<std::pair<std::string, std::string>>{{"decision", "invalid_value"}}));
  EXPECT_EQ(d.status, DocumentStatus::kPending);
  EXPECT_TRUE(d.reviewed_at.empty());
}

TEST(Review, AReviewedDocumentCannotBeReviewedAgain) {
  for (DocumentStatus from : {DocumentStatus::kApproved, DocumentStatus::kRejected}) {
    for (DocumentStatus to :
         {DocumentStatus::kApproved, DocumentStatus::kRejected, DocumentStatus::kPending}) {
      Document d = Permit();
      d.status = from;
      d.reviewed_at = "2026-02-28T01:00:00.000Z";
      d.reviewed_by = "first";
      d.review_reason = "first reason";
      Document before = d;
      Status s = Review(d, to, "second", "another reason", kNow);
      EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition)
          << static_cast<int>(from) << "->" << static_cast<int>(to);
      EXPECT_EQ(s.message_en(), "document already reviewed");
      EXPECT_EQ(d.status, before.status);
      EXPECT_EQ(d.reviewed_at, before.reviewed_at);
      EXPECT_EQ(d.reviewed_by, before.reviewed_by);
      EXPECT_EQ(d.review_reason, before.review_reason);
    }
  }
}

TEST(Review, SubmitterMayNotReviewTheirOwnDocument) {
  for (DocumentStatus decision : {DocumentStatus::kApproved, DocumentStatus::kRejected}) {
    Document d = Permit();
    Status s = Review(d, decision, d.submitted_by, "理由", kNow);
    EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(d.status, DocumentStatus::kPending);
    EXPECT_TRUE(d.reviewed_by.empty());
  }
}

TEST(Review, ReviewerIsRequired) {
  Document d = Permit();
  Status s = Review(d, DocumentStatus::kApproved, "", "", kNow);
  EXPECT_EQ(FieldCodes(s),
            (std::vector<std::pair<std::string, std::string>>{{"reviewer_id", "required"}}));
  EXPECT_EQ(d.status, DocumentStatus::kPending);
}

TEST(Review, UnknownSubmitterDoesNotBlockReview) {
  Document d = Permit();
  d.submitted_by.clear();
  EXPECT_TRUE(Review(d, DocumentStatus::kApproved, "reviewer", "", kNow).ok());
  EXPECT_EQ(d.status, DocumentStatus::kApproved);
}

}  // namespace
}  // namespace jd::registry
