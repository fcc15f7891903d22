#include "cli/common.h"

#include <pwd.h>
#include <unistd.h>

#include <fstream>
#include <iostream>

namespace jd::cli {

using nlohmann::json;

// The one table from status codes to exit codes (sysexits-like).
int ExitCodeOf(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 0;
    case StatusCode::kInvalidArgument:
      return 2;
    case StatusCode::kNotFound:
      return 3;
    case StatusCode::kAlreadyExists:
      return 4;
    case StatusCode::kFailedPrecondition:
      return 5;
    case StatusCode::kPermissionDenied:
    case StatusCode::kUnauthenticated:
      return 6;
    case StatusCode::kTooLarge:
      return 2;
    case StatusCode::kTooManyRequests:
      return 75;  // EX_TEMPFAIL
    case StatusCode::kUnavailable:
      return 69;
    case StatusCode::kInternal:
      return 70;
  }
  return 70;
}

int Fail(const Status& st) {
  std::cerr << "jundeng: " << st.message_zh();
  if (st.message_zh() != st.message_en()) std::cerr << " / " << st.message_en();
  std::cerr << "\n";
  for (const auto& e : st.field_errors()) {
    std::cerr << "  " << (e.field.empty() ? "(input)" : e.field) << ": " << e.code << " — "
              << e.message_zh << " / " << e.message_en << "\n";
  }
  return ExitCodeOf(st.code());
}

std::string OsUser() {
  const char* u = std::getenv("USER");
  if (u && *u) return u;
  // Services and containers often run without $USER: the account the process runs as.
  if (const passwd* pw = getpwuid(geteuid()); pw && pw->pw_name && *pw->pw_name) return pw->pw_name;
  return "unknown";
}

Result<std::string> ReadAll(std::istream& in, std::size_t max_bytes) {
  std::string data;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    data.append(buf, static_cast<std::size_t>(in.gcount()));
    if (data.size() > max_bytes) {
      return Status(StatusCode::kTooLarge, "the input is too large", "输入过大");
    }
  }
  return data;
}

Result<std::string> ReadFile(const std::string& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open " + path, "无法打开文件 " + path);
  return ReadAll(in, max_bytes);
}

Result<json> ReadJsonStdin() {
  auto text = ReadAll(std::cin, 1 << 20);
  if (!text.ok()) return text.status();
  json j = json::parse(*text, nullptr, false);
  if (j.is_discarded()) {
    return Status::Invalid(
        {{"", "invalid_json", "输入不是有效的 JSON", "the input is not valid JSON"}});
  }
  return j;
}

std::string ReadPasswordStdin() {
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace jd::cli
