#include "notify/slips.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "core/csv.h"
#include "core/dates.h"
#include "notify/templates.h"

namespace jd::notify {

using nlohmann::json;

namespace {

json PayloadOf(const Notice& n) {
  json p = json::parse(n.payload, nullptr, /*allow_exceptions=*/false);
  return p.is_object() ? p : json::object();
}

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Each line of the rendered text as a paragraph.
std::string Paragraphs(const std::string& text) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    if (!line.empty()) out += "<p>" + HtmlEscape(line) + "</p>";
    start = end + 1;
  }
  return out;
}

constexpr const char* kStyle = R"(
@page { size: A4; margin: 12mm; }
* { box-sizing: border-box; }
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; color: #000; margin: 0;
       font-size: 11pt; line-height: 1.5; }
header.sheet { margin-bottom: 4mm; font-size: 9pt; color: #333; }
.slip { border: 1px solid #000; padding: 5mm 7mm; margin-bottom: 6mm; break-inside: avoid;
        page-break-inside: avoid; }
.slip + .slip { border-top: 1px solid #000; }
.slip h2 { text-align: center; font-size: 15pt; letter-spacing: 0.3em; margin: 0 0 3mm; }
.slip table { width: 100%; border-collapse: collapse; margin-bottom: 3mm; }
.slip th, .slip td { border: 1px solid #000; padding: 1mm 2mm; text-align: left;
                     vertical-align: top; }
.slip th { width: 22mm; font-weight: normal; background: #f2f2f2; }
.slip p { margin: 0 0 1mm; text-indent: 2em; }
.slip p:first-child { text-indent: 0; }
.slip footer { display: flex; justify-content: space-between; margin-top: 3mm; font-size: 10pt; }
.cut { border-top: 1px dashed #000; margin: 0 0 6mm; }
@media screen { body { max-width: 190mm; margin: 8mm auto; } }
)";

}  // namespace

std::string NoticeSubject(const Notice& n) {
  const bool vaccines = KindOfTemplate(n.template_code).value_or(ReminderKind::kImmunization) ==
                        ReminderKind::kImmunization;
  return Str(PayloadOf(n), vaccines ? "vaccines" : "subject");
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string SlipsHtml(const ClinicInfo& clinic, const std::string& date,
                      const std::vector<NoticeRow>& slips) {
  // One slip per person and kind, in the order given (the store sorts by name).
  using Key = std::pair<std::string, ReminderKind>;
  std::vector<Key> order;
  std::map<Key, std::vector<const NoticeRow*>> by_person;
  for (const auto& r : slips) {
    Key key{r.notice.person_id,
            KindOfTemplate(r.notice.template_code).value_or(ReminderKind::kImmunization)};
    auto [it, fresh] = by_person.try_emplace(key);
    if (fresh) order.push_back(key);
    it->second.push_back(&r);
  }
  auto parsed = ParseDate(date);
  std::string date_zh = parsed ? FormatDateZh(*parsed) + "（" + WeekdayZh(*parsed) + "）" : date;

  std::string html;
  html += "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>";
  // The sheet of a day of appointments alone keeps its name; a day with check-ups is 通知单.
  const bool vaccinations_only = std::all_of(order.begin(), order.end(), [](const Key& k) {
    return k.second == ReminderKind::kImmunization;
  });
  html += HtmlEscape(fmt::format("{} · {} · {}", vaccinations_only ? "预防接种通知单" : "通知单",
                                 clinic.name, date));
  html += "</title><style>";
  html += kStyle;
  html += "</style></head><body>";
  html += fmt::format("<header class=\"sheet\">{} · {} · 共 {} 份</header>",
                      HtmlEscape(clinic.name), HtmlEscape(date_zh), order.size());
  for (const auto& key : order) {
    const auto& rows = by_person[key];
    const ReminderKind kind = key.second;
    json first = PayloadOf(rows.front()->notice);
    std::string subjects;
    for (const NoticeRow* r : rows) {
      std::string v = NoticeSubject(r->notice);
      if (v.empty()) continue;
      if (!subjects.empty()) subjects += "、";
      subjects += v;
    }
    const std::string name =
        rows.front()->child_name.empty()
            ? Str(first, kind == ReminderKind::kAntenatal ? "person_name" : "child_name")
            : rows.front()->child_name;
    auto row = [&](std::string_view label, const std::string& value) {
      html += fmt::format("<tr><th>{}</th><td>{}</td></tr>", label, HtmlEscape(value));
    };
    if (kind == ReminderKind::kImmunization) {
      html += "<section class=\"slip\"><h2>预防接种通知单</h2><table>";
      row("儿童姓名", name);
      row("监护人", Str(first, "guardian_name"));
      row("接种日期", date_zh);
      row("接种疫苗", subjects);
      row("接种单位", clinic.name);
    } else {
      const bool antenatal = kind == ReminderKind::kAntenatal;
      html += antenatal ? "<section class=\"slip\"><h2>孕产妇检查通知单</h2><table>"
                        : "<section class=\"slip\"><h2>儿童健康检查通知单</h2><table>";
      row(antenatal ? "姓名" : "儿童姓名", name);
      if (!antenatal) row("监护人", Str(first, "guardian_name"));
      row("检查时间", rows.size() == 1
                          ? Str(first, "window_start") + " 至 " + Str(first, "window_end")
                          : date_zh);
      row("检查项目", subjects);
      row("检查单位", clinic.name);
    }
    row("地址", clinic.address);
    row("联系电话", clinic.phone);
    html += "</table>";
    for (const NoticeRow* r : rows)
      html += "<div class=\"text\">" + Paragraphs(r->notice.text) + "</div>";
    html += fmt::format("<footer><span>{}</span><span>通知编号 {}</span></footer></section>",
                        HtmlEscape(clinic.name), HtmlEscape(rows.front()->notice.id.substr(0, 13)));
    html += "<div class=\"cut\"></div>";
  }
  if (order.empty()) html += "<p>当日没有需要打印的通知单。</p>";
  html += "</body></html>";
  return html;
}

json CallListJson(const std::vector<NoticeRow>& calls) {
  json items = json::array();
  for (const auto& r : calls) {
    json p = PayloadOf(r.notice);
    items.push_back({{"notice_id", r.notice.id},
                     {"person_id", r.notice.person_id},
                     {"appointment_id", r.notice.appointment_id},
                     {"child_name", r.child_name},
                     {"guardian_name", Str(p, "guardian_name")},
                     {"phone", r.notice.recipient},
                     {"appointment_date", r.notice.appointment_date},
                     {"clinic_code", r.notice.clinic_code},
                     {"vaccines", Str(p, "vaccines")},
                     {"kind", ReminderKindCode(KindOfTemplate(r.notice.template_code)
                                                   .value_or(ReminderKind::kImmunization))},
                     {"subject", NoticeSubject(r.notice)},
                     {"script", r.notice.text},
                     {"status", NoticeStatusCode(r.notice.status)},
                     {"attempts", r.notice.attempts},
                     {"last_error", r.notice.last_error}});
  }
  return items;
}

std::string CallListCsv(const std::vector<NoticeRow>& calls) {
  std::ostringstream out;
  CsvWriter w(out, {.bom = CsvBom::kUtf8});
  w.Row({"序号", "儿童姓名", "监护人", "电话", "预约日期", "疫苗", "通话内容", "状态", "通知编号",
         "提醒类别", "检查项目"});
  int i = 0;
  for (const auto& r : calls) {
    json p = PayloadOf(r.notice);
    const ReminderKind kind =
        KindOfTemplate(r.notice.template_code).value_or(ReminderKind::kImmunization);
    w.Row({std::to_string(++i), r.child_name, Str(p, "guardian_name"), r.notice.recipient,
           r.notice.appointment_date, Str(p, "vaccines"), r.notice.text,
           std::string(NoticeStatusLabelZh(r.notice.status)), r.notice.id,
           std::string(ReminderKindLabelZh(kind)),
           kind == ReminderKind::kImmunization ? std::string() : NoticeSubject(r.notice)});
  }
  return out.str();
}

}  // namespace jd::notify
