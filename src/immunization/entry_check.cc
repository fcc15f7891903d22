#include "immunization/entry_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>

#include "core/csv.h"
#include "core/text.h"
#include "immunization/xlsx_reader.h"
#include "registry/id_number.h"

namespace jd::immunization {

namespace {

// Header text as compared: no spaces (ASCII or full-width), no required-field star, nothing from
// a parenthesised hint on ("出生日期（YYYY-MM-DD）"), ASCII lower-cased.
std::string HeaderKey(std::string_view raw) {
  std::string s = Trim(raw);
  for (std::string_view open : {"（", "("}) {
    std::size_t p = s.find(open);
    if (p != std::string::npos && p > 0) s.resize(p);
  }
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    if (s.compare(i, 3, "\u3000") == 0) {
      i += 3;
      continue;
    }
    if (s.compare(i, 3, "\uff0a") == 0) {  // full-width asterisk
      i += 3;
      continue;
    }
    char c = s[i++];
    if (c == ' ' || c == '\t' || c == '*') continue;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out += c;
  }
  return out;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<Date> YearMonthDay(std::string_view y, std::string_view m, std::string_view d) {
  int yy = 0, mm = 0, dd = 0;
  auto num = [](std::string_view s, int& out) {
    if (!AllDigits(s) || s.size() > 4) return false;
    std::from_chars(s.data(), s.data() + s.size(), out);
    return true;
  };
  if (y.size() != 4 || !num(y, yy) || m.size() > 2 || !num(m, mm) || d.size() > 2 || !num(d, dd)) {
    return std::nullopt;
  }
  Date date{std::chrono::year(yy), std::chrono::month(static_cast<unsigned>(mm)),
            std::chrono::day(static_cast<unsigned>(dd))};
  if (!date.ok()) return std::nullopt;
  return date;
}

// The birth-date forms rosters come in (see the header).
std::optional<Date> ParseRosterDate(std::string_view raw) {
  std::string s = Trim(raw);
  if (s.empty()) return std::nullopt;
  // A spreadsheet serial, possibly with a time fraction.
  std::size_t dot = s.find('.');
  std::string_view whole = std::string_view(s).substr(0, dot);
  if (AllDigits(whole) && whole.size() <= 7 &&
      (dot == std::string::npos || AllDigits(std::string_view(s).substr(dot + 1)))) {
    return ExcelSerialToDate(s);
  }
  if (AllDigits(s) && s.size() == 8) {
    return YearMonthDay(std::string_view(s).substr(0, 4), std::string_view(s).substr(4, 2),
                        std::string_view(s).substr(6, 2));
  }
  // Drop a time of day ("2019-03-05 00:00:00", "2019-03-05T00:00").
  std::size_t cut = s.find_first_of(" T");
  if (cut != std::string::npos) s.resize(cut);
  std::string t;
  for (std::size_t i = 0; i < s.size();) {
    if (s.compare(i, 3, "年") == 0 || s.compare(i, 3, "月") == 0) {
      t += '-';
      i += 3;
    } else if (s.compare(i, 3, "日") == 0) {
      i += 3;
    } else {
      char c = s[i++];
      t += (c == '/' || c == '.') ? '-' : c;
    }
  }
  std::size_t a = t.find('-');
  if (a == std::string::npos) return std::nullopt;
  std::size_t b = t.find('-', a + 1);
  if (b == std::string::npos || t.find('-', b + 1) != std::string::npos) return std::nullopt;
  std::string_view v(t);
  return YearMonthDay(v.substr(0, a), v.substr(a + 1, b - a - 1), v.substr(b + 1));
}

bool LooksLikeResidentId(std::string_view s) {
  if (s.size() != 18 && s.size() != 15) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = (c >= '0' && c <= '9') || (i == s.size() - 1 && (c == 'X' || c == 'x'));
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<Table> TableFromCsv(std::string_view bytes) {
  auto decoded = DecodeToUtf8(bytes);
  if (!decoded.ok()) return decoded.status();
  const std::string& text = decoded->first;
  CsvReader reader(text);
  Table table;
  std::vector<std::string> fields;
  while (reader.Next(fields)) table.push_back(fields);
  if (!reader.status().ok()) return reader.status();
  return table;
}

Result<Table> TableFromXlsx(std::string_view bytes) {
  auto sheet = ReadXlsxFirstSheet(bytes);
  if (!sheet.ok()) return sheet.status();
  return std::move(sheet->rows);
}

const std::vector<RosterColumn>& RosterColumns() {
  static const std::vector<RosterColumn> kColumns = {
      {"name", {"儿童姓名", "姓名", "学生姓名", "幼儿姓名", "name", "child_name"}},
      {"sex", {"性别", "sex"}},
      {"birth_date", {"出生日期", "出生年月日", "birth_date", "date_of_birth"}},
      {"id_number", {"身份证号码", "身份证号", "证件号码", "公民身份号码", "id_number"}},
      {"guardian_name", {"监护人姓名", "监护人", "家长姓名", "guardian_name"}},
      {"guardian_phone",
       {"监护人电话", "监护人联系电话", "联系电话", "家长电话", "家长联系电话", "guardian_phone",
        "phone"}},
      {"school", {"学校/幼儿园", "学校", "幼儿园", "学校（幼儿园）", "托幼机构", "school"}},
      {"class", {"班级", "class"}},
  };
  return kColumns;
}

std::string NormalizePhone(std::string_view raw) {
  std::string digits;
  for (char c : Trim(raw))
    if (c != ' ' && c != '-') digits += c;
  if (digits.rfind("+86", 0) == 0) digits = digits.substr(3);
  if (digits.empty() || !AllDigits(digits)) return {};
  bool mobile = digits.size() == 11 && digits[0] == '1' && digits[1] >= '3';
  bool landline = digits.size() >= 7 && digits.size() <= 12 && digits[0] != '1';
  return mobile || landline ? digits : std::string();
}

Result<Roster> ParseRoster(const Table& table, Date check_date) {
  auto blank = [](const std::vector<std::string>& r) {
    return std::all_of(r.begin(), r.end(), [](const std::string& c) { return Trim(c).empty(); });
  };
  std::size_t header = 0;
  while (header < table.size() && blank(table[header])) ++header;
  if (header == table.size()) {
    return Status::Invalid({{"", "empty_file", "名单为空（没有表头）", "the roster is empty"}});
  }
  // Column index of each field, and the roster's own header text for error reports.
  std::map<std::string_view, std::size_t> col;
  std::map<std::string_view, std::string> header_text;
  for (std::size_t i = 0; i < table[header].size(); ++i) {
    std::string key = HeaderKey(table[header][i]);
    for (const RosterColumn& rc : RosterColumns()) {
      if (col.count(rc.field)) continue;
      for (std::string_view h : rc.headers) {
        if (key == HeaderKey(h)) {
          col[rc.field] = i;
          header_text[rc.field] = Trim(table[header][i]);
          break;
        }
      }
    }
  }
  FieldErrors missing;
  if (!col.count("name")) {
    missing.Add("儿童姓名", "missing_column", "名单缺少“儿童姓名”（或“姓名”）列",
                "the roster has no child name column (儿童姓名 / name)");
  }
  if (!col.count("birth_date")) {
    missing.Add("出生日期", "missing_column", "名单缺少“出生日期”列",
                "the roster has no birth date column (出生日期 / birth_date)");
  }
  if (!missing.empty()) return missing.ToStatus();

  Roster out;
  for (std::size_t r = header + 1; r < table.size(); ++r) {
    const auto& cells = table[r];
    if (blank(cells)) continue;
    ++out.rows_total;
    int row_no = static_cast<int>(r - header);
    auto cell = [&](std::string_view field) -> std::string {
      auto it = col.find(field);
      if (it == col.end() || it->second >= cells.size()) return {};
      return Trim(cells[it->second]);
    };
    auto column = [&](std::string_view field) -> std::string {
      auto it = header_text.find(field);
      return it != header_text.end() ? it->second : std::string(field);
    };
    std::size_t errors_before = out.errors.size();
    auto error = [&](std::string_view field, std::string code, std::string zh, std::string en) {
      out.errors.push_back({row_no, column(field), std::move(code), std::move(zh), std::move(en)});
    };
    RosterRow row;
    row.row = row_no;
    row.name = cell("name");
    if (row.name.empty()) {
      error("name", "required", "儿童姓名为必填项", "the child's name is required");
    } else if (!IsValidUtf8(row.name) || Utf8Length(row.name) > 50) {
      error("name", "too_long", "儿童姓名不能超过50个字", "the name is longer than 50 characters");
    }
    std::string sex = cell("sex");
    if (sex == "男" || sex == "M" || sex == "m" || sex == "male") {
      row.sex = "M";
    } else if (sex == "女" || sex == "F" || sex == "f" || sex == "female") {
      row.sex = "F";
    } else if (!sex.empty()) {
      error("sex", "invalid_value", "性别应为“男”或“女”", "sex must be 男/M or 女/F");
    }
    std::string birth_text = cell("birth_date");
    std::optional<Date> birth = ParseRosterDate(birth_text);
    if (birth_text.empty()) {
      error("birth_date", "required", "出生日期为必填项", "the birth date is required");
    } else if (!birth) {
      error("birth_date", "invalid_date",
            "出生日期无法识别：" + birth_text + "（应为 YYYY-MM-DD 等日期格式）",
            "the birth date is not a date: " + birth_text + " (YYYY-MM-DD expected)");
    } else if (*birth > check_date) {
      error("birth_date", "in_future", "出生日期晚于查验日期",
            "the birth date is after the check date");
      birth.reset();
    } else if (check_date >= AddYears(*birth, 18)) {
      error("birth_date", "not_a_child", "查验日已年满18岁，不属于入托入学查验对象",
            "the child is 18 or older on the check date");
      birth.reset();
    }
    if (birth) row.birth = *birth;
    std::string id = cell("id_number");
    if (!id.empty()) {
      if (LooksLikeResidentId(id)) {
        registry::IdCheck check = registry::CheckResidentId(id, check_date);
        if (!check.valid) {
          for (const FieldError& e : check.errors) {
            error("id_number", e.code, "身份证号码：" + e.message_zh, "ID number: " + e.message_en);
          }
        } else if (birth && check.birth_date && *check.birth_date != *birth) {
          error("id_number", "mismatch_with_id_number",
                "身份证号码中的出生日期（" + FormatDate(*check.birth_date) + "）与出生日期不符",
                "the birth date in the ID number (" + FormatDate(*check.birth_date) +
                    ") differs from the birth date");
        }
        row.id_number =
            check.normalized.empty() ? registry::NormalizeResidentId(id) : check.normalized;
      } else {
        row.id_number = registry::NormalizeResidentId(id);
      }
    }
    row.guardian_name = cell("guardian_name");
    if (Utf8Length(row.guardian_name) > 50) {
      error("guardian_name", "too_long", "监护人姓名不能超过50个字",
            "the guardian's name is longer than 50 characters");
    }
    std::string phone = cell("guardian_phone");
    if (!phone.empty()) {
      row.guardian_phone = NormalizePhone(phone);
      if (row.guardian_phone.empty()) {
        error("guardian_phone", "invalid_phone", "监护人电话应为11位手机号码或带区号的固定电话",
              "the guardian phone must be an 11-digit mobile number or a landline with its "
              "area code");
      }
    }
    if (id.empty() && phone.empty()) {
      error("id_number", "not_identifiable", "身份证号码和监护人电话至少填写一项，否则无法核对",
            "give the ID number or the guardian phone: without either the child cannot be "
            "matched");
    }
    row.school = cell("school");
    row.class_name = cell("class");
    if (Utf8Length(row.school) > 100 || Utf8Length(row.class_name) > 50) {
      error(Utf8Length(row.school) > 100 ? "school" : "class", "too_long", "学校或班级名称过长",
            "the school or class name is too long");
    }
    if (out.errors.size() == errors_before) {
      out.rows.push_back(std::move(row));
    } else {
      ++out.rows_invalid;
    }
  }
  return out;
}

std::string_view MatchMethodCode(MatchMethod m) {
  switch (m) {
    case MatchMethod::kIdNumber:
      return "id_number";
    case MatchMethod::kNameBirthPhone:
      return "name_birth_phone";
    case MatchMethod::kNone:
      break;
  }
  return "";
}

MatchOutcome ChooseMatch(const RosterRow& row, std::span<const MatchCandidate> by_id,
                         std::span<const MatchCandidate> by_name_birth) {
  MatchOutcome out;
  if (!row.id_number.empty() && by_id.size() == 1) {
    out.method = MatchMethod::kIdNumber;
    out.person_id = by_id.front().person_id;
    return out;
  }
  // The same number under two document types is a registry problem: fall through to the other
  // evidence rather than guess.
  std::vector<const MatchCandidate*> hits;
  if (!row.guardian_phone.empty()) {
    for (const MatchCandidate& c : by_name_birth) {
      if (!c.guardian_phone.empty() && c.guardian_phone == row.guardian_phone) hits.push_back(&c);
    }
  }
  if (hits.size() == 1) {
    out.method = MatchMethod::kNameBirthPhone;
    out.person_id = hits.front()->person_id;
  } else {
    out.not_found_reason = hits.empty() && by_id.size() <= 1 ? "no_match" : "ambiguous";
  }
  return out;
}

std::string_view CheckResultCode(CheckResult r) {
  switch (r) {
    case CheckResult::kComplete:
      return "complete";
    case CheckResult::kNeedsCatchUp:
      return "needs_catch_up";
    case CheckResult::kNotFound:
      return "not_found";
  }
  return "";
}

std::string_view CheckResultZh(CheckResult r) {
  switch (r) {
    case CheckResult::kComplete:
      return "接种完整";
    case CheckResult::kNeedsCatchUp:
      return "需补种";
    case CheckResult::kNotFound:
      return "未查到接种档案";
  }
  return "";
}

std::vector<CheckDose> EntryCheckDoses(const Forecast& forecast) {
  std::vector<CheckDose> out;
  for (const DoseForecast& d : forecast.doses) {
    if (d.status == DoseStatus::kDue || d.status == DoseStatus::kOverdue ||
        d.status == DoseStatus::kNeedsTest) {
      out.push_back({d.vaccine, d.dose, d.status, d.earliest});
    }
  }
  return out;
}

}  // namespace jd::immunization
