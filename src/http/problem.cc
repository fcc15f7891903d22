#include "http/problem.h"

namespace jd::http {

Lang LangFromAcceptLanguage(const std::string& header) {
  // Only the first preference matters here: an English-first client gets English.
  std::size_t i = header.find_first_not_of(" \t");
  if (i != std::string::npos && header.compare(i, 2, "en") == 0) return Lang::kEn;
  return Lang::kZh;
}

int HttpStatusOf(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
      return 409;
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kTooLarge:
      return 413;
    case StatusCode::kTooManyRequests:
      return 429;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

int HttpStatusOf(const Status& status) {
  if (status.code() == StatusCode::kFailedPrecondition) {
    for (const auto& e : status.field_errors()) {
      if (e.field != "If-Match") continue;
      if (e.code == "version_required") return 428;
      if (e.code == "version_mismatch") return 412;
    }
  }
  return HttpStatusOf(status.code());
}

namespace {
const char* TitleOf(const Status& status, Lang lang) {
  const StatusCode code = status.code();
  const bool zh = lang == Lang::kZh;
  switch (HttpStatusOf(status)) {
    case 428:
      return zh ? "缺少版本号" : "Precondition required";
    case 412:
      return zh ? "记录已被他人修改" : "Precondition failed";
    default:
      break;
  }
  switch (code) {
    case StatusCode::kInvalidArgument:
      return zh ? "输入有误" : "Invalid input";
    case StatusCode::kNotFound:
      return zh ? "未找到" : "Not found";
    case StatusCode::kAlreadyExists:
      return zh ? "记录已存在" : "Already exists";
    case StatusCode::kFailedPrecondition:
      return zh ? "当前状态不允许此操作" : "Conflict";
    case StatusCode::kPermissionDenied:
      return zh ? "无权限" : "Forbidden";
    case StatusCode::kUnauthenticated:
      return zh ? "需要登录" : "Authentication required";
    case StatusCode::kTooLarge:
      return zh ? "请求过大" : "Payload too large";
    case StatusCode::kTooManyRequests:
      return zh ? "请求过于频繁" : "Too many requests";
    case StatusCode::kUnavailable:
      return zh ? "服务暂不可用" : "Service unavailable";
    case StatusCode::kInternal:
      return zh ? "内部错误" : "Internal error";
    case StatusCode::kOk:
      return "OK";
  }
  return "Error";
}
}  // namespace

nlohmann::json ProblemJson(const Status& status, const std::string& instance,
                           const std::string& request_id, Lang lang) {
  using nlohmann::json;
  json errors = json::array();
  for (const auto& e : status.field_errors()) {
    errors.push_back({{"field", e.field},
                      {"code", e.code},
                      {"message", lang == Lang::kZh ? e.message_zh : e.message_en},
                      {"message_zh", e.message_zh},
                      {"message_en", e.message_en}});
  }
  const char* code = StatusCodeName(status.code());
  json j = {{"type", std::string("/problems/") + code},
            {"title", TitleOf(status, lang)},
            {"status", HttpStatusOf(status)},
            {"detail", lang == Lang::kZh ? status.message_zh() : status.message_en()},
            {"detail_zh", status.message_zh()},
            {"detail_en", status.message_en()},
            {"code", code},
            {"instance", instance},
            {"request_id", request_id},
            {"errors", errors}};
  if (!status.detail_ref().empty()) j["existing_id"] = status.detail_ref();
  return j;
}

}  // namespace jd::http
