#include "registry/id_number.h"

#include <algorithm>
#include <array>

namespace jd::registry {
namespace {

constexpr std::string_view kField = "id_number";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) { return std::all_of(s.begin(), s.end(), IsDigit); }

std::string_view Trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

int ParseInt(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

FieldError Error(std::string code, std::string zh, std::string en) {
  return {std::string(kField), std::move(code), std::move(zh), std::move(en)};
}

}  // namespace

char IdCheckCharacter(std::string_view first17) {
  // GB 11643-1999 §8 / ISO 7064 MOD 11-2: weight of position i is 2^(17-i) mod 11.
  static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                   3, 7, 9,  10, 5, 8, 4, 2};
  static constexpr std::string_view kCheck = "10X98765432";
  if (first17.size() != 17 || !AllDigits(first17)) return '\0';
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheck[sum % 11];
}

std::string UpgradeLegacyId(std::string_view fifteen) {
  // GB 11643-1999 replaced the 15-digit numbers of 1984: the year gains "19" and a check is added.
  if (fifteen.size() != 15 || !AllDigits(fifteen)) return "";
  std::string out;
  out.reserve(18);
  out.append(fifteen.substr(0, 6)).append("19").append(fifteen.substr(6));
  out.push_back(IdCheckCharacter(out));
  return out;
}

std::string NormalizeResidentId(std::string_view number) {
  number = Trim(number);
  if (number.size() == 15 && AllDigits(number)) return UpgradeLegacyId(number);
  return Upper(number);
}

IdCheck CheckResidentId(std::string_view number, const Date& as_of, const Divisions& divisions) {
  IdCheck out;
  std::string text = Upper(Trim(number));
  out.normalized = text;
  if (text.empty()) {
    out.errors.push_back(Error("required", "请填写身份证号码", "the ID number is required"));
    return out;
  }
  const bool legacy = text.size() == 15;
  if (!legacy && text.size() != 18) {
    out.errors.push_back(Error("invalid_length", "身份证号码应为18位（旧证为15位）",
                               "an ID number has 18 characters (15 digits for an old one)"));
  }
  // 18 characters: 17 digits then a digit or X. 15 characters: digits only.
  bool chars_ok;
  if (text.size() == 18) {
    chars_ok =
        AllDigits(std::string_view(text).substr(0, 17)) && (IsDigit(text[17]) || text[17] == 'X');
  } else if (legacy) {
    chars_ok = AllDigits(text);
  } else {
    chars_ok = std::all_of(text.begin(), text.end(), [](char c) { return IsDigit(c) || c == 'X'; });
  }
  if (!chars_ok) {
    out.errors.push_back(Error("invalid_characters", "身份证号码只能由数字组成，最后一位可为X",
                               "an ID number has only digits, with X allowed as the last one"));
  }
  if (!out.errors.empty()) return out;

  std::string full = legacy ? UpgradeLegacyId(text) : text;
  out.normalized = full;
  out.region_code = full.substr(0, 6);
  out.region_name = divisions.FullName(out.region_code);
  // The sequence's last digit (the 17th character) carries the sex: GB 11643-1999 §7.4.
  out.sex = (full[16] - '0') % 2 == 1 ? Sex::kMale : Sex::kFemale;

  // An ID keeps the address code of the county where it was issued, so any code used since 1981
  // (the first GB/T 2260) is accepted.
  if (!divisions.EverExisted(out.region_code)) {
    out.errors.push_back(Error("unknown_region",
                               "身份证号码的地址码（前6位）不是有效的行政区划代码",
                               "the address code (first 6 digits) is not a known division code"));
  }

  std::chrono::year_month_day birth{
      std::chrono::year{ParseInt(full.substr(6, 4))},
      std::chrono::month{static_cast<unsigned>(ParseInt(full.substr(10, 2)))},
      std::chrono::day{static_cast<unsigned>(ParseInt(full.substr(12, 2)))}};
  static constexpr Date kEarliest{std::chrono::year{1900}, std::chrono::January,
                                  std::chrono::day{1}};
  if (birth.ok()) out.birth_date = birth;
  if (!birth.ok() || birth > as_of || birth < kEarliest) {
    out.errors.push_back(Error("invalid_birth_date", "身份证号码中的出生日期无效",
                               "the birth date in the ID number is not a valid date of birth"));
  }

  if (!legacy && IdCheckCharacter(std::string_view(full).substr(0, 17)) != full[17]) {
    out.errors.push_back(
        Error("invalid_check_digit", "身份证号码校验位错误", "the check digit is wrong"));
  }
  out.valid = out.errors.empty();
  return out;
}

}  // namespace jd::registry
