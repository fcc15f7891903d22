#include "notify/planner.h"

#include <nlohmann/json.hpp>

namespace jd::notify {

using nlohmann::json;

std::string VaccineNamesZh(const immunization::Schedule& schedule, const std::string& codes_json) {
  json codes = json::parse(codes_json, nullptr, /*allow_exceptions=*/false);
  std::string out;
  if (!codes.is_array()) return out;
  for (const auto& c : codes) {
    if (!c.is_string()) continue;
    std::string code = c.get<std::string>();
    const immunization::VaccineInfo* info = schedule.Find(code);
    if (!out.empty()) out += "、";
    out += info ? info->name_zh : code;
  }
  return out;
}

Result<Plan> PlanAppointment(const AppointmentInfo& a, const ClinicInfo& clinic,
                             const std::set<Channel>& opted_out, const TemplateSet& templates,
                             const immunization::Schedule& schedule, const std::string& now) {
  if (a.status != "booked") return Plan{};
  auto date = ParseDate(a.date);
  std::string vaccines = VaccineNamesZh(schedule, a.vaccines_json);
  TemplateVars vars = {
      {"child_name", a.child_name},
      {"guardian_name", a.guardian_name.empty() ? "家长" : a.guardian_name},
      {"vaccines", vaccines.empty() ? "预约的疫苗" : vaccines},
      {"date", date ? FormatDateZh(*date) : a.date},
      {"weekday", date ? WeekdayZh(*date) : ""},
      {"clinic_name", clinic.name},
      {"clinic_address", clinic.address},
      {"clinic_phone", clinic.phone},
  };
  json payload = json::object();
  for (const auto& [k, v] : vars) payload[k] = v;
  json codes = json::parse(a.vaccines_json, nullptr, /*allow_exceptions=*/false);
  payload["vaccine_codes"] = codes.is_array() ? codes : json::array();
  std::string payload_text = payload.dump(-1, ' ', false, json::error_handler_t::replace);

  Notice proto;
  proto.person_id = a.person_id;
  proto.appointment_id = a.id;
  proto.template_code = std::string(kAppointmentReminder);
  proto.payload = payload_text;
  proto.clinic_code = a.clinic_code;
  proto.appointment_date = a.date;
  proto.next_attempt_at = proto.created_at = proto.updated_at = now;
  return PlanChannels(proto, vars, a.guardian_phone, opted_out, templates, "预约",
                      {.appointment_id = a.id, .person_id = a.person_id},
                      [&a](Channel ch) { return AppointmentKey(a.id, ch); });
}

Result<Plan> PlanChannels(const Notice& proto, const TemplateVars& vars, const std::string& phone,
                          const std::set<Channel>& opted_out, const TemplateSet& templates,
                          std::string_view label_zh, const Skipped& skipped,
                          const std::function<std::string(Channel)>& key) {
  Plan plan;
  for (Channel ch : kAllChannels) {
    const char* reason = opted_out.count(ch)               ? "opted_out"
                         : NeedsPhone(ch) && phone.empty() ? "no_phone"
                                                           : nullptr;
    if (reason) {
      Skipped s = skipped;
      s.channel = ch;
      s.reason = reason;
      plan.skipped.push_back(std::move(s));
      continue;
    }
    const Template* tpl = templates.Find(proto.template_code, ch);
    if (!tpl) {
      return Status::FailedPrecondition(
          "no " + proto.template_code + " template for channel " + std::string(ChannelCode(ch)),
          "缺少渠道“" + std::string(ChannelLabelZh(ch)) + "”的" + std::string(label_zh) +
              "提醒模板");
    }
    auto text = Render(tpl->text, vars);
    if (!text.ok()) return text.status();
    Notice n = proto;
    n.channel = ch;
    n.recipient = NeedsPhone(ch) ? phone : "";
    n.text = std::move(text).value();
    n.status = NoticeStatus::kQueued;
    n.idempotency_key = key(ch);
    plan.notices.push_back(std::move(n));
  }
  return plan;
}

}  // namespace jd::notify
