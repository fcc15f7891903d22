// File: notify/templates.h
// The reminder messages as data (data/notify/templates.json, compiled in): one text per template
// code and channel, with {placeholders}. Rendering is a pure function of the text and the values.
//
// Render(text, vars): `text` with every {name} replaced by vars[name]; "{{" and "}}" are literal
//   braces. A placeholder without a value, an unterminated "{", a lone "}" or a name that is not
//   [a-z_]+ is an error (code missing_variable or bad_template), never a half-filled message.
// TemplateSet::Load(json): the templates of the file; each must name a known channel, be unique
//   by (code, channel) and use only the placeholders the file declares, all of which must be in
//   kPlaceholders (what the planner fills).
// FormatDateZh(d): "2026年11月23日"; WeekdayZh(d): "星期一".
#pragma once

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "core/status.h"
#include "notify/model.h"

namespace jd::embedded {
// data/notify/templates.json
std::string_view notify_templates();
}  // namespace jd::embedded

namespace jd::notify {

using TemplateVars = std::map<std::string, std::string, std::less<>>;

inline constexpr std::array<std::string_view, 17> kPlaceholders = {
    "child_name",     "guardian_name", "vaccines",    "date",         "weekday",      "clinic_name",
    "clinic_address", "clinic_phone",  "person_name", "contact",      "window_start", "window_end",
    "recipient_name", "area_name",     "address",     "danger_level", "raised_at"};

inline constexpr std::string_view kAppointmentReminder = "appointment_reminder";
// A danger alert of a severe-mental-disorder patient to a partner user (notify/alert_notices.h).
inline constexpr std::string_view kDangerAlert = "danger_alert";

Result<std::string> Render(std::string_view text, const TemplateVars& vars);

struct Template {
  std::string code;
  Channel channel = Channel::kSms;
  std::string title;
  std::string text;
};

class TemplateSet {
 public:
  static Result<TemplateSet> Load(std::string_view json_text);
  // The set compiled into the binary; a broken file is a build mistake (checked by a test).
  static const TemplateSet& Default();

  const Template* Find(std::string_view code, Channel channel) const;
  const std::vector<Template>& templates() const { return templates_; }
  const std::string& source() const { return source_; }

 private:
  std::vector<Template> templates_;
  std::string source_;
};

std::string FormatDateZh(const Date& d);
std::string WeekdayZh(const Date& d);

}  // namespace jd::notify
