#include "core/status.h"

namespace jd {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid_argument";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kAlreadyExists:
      return "already_exists";
    case StatusCode::kFailedPrecondition:
      return "failed_precondition";
    case StatusCode::kPermissionDenied:
      return "permission_denied";
    case StatusCode::kUnauthenticated:
      return "unauthenticated";
    case StatusCode::kUnavailable:
      return "unavailable";
    case StatusCode::kTooLarge:
      return "too_large";
    case StatusCode::kTooManyRequests:
      return "too_many_requests";
    case StatusCode::kInternal:
      return "internal";
  }
  return "unknown";
}

Status Status::Invalid(std::vector<FieldError> errors) {
  Status s(StatusCode::kInvalidArgument, "the input is not valid", "输入有误");
  s.field_errors_ = std::move(errors);
  return s;
}
Status Status::NotFound(std::string what_en, std::string what_zh) {
  return Status(StatusCode::kNotFound, std::move(what_en), std::move(what_zh));
}
Status Status::AlreadyExists(std::string message_en, std::string message_zh) {
  return Status(StatusCode::kAlreadyExists, std::move(message_en), std::move(message_zh));
}
Status Status::FailedPrecondition(std::string message_en, std::string message_zh) {
  return Status(StatusCode::kFailedPrecondition, std::move(message_en), std::move(message_zh));
}
Status Status::PermissionDenied(std::string message_en, std::string message_zh) {
  return Status(StatusCode::kPermissionDenied, std::move(message_en), std::move(message_zh));
}
Status Status::Unauthenticated(std::string message_en, std::string message_zh) {
  return Status(StatusCode::kUnauthenticated, std::move(message_en), std::move(message_zh));
}
Status Status::Unavailable(std::string message_en, std::string message_zh) {
  return Status(StatusCode::kUnavailable, std::move(message_en), std::move(message_zh));
}
Status Status::Internal(std::string message_en) {
  return Status(StatusCode::kInternal, std::move(message_en), "内部错误");
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string s = StatusCodeName(code_);
  s += ": ";
  s += message_en_;
  for (const auto& e : field_errors_) {
    s += "; ";
    s += e.field;
    s += " ";
    s += e.code;
    s += " (";
    s += e.message_en;
    s += ")";
  }
  return s;
}

}  // namespace jd
