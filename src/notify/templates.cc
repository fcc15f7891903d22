#include "notify/templates.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

namespace jd::notify {

namespace {

Status BadTemplate(const std::string& detail_zh, const std::string& detail_en) {
  return Status::Invalid({{"template", "bad_template", "模板格式错误：" + detail_zh,
                           "malformed template: " + detail_en}});
}

bool IsNameChar(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }

// Walks `text`, calling `on_text` for literal runs and `on_name` for each placeholder.
template <typename OnText, typename OnName>
Status Scan(std::string_view text, OnText on_text, OnName on_name) {
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      on_text(std::string_view("{"));
      i += 2;
    } else if (c == '}' && i + 1 < text.size() && text[i + 1] == '}') {
      on_text(std::string_view("}"));
      i += 2;
    } else if (c == '}') {
      return BadTemplate(fmt::format("第 {} 字节处有单独的 }}", i),
                         fmt::format("a lone }} at byte {}", i));
    } else if (c == '{') {
      std::size_t end = text.find('}', i + 1);
      if (end == std::string_view::npos) {
        return BadTemplate(fmt::format("第 {} 字节处的 {{ 没有结束", i),
                           fmt::format("an unterminated {{ at byte {}", i));
      }
      std::string_view name = text.substr(i + 1, end - i - 1);
      if (name.empty() || !std::all_of(name.begin(), name.end(), IsNameChar)) {
        return BadTemplate(fmt::format("占位符名称无效：{}", name),
                           fmt::format("invalid placeholder name: {}", name));
      }
      JD_RETURN_IF_ERROR(on_name(name));
      i = end + 1;
    } else {
      std::size_t next = text.find_first_of("{}", i);
      if (next == std::string_view::npos) next = text.size();
      on_text(text.substr(i, next - i));
      i = next;
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> Render(std::string_view text, const TemplateVars& vars) {
  std::string out;
  out.reserve(text.size() + 64);
  Status st = Scan(
      text, [&](std::string_view lit) { out.append(lit); },
      [&](std::string_view name) -> Status {
        auto it = vars.find(name);
        if (it == vars.end()) {
          return Status::Invalid(
              {{std::string(name), "missing_variable", fmt::format("模板变量 {} 没有值", name),
                fmt::format("the template variable {} has no value", name)}});
        }
        out.append(it->second);
        return Status::Ok();
      });
  if (!st.ok()) return st;
  return out;
}

Result<TemplateSet> TemplateSet::Load(std::string_view json_text) {
  auto doc = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("templates") ||
      !doc["templates"].is_array()) {
    return BadTemplate("模板文件应为含 templates 数组的 JSON 对象",
                       "the templates file must be a JSON object with a templates array");
  }
  std::set<std::string, std::less<>> declared;
  if (doc.contains("placeholders") && doc["placeholders"].is_object()) {
    for (const auto& [name, _] : doc["placeholders"].items()) {
      if (std::find(kPlaceholders.begin(), kPlaceholders.end(), name) == kPlaceholders.end()) {
        return BadTemplate("未知的占位符 " + name, "unknown placeholder " + name);
      }
      declared.insert(name);
    }
  }
  TemplateSet set;
  set.source_ = doc.value("source", "");
  std::set<std::pair<std::string, Channel>> seen;
  for (const auto& t : doc["templates"]) {
    if (!t.is_object() || !t.contains("code") || !t["code"].is_string() || !t.contains("channel") ||
        !t["channel"].is_string() || !t.contains("text") || !t["text"].is_string()) {
      return BadTemplate("每个模板需要 code、channel 和 text",
                         "each template needs code, channel and text");
    }
    Template tpl;
    tpl.code = t["code"].get<std::string>();
    auto channel = ParseChannel(t["channel"].get<std::string>());
    if (!channel) {
      return BadTemplate("未知的渠道 " + t["channel"].get<std::string>(),
                         "unknown channel " + t["channel"].get<std::string>());
    }
    tpl.channel = *channel;
    tpl.title = t.value("title", "");
    tpl.text = t["text"].get<std::string>();
    if (tpl.code.empty() || tpl.text.empty()) {
      return BadTemplate("模板代码和内容不能为空", "a template's code and text must not be empty");
    }
    if (!seen.insert({tpl.code, tpl.channel}).second) {
      return BadTemplate("重复的模板 " + tpl.code, "duplicate template " + tpl.code);
    }
    JD_RETURN_IF_ERROR(Scan(
        tpl.text, [](std::string_view) {},
        [&](std::string_view name) -> Status {
          if (declared.count(name)) return Status::Ok();
          return BadTemplate(
              fmt::format("模板 {} 使用了未声明的占位符 {}", tpl.code, name),
              fmt::format("template {} uses the undeclared placeholder {}", tpl.code, name));
        }));
    set.templates_.push_back(std::move(tpl));
  }
  return set;
}

const TemplateSet& TemplateSet::Default() {
  static const TemplateSet kSet = [] {
    auto set = Load(embedded::notify_templates());
    if (!set.ok()) {
      throw std::logic_error("data/notify/templates.json: " + set.status().message_en() + " " +
                             (set.status().field_errors().empty()
                                  ? std::string()
                                  : set.status().field_errors()[0].message_en));
    }
    return std::move(set).value();
  }();
  return kSet;
}

const Template* TemplateSet::Find(std::string_view code, Channel channel) const {
  for (const auto& t : templates_)
    if (t.code == code && t.channel == channel) return &t;
  return nullptr;
}

std::string FormatDateZh(const Date& d) {
  return fmt::format("{}年{}月{}日", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                     static_cast<unsigned>(d.day()));
}

std::string WeekdayZh(const Date& d) {
  static constexpr std::array<std::string_view, 7> kNames = {"星期日", "星期一", "星期二", "星期三",
                                                             "星期四", "星期五", "星期六"};
  return std::string(kNames[std::chrono::weekday(std::chrono::sys_days(d)).c_encoding()]);
}

}  // namespace jd::notify
