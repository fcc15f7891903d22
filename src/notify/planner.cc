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
  Plan plan;
  if (a.status != "booked") return plan;
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

  for (Channel ch : kAllChannels) {
    if (opted_out.count(ch)) {
      plan.skipped.push_back({a.id, a.person_id, ch, "opted_out"});
      continue;
    }
    if (NeedsPhone(ch) && a.guardian_phone.empty()) {
      plan.skipped.push_back({a.id, a.person_id, ch, "no_phone"});
      continue;
    }
    const Template* tpl = templates.Find(kAppointmentReminder, ch);
    if (!tpl) {
      return Status::FailedPrecondition(
          "no appointment_reminder template for channel " + std::string(ChannelCode(ch)),
          "缺少渠道“" + std::string(ChannelLabelZh(ch)) + "”的预约提醒模板");
    }
    auto text = Render(tpl->text, vars);
    if (!text.ok()) return text.status();
    Notice n;
    n.person_id = a.person_id;
    n.appointment_id = a.id;
    n.channel = ch;
    n.recipient = NeedsPhone(ch) ? a.guardian_phone : "";
    n.template_code = std::string(kAppointmentReminder);
    n.text = std::move(text).value();
    n.payload = payload_text;
    n.clinic_code = a.clinic_code;
    n.appointment_date = a.date;
    n.status = NoticeStatus::kQueued;
    n.next_attempt_at = now;
    n.idempotency_key = AppointmentKey(a.id, ch);
    n.created_at = n.updated_at = now;
    plan.notices.push_back(std::move(n));
  }
  return plan;
}

}  // namespace jd::notify
