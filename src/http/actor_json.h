// File: http/actor_json.h
// Names instead of codes for the actors in API answers.
//
// NameActors(auth, items, fields): for every object in `items` (one object, or an array of
//   objects) and every field of `fields` that holds a stored actor as a string (a user id, a
//   username, "cli:<os user>", "demo"), adds "<field>_name" and "<field>_name_en", that actor in
//   words (AuthService::ActorNames: a user's display name, 系统导入 / system import for the
//   command line). One look-up per distinct actor. Fails only when the database does.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>

#include "auth/auth_service.h"
#include "core/status.h"

namespace jd::http {

Status NameActors(auth::AuthService& auth, nlohmann::json& items,
                  std::initializer_list<const char*> fields);

}  // namespace jd::http
