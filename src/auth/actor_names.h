// File: auth/actor_names.h
// Who did something, in words: what a screen shows for a stored actor (a document's submitter or
// reviewer, an audit row's user, a record's "recorded by") instead of a user id or an account
// code. Pure.
//
// DescribeActor(actor, display_name): `actor` as stored (a user id, a username, the system
//   principal's "system" or "cli:<operating-system user>", or "demo"); `display_name` is the
//   display name of the user it names when there is one ("" otherwise). Returns, in Chinese and
//   English: the display name; for "cli:<os user>" 系统导入（<os user>）/ system import (<os user>)
//   (without the name when it is unknown); for "system" 系统 / system; for "demo" 演示数据 / demo
//   data; for "" 未记录 / not recorded; otherwise the stored text itself.
#pragma once

#include <string>
#include <string_view>

namespace jd::auth {

struct ActorWords {
  std::string zh;
  std::string en;

  bool operator==(const ActorWords&) const = default;
};

ActorWords DescribeActor(std::string_view actor, std::string_view display_name);

}  // namespace jd::auth
