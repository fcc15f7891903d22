#include "registry/person_json.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "registry/codes.h"
#include "registry/division_lookup.h"
#include "registry/ethnicity.h"
#include "registry/id_number.h"
#include "registry/person_rules.h"

namespace jd::registry {
namespace {

using nlohmann::json;

// Far enough ahead that decoding an ID number never fails on its birth date being "in the future";
// ValidatePerson checks that against the real as-of date.
constexpr Date kNoLimit{std::chrono::year{9999}, std::chrono::December, std::chrono::day{31}};

std::string TrimAscii(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::string NormalizeIdNumber(IdType type, std::string_view number) {
  if (type == IdType::kResidentId) return NormalizeResidentId(number);
  std::string out = TrimAscii(number);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string NormalizePhone(std::string_view phone) {
  std::string out;
  for (char c : phone) {
    if (c != ' ' && c != '-' && c != '\t') out.push_back(c);
  }
  if (out.starts_with("+86")) out.erase(0, 3);
  return out;
}

// Chinese field names for messages.
std::string FieldLabelZh(std::string_view key) {
  static constexpr std::pair<std::string_view, std::string_view> kLabels[] = {
      {"name", "姓名"},
      {"sex", "性别"},
      {"birth_date", "出生日期"},
      {"id_type", "证件类型"},
      {"id_number", "证件号码"},
      {"ethnicity", "民族"},
      {"phone", "手机号码"},
      {"hukou_division", "户籍地行政区划"},
      {"hukou_address", "户籍地址"},
      {"residence_org", "现居住地"},
      {"residence_address", "现居住地址"},
      {"left_hukou_on", "离开户籍地日期"},
      {"arrived_on", "来本地日期"},
      {"move_reason", "流动原因"},
      {"occupation", "职业"},
      {"employer", "工作单位"},
      {"marital_status", "婚姻状况"},
      {"residence_permit_no", "居住证号码"},
      {"residence_permit_valid_until", "居住证有效期"},
      {"health_card_no", "居民健康卡号"},
  };
  for (const auto& [k, label] : kLabels) {
    if (k == key) return std::string(label);
  }
  return std::string(key);
}

std::optional<std::string> DateOrNull(const std::optional<Date>& d) {
  if (!d || !d->ok()) return std::nullopt;
  return FormatDate(*d);
}

json DateJson(const std::optional<Date>& d) {
  std::optional<std::string> s = DateOrNull(d);
  return s ? json(*s) : json(nullptr);
}

// Reads the fields present in an object onto a Person. In a patch, null on a required field is an
// error; in a new record, absent and null are the same.
class Reader {
 public:
  Reader(const json& j, FieldErrors& errors, bool patch) : j_(j), errors_(errors), patch_(patch) {}

  bool Has(const char* key) const { return j_.contains(key); }

  // Returns the trimmed string; nullopt when absent, null or of the wrong type (recorded).
  // `cleared` is set when the value is null or "".
  std::optional<std::string> String(const char* key, bool* cleared = nullptr) {
    if (cleared) *cleared = false;
    auto it = j_.find(key);
    if (it == j_.end()) return std::nullopt;
    if (it->is_null()) {
      if (cleared) *cleared = true;
      return std::nullopt;
    }
    if (!it->is_string()) {
      errors_.Add(key, "wrong_type", FieldLabelZh(key) + "应为文本",
                  std::string(key) + " must be a string");
      return std::nullopt;
    }
    std::string s = TrimAscii(it->get_ref<const std::string&>());
    if (s.empty() && cleared) *cleared = true;
    return s;
  }

  // A free-text field: optional ones may be cleared with null; required ones may not.
  void Text(const char* key, std::string& out, bool required) {
    bool cleared = false;
    std::optional<std::string> s = String(key, &cleared);
    if (s && !s->empty()) {
      out = std::move(*s);
    } else if (cleared) {
      if (required && patch_) {
        Required(key);
      } else {
        out.clear();
      }
    }
  }

  // A date; returns whether the key was given with a usable value (`out` set) and sets `cleared`
  // for null or "".
  bool DateField(const char* key, std::optional<Date>& out, bool* cleared) {
    std::optional<std::string> s = String(key, cleared);
    if (!s || s->empty()) return false;
    std::optional<Date> d = ParseDate(*s);
    if (!d) {
      errors_.Add(key, "invalid_date", FieldLabelZh(key) + "应为有效日期，格式YYYY-MM-DD",
                  std::string(key) + " must be a valid date as YYYY-MM-DD");
      return false;
    }
    out = d;
    return true;
  }

  void RequiredDate(const char* key, Date& out) {
    bool cleared = false;
    std::optional<Date> d;
    if (DateField(key, d, &cleared)) {
      out = *d;
    } else if (cleared) {
      if (patch_) {
        Required(key);
      } else {
        out = Date{};
      }
    }
  }

  void OptionalDate(const char* key, std::optional<Date>& out) {
    bool cleared = false;
    std::optional<Date> d;
    if (DateField(key, d, &cleared)) {
      out = d;
    } else if (cleared) {
      out.reset();
    }
  }

  // An enum given by code or Chinese label. Returns the value when given and valid; sets `cleared`
  // for null or "".
  template <typename E>
  std::optional<E> Enum(const char* key, bool* cleared) {
    std::optional<std::string> s = String(key, cleared);
    if (!s || s->empty()) return std::nullopt;
    std::optional<E> v = ParseCode<E>(*s);
    if (!v) {
      std::string allowed = AllowedCodes<E>();
      errors_.Add(key, "invalid_value", FieldLabelZh(key) + "的取值无效，可选值：" + allowed,
                  std::string(key) + " must be one of: " + allowed);
    }
    return v;
  }

  void Required(const char* key) {
    errors_.Add(key, "required", "请填写" + FieldLabelZh(key), std::string(key) + " is required");
  }

 private:
  const json& j_;
  FieldErrors& errors_;
  bool patch_;
};

void WrongBody(FieldErrors& errors) {
  errors.Add("", "wrong_type", "请求内容应为JSON对象", "the body must be a JSON object");
}

// Reads every field present in `j` onto `p`. Returns which of sex / birth_date were given, so the
// caller can derive the missing ones from a resident ID.
struct ReadOutcome {
  bool sex_given = false;
  bool birth_given = false;
  bool sex_invalid = false;  // given but unusable (already reported)
  bool move_reason_given = false;
  bool id_changed = false;
};

ReadOutcome ReadFields(const json& j, Person& p, FieldErrors& errors, bool patch) {
  Reader r(j, errors, patch);
  ReadOutcome out;

  r.Text("name", p.name, true);

  bool cleared = false;
  if (std::optional<IdType> t = r.Enum<IdType>("id_type", &cleared)) {
    out.id_changed |= *t != p.id_type;
    p.id_type = *t;
  } else if (cleared) {
    p.id_type = IdType::kResidentId;  // the default type
    out.id_changed = true;
  }
  if (r.Has("id_number")) out.id_changed = true;
  r.Text("id_number", p.id_number, true);
  p.id_number = NormalizeIdNumber(p.id_type, p.id_number);

  if (std::optional<Sex> s = r.Enum<Sex>("sex", &cleared)) {
    p.sex = *s;
    out.sex_given = true;
  } else if (r.Has("sex") && !cleared) {
    out.sex_invalid = true;
  }

  std::optional<Date> birth;
  if (r.DateField("birth_date", birth, &cleared)) {
    p.birth_date = *birth;
    out.birth_given = true;
  } else if (r.Has("birth_date") && !cleared) {
    out.birth_given = true;  // given but malformed: reported, not derived over
  } else if (cleared && patch) {
    p.birth_date = Date{};  // re-derived below for a resident ID, else reported by the rules
  }

  std::string ethnicity = p.ethnicity;
  r.Text("ethnicity", ethnicity, false);
  if (ethnicity != p.ethnicity) {
    // Imports carry names ("汉族", "汉") or codes whose leading zero was lost ("1").
    p.ethnicity = Ethnicities::Builtin().Resolve(ethnicity).value_or(ethnicity);
  }

  if (r.Has("phone")) {
    r.Text("phone", p.phone, false);
    p.phone = NormalizePhone(p.phone);
  }
  r.Text("hukou_division", p.hukou_division, true);
  r.Text("hukou_address", p.hukou_address, false);
  r.Text("residence_org", p.residence_org, true);
  r.Text("residence_address", p.residence_address, false);
  r.OptionalDate("left_hukou_on", p.left_hukou_on);
  r.RequiredDate("arrived_on", p.arrived_on);

  if (std::optional<MoveReason> m = r.Enum<MoveReason>("move_reason", &cleared)) {
    p.move_reason = *m;
    out.move_reason_given = true;
  } else if (r.Has("move_reason") && !cleared) {
    out.move_reason_given = true;  // given but invalid: already reported
  }

  r.Text("occupation", p.occupation, false);
  r.Text("employer", p.employer, false);
  if (std::optional<MaritalStatus> m = r.Enum<MaritalStatus>("marital_status", &cleared)) {
    p.marital_status = *m;
  } else if (cleared) {
    p.marital_status = MaritalStatus::kUnknown;
  }
  r.Text("residence_permit_no", p.residence_permit_no, false);
  r.OptionalDate("residence_permit_valid_until", p.residence_permit_valid_until);
  r.Text("health_card_no", p.health_card_no, false);
  return out;
}

// GB 11643-1999 §6: a resident ID carries the birth date and sex; fill in what was not given.
// Returns whether the sex is known.
bool DeriveFromResidentId(Person& p, bool derive_sex, bool derive_birth) {
  if (p.id_type != IdType::kResidentId || p.id_number.empty()) return false;
  IdCheck id = CheckResidentId(p.id_number, kNoLimit);
  if (derive_birth && id.birth_date) p.birth_date = *id.birth_date;
  if (derive_sex && id.sex) {
    p.sex = *id.sex;
    return true;
  }
  return false;
}

}  // namespace

Person PersonFromJson(const json& j, FieldErrors& errors) {
  Person p;
  if (!j.is_object()) {
    WrongBody(errors);
    return p;
  }
  ReadOutcome got = ReadFields(j, p, errors, /*patch=*/false);
  bool sex_known = got.sex_given || got.sex_invalid;
  if (!got.sex_given || !got.birth_given) {
    bool derived = DeriveFromResidentId(p, !sex_known, !got.birth_given);
    sex_known = sex_known || derived;
  }
  if (!sex_known) {
    errors.Add("sex", "required", "请填写性别", "sex is required");
  }
  // 南宁市实施办法 §三(一) includes or excludes by the reason for moving, so it is never guessed.
  if (!got.move_reason_given) {
    errors.Add("move_reason", "required", "请填写流动原因", "move_reason is required");
  }
  return p;
}

Person ApplyPersonPatch(const Person& base, const json& patch, FieldErrors& errors) {
  Person p = base;
  if (!patch.is_object()) {
    WrongBody(errors);
    return p;
  }
  ReadOutcome got = ReadFields(patch, p, errors, /*patch=*/true);
  // Cleared (null or "") sex and birth_date fall back to the resident ID, as on creation; so do
  // ones not given when the number itself changes.
  const bool sex_cleared = patch.contains("sex") && !got.sex_given && !got.sex_invalid;
  const bool birth_cleared = patch.contains("birth_date") && !got.birth_given;
  const bool derive_sex = sex_cleared || (got.id_changed && !got.sex_given && !got.sex_invalid);
  const bool derive_birth = birth_cleared || (got.id_changed && !got.birth_given);
  bool sex_derived = false;
  if (derive_sex || derive_birth) sex_derived = DeriveFromResidentId(p, derive_sex, derive_birth);
  if (sex_cleared && !sex_derived) {
    errors.Add("sex", "required", "请填写性别", "sex is required");
  }
  if (patch.contains("move_reason") && !got.move_reason_given) {
    errors.Add("move_reason", "required", "请填写流动原因", "move_reason is required");
  }
  return p;
}

json PersonToJson(const Person& p, bool mask) {
  json j = json::object();
  j["id"] = p.id;
  j["name"] = p.name;
  j["sex"] = ToCode(p.sex);
  j["birth_date"] = DateJson(p.birth_date);
  j["id_type"] = ToCode(p.id_type);
  if (!mask) j["id_number"] = p.id_number;
  j["id_number_masked"] = MaskIdNumber(p.id_number);
  j["ethnicity"] = p.ethnicity;
  j["ethnicity_name"] = Ethnicities::Builtin().NameZh(p.ethnicity).value_or("");
  j["ethnicity_name_en"] = Ethnicities::Builtin().NameEn(p.ethnicity).value_or("");
  if (!mask) j["phone"] = p.phone;
  j["phone_masked"] = MaskPhone(p.phone);
  j["hukou_division"] = p.hukou_division;
  j["hukou_division_name"] = DivisionFullName(p.hukou_division);
  j["hukou_address"] = p.hukou_address;
  j["residence_org"] = p.residence_org;
  j["residence_address"] = p.residence_address;
  j["left_hukou_on"] = DateJson(p.left_hukou_on);
  j["arrived_on"] = DateJson(p.arrived_on);
  j["move_reason"] = ToCode(p.move_reason);
  j["occupation"] = p.occupation;
  j["employer"] = p.employer;
  j["marital_status"] = ToCode(p.marital_status);
  j["residence_permit_no"] =
      mask ? MaskDocumentNumber(p.residence_permit_no) : p.residence_permit_no;
  j["residence_permit_valid_until"] = DateJson(p.residence_permit_valid_until);
  j["health_card_no"] = mask ? MaskDocumentNumber(p.health_card_no) : p.health_card_no;
  j["status"] = ToCode(p.status);
  j["version"] = p.version;
  j["created_at"] = p.created_at;
  j["updated_at"] = p.updated_at;
  return j;
}

json PersonListJson(const Person& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"sex", ToCode(p.sex)},
          {"birth_date", DateJson(p.birth_date)},
          {"id_type", ToCode(p.id_type)},
          {"id_number_masked", MaskIdNumber(p.id_number)},
          {"phone_masked", MaskPhone(p.phone)},
          {"hukou_division", p.hukou_division},
          {"hukou_division_name", DivisionFullName(p.hukou_division)},
          {"residence_org", p.residence_org},
          {"arrived_on", DateJson(p.arrived_on)},
          {"move_reason", ToCode(p.move_reason)},
          {"status", ToCode(p.status)},
          {"version", p.version},
          {"updated_at", p.updated_at}};
}

}  // namespace jd::registry
