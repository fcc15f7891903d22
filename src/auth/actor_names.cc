#include "auth/actor_names.h"

namespace jd::auth {

ActorWords DescribeActor(std::string_view actor, std::string_view display_name) {
  if (!display_name.empty()) return {std::string(display_name), std::string(display_name)};
  if (actor.starts_with("cli:")) {
    std::string_view os_user = actor.substr(4);
    if (os_user.empty() || os_user == "unknown") return {"系统导入", "system import"};
    return {"系统导入（" + std::string(os_user) + "）",
            "system import (" + std::string(os_user) + ")"};
  }
  if (actor == "system") return {"系统", "system"};
  if (actor == "demo") return {"演示数据", "demo data"};
  if (actor.empty()) return {"未记录", "not recorded"};
  return {std::string(actor), std::string(actor)};
}

}  // namespace jd::auth
