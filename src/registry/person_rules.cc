#include "registry/person_rules.h"

#include <algorithm>
#include <optional>

#include "core/input.h"
#include "core/text.h"
#include "registry/codes.h"
#include "registry/divisions.h"
#include "registry/ethnicity.h"
#include "registry/id_number.h"

namespace jd::registry {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiLetter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool AllDigits(std::string_view s) { return std::all_of(s.begin(), s.end(), IsDigit); }

class Checker {
 public:
  void Add(std::string field, std::string code, std::string zh, std::string en) {
    errors_.push_back({std::move(field), std::move(code), std::move(zh), std::move(en)});
  }
  void Add(FieldError e) { errors_.push_back(std::move(e)); }

  // Free text through the common input checks (core/input.h). Returns false (after recording the
  // error) when the text is unacceptable.
  bool Text(const std::string& field, std::string_view label_zh, std::string_view value,
            FieldKind kind) {
    if (auto e = CheckText(value, kind, field, label_zh)) {
      Add(std::move(*e));
      return false;
    }
    return true;
  }

  // A date through the common range of its kind; false (after recording the error) when outside.
  bool DateIn(const std::string& field, std::string_view label_zh, const Date& d, DateKind kind,
              const Date& as_of) {
    if (auto e = CheckDate(d, kind, as_of, field, label_zh)) {
      Add(std::move(*e));
      return false;
    }
    return true;
  }

  void Required(const std::string& field, std::string_view label_zh) {
    Add(field, "required", "请填写" + std::string(label_zh), field + " is required");
  }

  std::vector<FieldError> Take() { return std::move(errors_); }

 private:
  std::vector<FieldError> errors_;
};

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; });
}

void CheckIdNumber(const Person& p, const Date& as_of, Checker& c) {
  const std::string field = "id_number";
  if (IsBlank(p.id_number)) {
    c.Required(field, "证件号码");
    return;
  }
  switch (p.id_type) {
    case IdType::kResidentId: {
      IdCheck id = CheckResidentId(p.id_number, as_of);
      for (FieldError& e : id.errors) c.Add(std::move(e));
      // The sex and birth date are part of the number (GB 11643-1999 §6), so the record must agree.
      if (id.sex && *id.sex != p.sex) {
        c.Add("sex", "mismatch_with_id_number", "性别与身份证号码不一致",
              "sex does not match the ID number");
      }
      if (id.birth_date && p.birth_date.ok() && *id.birth_date != p.birth_date) {
        c.Add("birth_date", "mismatch_with_id_number", "出生日期与身份证号码不一致",
              "birth_date does not match the ID number");
      }
      return;
    }
    case IdType::kPassport: {
      // Passports of the PRC (E/G + digits) and foreign ones: 5–17 letters and digits.
      std::string_view n = p.id_number;
      bool ok = n.size() >= 5 && n.size() <= 17 && std::all_of(n.begin(), n.end(), [](char ch) {
                  return IsDigit(ch) || IsAsciiLetter(ch);
                });
      if (!ok) {
        c.Add(field, "invalid_format", "护照号码应为5至17位字母或数字",
              "a passport number has 5 to 17 letters or digits");
      }
      return;
    }
    case IdType::kHkMacauPermit: {
      // 港澳居民来往内地通行证: H (Hong Kong) or M (Macao) and 8 digits (10 on the 2013 card).
      std::string_view n = p.id_number;
      bool ok = (n.size() == 9 || n.size() == 11) && (n[0] == 'H' || n[0] == 'M') &&
                AllDigits(n.substr(1));
      if (!ok) {
        c.Add(field, "invalid_format", "港澳通行证号码应为H或M加8位或10位数字",
              "a Hong Kong/Macao permit number is H or M followed by 8 or 10 digits");
      }
      return;
    }
    case IdType::kTaiwanPermit: {
      // 台湾居民来往大陆通行证: 8 digits (10 on older cards).
      std::string_view n = p.id_number;
      bool ok = (n.size() == 8 || n.size() == 10) && AllDigits(n);
      if (!ok) {
        c.Add(field, "invalid_format", "台湾居民通行证号码应为8位或10位数字",
              "a Taiwan permit number has 8 or 10 digits");
      }
      return;
    }
    case IdType::kBirthCertificate: {
      // 出生医学证明编号: one letter (the print series) and 9 digits.
      std::string_view n = p.id_number;
      bool ok = n.size() == 10 && IsAsciiLetter(n[0]) && AllDigits(n.substr(1));
      if (!ok) {
        c.Add(field, "invalid_format", "出生医学证明编号应为1位字母加9位数字",
              "a birth certificate number is one letter followed by 9 digits");
      }
      return;
    }
  }
}

