#include "http/actor_json.h"

#include <set>
#include <string>

namespace jd::http {

Status NameActors(auth::AuthService& auth, nlohmann::json& items,
                  std::initializer_list<const char*> fields) {
  auto each = [&](auto&& fn) {
    if (items.is_object()) {
      fn(items);
    } else if (items.is_array()) {
      for (auto& item : items)
        if (item.is_object()) fn(item);
    }
  };
  std::set<std::string> actors;
  each([&](nlohmann::json& o) {
    for (const char* f : fields) {
      auto it = o.find(f);
      if (it != o.end() && it->is_string()) actors.insert(it->get<std::string>());
    }
  });
  if (actors.empty()) return Status::Ok();
  auto names = auth.ActorNames(actors);
  if (!names.ok()) return names.status();
  each([&](nlohmann::json& o) {
    for (const char* f : fields) {
      auto it = o.find(f);
      if (it == o.end() || !it->is_string()) continue;
      const auto& words = names->at(it->get<std::string>());
      o[std::string(f) + "_name"] = words.zh;
      o[std::string(f) + "_name_en"] = words.en;
    }
  });
  return Status::Ok();
}

}  // namespace jd::http
