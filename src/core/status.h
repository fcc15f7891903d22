// File: core/status.h
// Status and Result<T>: expected failures (validation, not found, conflict, forbidden, storage
// unavailable) travel as values with a stable code. Validation failures carry a list of field
// errors, each with a machine code and a message in Chinese and English. Exceptions are kept for
// bugs and broken invariants; they never cross a module API.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace jd {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kPermissionDenied,
  kUnauthenticated,
  kUnavailable,
  kTooLarge,
  kTooManyRequests,  // a rate limit: try again after a while (HTTP 429)
  kInternal,
};

// The stable lower-case name of a code, e.g. "invalid_argument".
const char* StatusCodeName(StatusCode code);

// One problem with one input field. `field` is the JSON name (or CSV column), `code` a stable
// snake_case identifier (e.g. "invalid_check_digit") that clients may switch on.
struct FieldError {
  std::string field;
  std::string code;
  std::string message_zh;
  std::string message_en;

  bool operator==(const FieldError&) const = default;
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message_en, std::string message_zh = {})
      : code_(code), message_en_(std::move(message_en)), message_zh_(std::move(message_zh)) {}

  static Status Ok() { return Status(); }
  // A validation failure listing every field error found (not just the first).
  static Status Invalid(std::vector<FieldError> errors);
  static Status NotFound(std::string what_en, std::string what_zh = {});
  static Status AlreadyExists(std::string message_en, std::string message_zh = {});
  static Status FailedPrecondition(std::string message_en, std::string message_zh = {});
  static Status PermissionDenied(std::string message_en = "permission denied",
                                 std::string message_zh = "无权限");
  static Status Unauthenticated(std::string message_en = "authentication required",
                                std::string message_zh = "需要登录");
  static Status Unavailable(std::string message_en, std::string message_zh = {});
  static Status Internal(std::string message_en);

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message_en() const { return message_en_; }
  // Falls back to the English text where no Chinese one was given.
  const std::string& message_zh() const { return message_zh_.empty() ? message_en_ : message_zh_; }
  const std::vector<FieldError>& field_errors() const { return field_errors_; }

  // Extra detail for a client, e.g. the id of the existing record on a duplicate.
  const std::string& detail_ref() const { return detail_ref_; }
  Status& WithRef(std::string ref) {
    detail_ref_ = std::move(ref);
    return *this;
  }

  // Field errors on a status of another code (e.g. a too-large body names the body).
  Status& WithFieldErrors(std::vector<FieldError> errors) {
    field_errors_ = std::move(errors);
    return *this;
  }

  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_en_;
  std::string message_zh_;
  std::vector<FieldError> field_errors_;
  std::string detail_ref_;
};

// Result<T> holds either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(v_).ok() && "Result from an OK status has no value");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  // REQUIRES: ok().
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

// Collects field errors while validating a whole input, so a user sees every problem at once.
class FieldErrors {
 public:
  void Add(std::string field, std::string code, std::string message_zh, std::string message_en) {
    errors_.push_back(
        {std::move(field), std::move(code), std::move(message_zh), std::move(message_en)});
  }
  void Add(FieldError e) { errors_.push_back(std::move(e)); }
  void Append(const std::vector<FieldError>& more) {
    errors_.insert(errors_.end(), more.begin(), more.end());
  }
  bool empty() const { return errors_.empty(); }
  // Whether `field` already has an error (a later check of the same field is then skipped).
  bool Has(std::string_view field) const {
    for (const auto& e : errors_) {
      if (e.field == field) return true;
    }
    return false;
  }
  const std::vector<FieldError>& errors() const { return errors_; }
  Status ToStatus() const { return empty() ? Status::Ok() : Status::Invalid(errors_); }

 private:
  std::vector<FieldError> errors_;
};

}  // namespace jd

#define JD_CONCAT_INNER(a, b) a##b
#define JD_CONCAT(a, b) JD_CONCAT_INNER(a, b)

// Returns the status from the enclosing function when `expr` (a Status) is not OK.
#define JD_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::jd::Status jd_status_ = (expr);        \
    if (!jd_status_.ok()) return jd_status_; \
  } while (0)

// `JD_ASSIGN_OR_RETURN(auto x, ResultExpr())`: binds the value or returns the status.
#define JD_ASSIGN_OR_RETURN(lhs, expr)                                                        \
  auto JD_CONCAT(jd_result_, __LINE__) = (expr);                                              \
  if (!JD_CONCAT(jd_result_, __LINE__).ok()) return JD_CONCAT(jd_result_, __LINE__).status(); \
  lhs = std::move(JD_CONCAT(jd_result_, __LINE__)).value()