// Keeps `head` leading and `tail` trailing code points and stars the rest (one star per code
// point).
std::string MaskMiddle(std::string_view s, std::size_t head, std::size_t tail) {
  std::optional<std::u32string> cps = DecodeUtf8(s);
  // Malformed text is masked byte by byte; it is never shown in part.
  if (!cps) return std::string(s.size(), '*');
  std::size_t n = cps->size();
  if (head + tail >= n) return std::string(n, '*');
  // Byte offsets of the kept prefix and suffix.
  auto prefix_bytes = [&](std::size_t count) {
    std::size_t bytes = 0;
    for (std::size_t i = 0; i < count; ++i) {
      char32_t cp = (*cps)[i];
      bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }
    return bytes;
  };
  std::size_t head_bytes = prefix_bytes(head);
  std::size_t tail_start = prefix_bytes(n - tail);
  return std::string(s.substr(0, head_bytes)) + std::string(n - head - tail, '*') +
         std::string(s.substr(tail_start));
}

std::size_t CodePointCount(std::string_view s) {
  std::optional<std::u32string> cps = DecodeUtf8(s);
  return cps ? cps->size() : s.size();
}

}  // namespace

std::vector<FieldError> ValidatePerson(const Person& p, const Date& as_of) {
  Checker c;

  // name
  if (IsBlank(p.name)) {
    c.Required("name", "姓名");
  } else {
    c.Text("name", "姓名", p.name, FieldKind::kName);
  }

  // birth_date. Later dates are compared with it only when it is itself acceptable, so one wrong
  // birth date is reported once.
  bool birth_ok = false;
  if (!p.birth_date.ok()) {
    c.Required("birth_date", "出生日期");
  } else {
    birth_ok = c.DateIn("birth_date", "出生日期", p.birth_date, DateKind::kBirth, as_of);
  }

  // id_type / id_number
  if (c.Text("id_number", "证件号码", p.id_number, FieldKind::kNumber)) CheckIdNumber(p, as_of, c);

  // ethnicity: optional, GB/T 3304.
  if (!p.ethnicity.empty() && !Ethnicities::Builtin().Valid(p.ethnicity)) {
    c.Add("ethnicity", "invalid_value", "民族代码无效（应为GB/T 3304两位代码）",
          "ethnicity must be a two-digit GB/T 3304 code");
  }

  // phone: optional, mainland mobile numbers are 1[3-9] and 9 more digits (11 digits).
  if (!p.phone.empty()) {
    std::string_view ph = p.phone;
    bool ok = ph.size() == 11 && AllDigits(ph) && ph[0] == '1' && ph[1] >= '3';
    if (!ok) {
      c.Add("phone", "invalid_phone", "手机号码应为11位，以13至19开头",
            "phone must be an 11-digit mainland mobile number starting 13 to 19");
    }
  }

  // hukou_division: the 户籍地 county; any GB/T 2260 code since 1981 (a hukou may be recorded under
  // a code that has since been retired).
  if (p.hukou_division.empty()) {
    c.Required("hukou_division", "户籍地行政区划");
  } else if (p.hukou_division.size() != 6 || !AllDigits(p.hukou_division)) {
    c.Add("hukou_division", "invalid_format", "户籍地行政区划代码应为6位数字",
          "hukou_division must be a 6-digit GB/T 2260 code");
  } else if (!Divisions::Builtin().EverExisted(p.hukou_division)) {
    c.Add("hukou_division", "unknown_region", "户籍地行政区划代码不存在",
          "hukou_division is not a known GB/T 2260 code");
  }

  // residence_org: must name a unit; the service checks it exists.
  if (IsBlank(p.residence_org)) {
    c.Required("residence_org", "现居住地");
  } else {
    c.Text("residence_org", "现居住地", p.residence_org, FieldKind::kShortText);
  }

  // arrived_on: start of the current stay; 南宁市实施办法 §三(一) counts 30 days from it.
  const bool arrived_ok = p.arrived_on.ok();
  if (!arrived_ok) {
    c.Required("arrived_on", "来本地日期");
  } else if (c.DateIn("arrived_on", "来本地日期", p.arrived_on, DateKind::kPastEvent, as_of) &&
             birth_ok && p.arrived_on < p.birth_date) {
    c.Add("arrived_on", "before_birth", "来本地日期不能早于出生日期",
          "arrived_on is before birth_date");
  }

  // left_hukou_on: optional; one leaves the 户籍地 before (or on the day of) arriving here.
  if (p.left_hukou_on) {
    const Date& left = *p.left_hukou_on;
    if (!left.ok()) {
      c.Add("left_hukou_on", "invalid_date", "离开户籍地日期无效",
            "left_hukou_on is not a valid date");
    } else if (!c.DateIn("left_hukou_on", "离开户籍地日期", left, DateKind::kPastEvent, as_of)) {
      // reported
    } else if (arrived_ok && left > p.arrived_on) {
      c.Add("left_hukou_on", "left_after_arrival", "离开户籍地日期不能晚于来本地日期",
            "left_hukou_on is after arrived_on");
    } else if (!arrived_ok && left > as_of) {
      c.Add("left_hukou_on", "in_future", "离开户籍地日期不能晚于当前日期",
            "left_hukou_on is in the future");
    } else if (birth_ok && left < p.birth_date) {
      c.Add("left_hukou_on", "before_birth", "离开户籍地日期不能早于出生日期",
            "left_hukou_on is before birth_date");
    }
  }

  if (p.residence_permit_valid_until) {
    c.DateIn("residence_permit_valid_until", "居住证有效期", *p.residence_permit_valid_until,
             DateKind::kExpiry, as_of);
  }

  // Free text with length limits.
  c.Text("hukou_address", "户籍地址", p.hukou_address, FieldKind::kAddress);
  c.Text("residence_address", "现居住地址", p.residence_address, FieldKind::kAddress);
  c.Text("occupation", "职业", p.occupation, FieldKind::kShortText);
  c.Text("employer", "工作单位", p.employer, FieldKind::kShortText);
  c.Text("residence_permit_no", "居住证号码", p.residence_permit_no, FieldKind::kNumber);
  c.Text("health_card_no", "居民健康卡号", p.health_card_no, FieldKind::kNumber);

  return c.Take();
}

