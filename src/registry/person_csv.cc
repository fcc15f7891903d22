#include "registry/person_csv.h"

#include <algorithm>
#include <array>
#include <optional>

#include "core/dates.h"
#include "core/text.h"
#include "registry/codes.h"
#include "registry/ethnicity.h"

namespace jd::registry {
namespace {

// How a cell is read.
enum class CellKind { kText, kSex, kIdType, kIdNumber, kEthnicity, kDate, kMoveReason, kMarital };

enum class Need { kOptional, kRequired };

struct ColumnSpec {
  std::string_view field;                      // JSON name (person_json.h)
  std::string_view zh;                         // the Chinese name written on export
  std::array<std::string_view, 3> aliases_zh;  // other accepted Chinese names
  CellKind kind;
  Need need;
};

// Every column, in export order. The aliases are names found in the forms in use (e.g. 身份证号 on
// police registers, 联系电话 on health forms) and the labels person_json.h gives the fields.
constexpr std::array<ColumnSpec, 20> kColumns = {{
    {"name", "姓名", {}, CellKind::kText, Need::kRequired},
    {"sex", "性别", {}, CellKind::kSex, Need::kOptional},
    {"birth_date", "出生日期", {}, CellKind::kDate, Need::kOptional},
    {"id_type", "证件类型", {}, CellKind::kIdType, Need::kOptional},
    {"id_number", "证件号码", {"身份证号", "身份证号码"}, CellKind::kIdNumber, Need::kRequired},
    {"ethnicity", "民族", {}, CellKind::kEthnicity, Need::kOptional},
    {"phone", "手机号码", {"联系电话", "手机号"}, CellKind::kText, Need::kOptional},
    {"hukou_division",
     "户籍地区划代码",
     {"户籍地行政区划代码", "户籍地行政区划"},
     CellKind::kText,
     Need::kRequired},
    {"hukou_address", "户籍地址", {"户籍地详细地址"}, CellKind::kText, Need::kOptional},
    {"residence_org", "现居住地单位代码", {"现居住地"}, CellKind::kText, Need::kRequired},
    {"residence_address", "现居住地址", {"现居住地详细地址"}, CellKind::kText, Need::kOptional},
    {"left_hukou_on", "离开户籍地日期", {}, CellKind::kDate, Need::kOptional},
    {"arrived_on", "来本地日期", {}, CellKind::kDate, Need::kRequired},
    {"move_reason", "流动原因", {}, CellKind::kMoveReason, Need::kRequired},
    {"occupation", "职业", {}, CellKind::kText, Need::kOptional},
    {"employer", "工作单位", {}, CellKind::kText, Need::kOptional},
    {"marital_status", "婚姻状况", {}, CellKind::kMarital, Need::kOptional},
    {"residence_permit_no", "居住证号码", {"居住证号"}, CellKind::kText, Need::kOptional},
    {"residence_permit_valid_until",
     "居住证有效期至",
     {"居住证有效期"},
     CellKind::kDate,
     Need::kOptional},
    {"health_card_no", "居民健康卡号", {"健康卡号"}, CellKind::kText, Need::kOptional},
}};

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// A header cell as compared: trimmed, without a BOM and without the '*' (or full-width '＊') that
// templates put on required columns.
std::string CleanHeader(std::string_view cell) {
  std::string s = Trim(StripUtf8Bom(cell));
  for (std::string_view star : {"*", "\xEF\xBC\x8A"}) {
    while (s.starts_with(star)) s.erase(0, star.size());
    while (s.ends_with(star)) s.erase(s.size() - star.size());
  }
  return Trim(s);
}

const ColumnSpec* FindColumn(std::string_view name) {
  for (const ColumnSpec& c : kColumns) {
    if (EqualsIgnoreAsciiCase(name, c.field) || name == c.zh) return &c;
    for (std::string_view alias : c.aliases_zh) {
      if (!alias.empty() && name == alias) return &c;
    }
  }
  return nullptr;
}

const ColumnSpec* SpecOf(std::string_view field) {
  for (const ColumnSpec& c : kColumns) {
    if (c.field == field) return &c;
  }
  return nullptr;
}

std::optional<int> ParseSmallInt(std::string_view s) {
  if (s.empty() || s.size() > 4) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// "YYYY-MM-DD" for the ways spreadsheets and people write a date, or nullopt.
std::optional<std::string> NormalizeDate(std::string_view s) {
  // A time after the date ("2024/3/1 0:00:00") is dropped.
  if (std::size_t space = s.find(' '); space != std::string_view::npos) s = s.substr(0, space);
  std::optional<int> y, m, d;
  if (s.size() == 8 &&
      std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    // 20240301
    y = ParseSmallInt(s.substr(0, 4));
    m = ParseSmallInt(s.substr(4, 2));
    d = ParseSmallInt(s.substr(6, 2));
  } else {
    // 2024-3-1, 2024/3/1, 2024.3.1 or 2024年3月1日: three numbers between separators.
    std::array<std::string_view, 3> parts;
    std::size_t n = 0;
    std::size_t start = 0;
    auto separator_at = [&](std::size_t i) -> std::size_t {
      for (std::string_view sep : {"-", "/", ".", "年", "月", "日"}) {
        if (s.substr(i).starts_with(sep)) return sep.size();
      }
      return 0;
    };
    std::size_t i = 0;
    while (i <= s.size()) {
      const std::size_t sep = i < s.size() ? separator_at(i) : 1;
      if (sep == 0) {
        ++i;
        continue;
      }
      if (i > start) {
        if (n == 3) return std::nullopt;
        parts[n++] = s.substr(start, i - start);
      }
      i += sep;
      start = i;
    }
    if (n != 3 || parts[0].size() != 4) return std::nullopt;
    y = ParseSmallInt(parts[0]);
    m = parts[1].size() <= 2 ? ParseSmallInt(parts[1]) : std::nullopt;
    d = parts[2].size() <= 2 ? ParseSmallInt(parts[2]) : std::nullopt;
  }
  if (!y || !m || !d) return std::nullopt;
  const Date date{std::chrono::year{*y}, std::chrono::month{static_cast<unsigned>(*m)},
                  std::chrono::day{static_cast<unsigned>(*d)}};
  if (!date.ok()) return std::nullopt;
  return FormatDate(date);
}

// "男、女" style lists of the labels of E, for messages.
template <typename E>
std::string LabelsOf() {
  std::string out;
  for (const CodeEntry<E>& e : CodeTable<E>()) {
    if (!out.empty()) out += "、";
    out += e.label_zh;
  }
  return out;
}

template <typename E>
std::optional<std::string> EnumCode(std::string_view value) {
  if (std::optional<E> e = ParseCode<E>(value)) return std::string(ToCode(*e));
  return std::nullopt;
}

// Spreadsheets turn an 18-digit number into "4.50103E+17", losing digits that cannot be recovered.
bool LooksLikeSpreadsheetNumber(std::string_view s) {
  const std::size_t e = s.find_first_of("Ee");
  if (e == std::string_view::npos || e == 0 || e + 1 >= s.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (i == e || (c >= '0' && c <= '9') || c == '.' || (i == e + 1 && (c == '+' || c == '-'))) {
      continue;
    }
    return false;
  }
  return true;
}

}  // namespace

std::string PersonCsvHeader::ColumnFor(std::string_view field) const {
  for (std::size_t i = 0; i < fields.size() && i < columns.size(); ++i) {
    if (fields[i] == field) return columns[i];
  }
  return std::string(field);
}

Result<PersonCsvHeader> MapHeader(const std::vector<std::string>& header) {
  PersonCsvHeader out;
  FieldErrors errors;
  std::vector<std::string_view> seen;
  for (const std::string& cell : header) {
    std::string name = CleanHeader(cell);
    const ColumnSpec* spec = name.empty() ? nullptr : FindColumn(name);
    if (!name.empty() && spec == nullptr) {
      errors.Add(name, "unknown_column", "无法识别的列名“" + name + "”",
                 "unknown column \"" + name + "\"");
    } else if (spec != nullptr) {
      for (std::string_view f : seen) {
        if (f == spec->field) {
          errors.Add(name, "duplicate_column",
                     "列“" + name + "”与前面的列重复（都是" + std::string(spec->zh) + "）",
                     "column \"" + name + "\" repeats an earlier column (both are " +
                         std::string(spec->field) + ")");
          break;
        }
      }
      seen.push_back(spec->field);
    }
    out.fields.emplace_back(spec ? spec->field : std::string_view());
    out.columns.push_back(std::move(name));
  }
  for (const ColumnSpec& c : kColumns) {
    if (c.need != Need::kRequired) continue;
    if (std::find(seen.begin(), seen.end(), c.field) == seen.end()) {
      errors.Add(std::string(c.field), "missing_column", "缺少必需的列“" + std::string(c.zh) + "”",
                 "required column \"" + std::string(c.field) + "\" (" + std::string(c.zh) +
                     ") is missing");
    }
  }
  if (!errors.empty()) return errors.ToStatus();
  return out;
}

nlohmann::json RowToPersonJson(const PersonCsvHeader& header, const std::vector<std::string>& row,
                               std::vector<FieldError>& errors) {
  nlohmann::json j = nlohmann::json::object();
  const std::size_t n = header.columns.size();
  if (row.size() != n) {
    errors.push_back(
        {"", "wrong_cell_count",
         "此行有 " + std::to_string(row.size()) + " 个单元格，表头有 " + std::to_string(n) + " 列",
         "the row has " + std::to_string(row.size()) + " cells but the header has " +
             std::to_string(n) + " columns"});
    return j;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const std::string value = Trim(row[i]);
    if (value.empty()) continue;
    const std::string& column = header.columns[i];
    const std::string& field = header.fields[i];
    if (field.empty()) {
      const std::string pos = std::to_string(i + 1);
      errors.push_back({column, "value_in_unnamed_column", "第 " + pos + " 列没有列名，却填了内容",
                        "column " + pos + " has no name in the header but holds a value"});
      continue;
    }
    const ColumnSpec& spec = *SpecOf(field);
    auto invalid = [&](const std::string& allowed_zh, const std::string& allowed_en) {
      errors.push_back({column, "invalid_value",
                        column + "的取值“" + value + "”无法识别，可选：" + allowed_zh,
                        column + ": \"" + value + "\" is not one of: " + allowed_en});
    };
    std::optional<std::string> code;
    switch (spec.kind) {
      case CellKind::kText:
        j[field] = value;
        break;
      case CellKind::kIdNumber:
        if (LooksLikeSpreadsheetNumber(value)) {
          errors.push_back(
              {column, "spreadsheet_number",
               column + "“" + value +
                   "”已被电子表格转成数字，后几位已丢失；请把该列设为文本格式后重新录入",
               column + ": \"" + value +
                   "\" was turned into a number by a spreadsheet and has "
                   "lost digits; format the column as text and enter the numbers again"});
        } else {
          j[field] = value;
        }
        break;
      case CellKind::kSex:
        // GB/T 2261.1-2003 codes sex as 1 (male) and 2 (female); government forms often use them.
        code = value == "1"   ? std::optional<std::string>("M")
               : value == "2" ? std::optional<std::string>("F")
                              : EnumCode<Sex>(value);
        if (code) {
          j[field] = *code;
        } else {
          invalid(LabelsOf<Sex>() + "（或 M、F、1、2）", AllowedCodes<Sex>() + ", 男, 女, 1, 2");
        }
        break;
      case CellKind::kIdType:
        if ((code = EnumCode<IdType>(value))) {
          j[field] = *code;
        } else {
          invalid(LabelsOf<IdType>(), AllowedCodes<IdType>());
        }
        break;
      case CellKind::kMoveReason:
        if ((code = EnumCode<MoveReason>(value))) {
          j[field] = *code;
        } else {
          invalid(LabelsOf<MoveReason>(), AllowedCodes<MoveReason>());
        }
        break;
      case CellKind::kMarital:
        if ((code = EnumCode<MaritalStatus>(value))) {
          j[field] = *code;
        } else {
          invalid(LabelsOf<MaritalStatus>(), AllowedCodes<MaritalStatus>());
        }
        break;
      case CellKind::kEthnicity:
        if ((code = Ethnicities::Builtin().Resolve(value))) {
          j[field] = *code;
        } else {
          invalid("GB/T 3304 民族名称或两位代码（如 汉族、壮族、01、08）",
                  "a GB/T 3304 ethnicity name or two-digit code (e.g. 汉族, 01)");
        }
        break;
      case CellKind::kDate:
        if ((code = NormalizeDate(value))) {
          j[field] = *code;
        } else {
          errors.push_back(
              {column, "invalid_date", column + "“" + value + "”不是有效日期，请写成 2024-03-01",
               column + ": \"" + value + "\" is not a valid date; write it as " + "2024-03-01"});
        }
        break;
    }
  }
  return j;
}

std::vector<std::string> ExportHeaderZh() {
  std::vector<std::string> header;
  header.reserve(kColumns.size());
  for (const ColumnSpec& c : kColumns) header.emplace_back(c.zh);
  return header;
}

std::vector<std::string> PersonJsonToExportRow(const nlohmann::json& person) {
  std::vector<std::string> row;
  row.reserve(kColumns.size());
  auto text_of = [&](const std::string& key) -> std::optional<std::string> {
    auto it = person.find(key);
    if (it == person.end() || it->is_null()) return std::nullopt;
    if (it->is_string()) return it->get<std::string>();
    return it->dump();
  };
  for (const ColumnSpec& c : kColumns) {
    const std::string field(c.field);
    std::optional<std::string> value = text_of(field);
    // A masked person has id_number_masked and phone_masked instead.
    if (!value && (c.field == "id_number" || c.field == "phone"))
      value = text_of(field + "_masked");
    std::string cell = value.value_or("");
    auto label = [&](auto parsed) {
      if (parsed) cell = std::string(LabelZh(*parsed));
    };
    switch (c.kind) {
      case CellKind::kSex:
        label(ParseSex(cell));
        break;
      case CellKind::kIdType:
        label(ParseIdType(cell));
        break;
      case CellKind::kMoveReason:
        label(ParseMoveReason(cell));
        break;
      case CellKind::kMarital:
        label(ParseMaritalStatus(cell));
        break;
      case CellKind::kEthnicity:
        if (std::optional<std::string> name = Ethnicities::Builtin().NameZh(cell)) cell = *name;
        break;
      case CellKind::kText:
      case CellKind::kIdNumber:
      case CellKind::kDate:
        break;
    }
    row.push_back(std::move(cell));
  }
  return row;
}

}  // namespace jd::registry