std::string MaskIdNumber(std::string_view number) {
  std::size_t n = CodePointCount(number);
  if (n >= 18) return MaskMiddle(number, 4, 4);
  return MaskMiddle(number, 2, 2);  // all stars when 4 or fewer
}

std::string MaskPhone(std::string_view phone) {
  std::size_t n = CodePointCount(phone);
  if (n >= 8) return MaskMiddle(phone, 3, 4);
  if (n <= 4) return std::string(n, '*');
  return MaskMiddle(phone, 0, 2);
}

std::string MaskDocumentNumber(std::string_view number) { return MaskIdNumber(number); }

std::string MaskName(std::string_view name) {
  std::size_t n = CodePointCount(name);
  if (n <= 1) return std::string(n, '*');
  return MaskMiddle(name, 1, 0);
}

Person DeidentifiedPerson(Person p) {
  p.name = MaskName(p.name);
  p.id_number = MaskIdNumber(p.id_number);
  p.phone = MaskPhone(p.phone);
  p.health_card_no = MaskDocumentNumber(p.health_card_no);
  p.residence_permit_no = MaskDocumentNumber(p.residence_permit_no);
  p.hukou_address.clear();
  p.residence_address.clear();
  p.employer.clear();
  return p;
}

}  // namespace jd::registry
