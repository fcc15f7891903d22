// File: registry/ethnicity.h
// GB/T 3304-1991 ethnicity codes (民族代码): "01" 汉族 … "56" 基诺族, "97" 其他,
// "98" 外国血统中国籍人士.
//
// Ethnicities::Builtin(): the embedded table, parsed once (thread-safe).
// Valid(code): `code` is one of the two-digit codes.
// NameZh(code) / NameEn(code): the names of a code; nullopt for an unknown code.
// Resolve(text): the code for imported text: a code ("01", or "1" whose leading zero a spreadsheet
//   dropped), a full Chinese name ("汉族") or the name without 族 ("汉"); nullopt otherwise.
// All(): every entry in code order.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jd::registry {

struct Ethnicity {
  std::string code;  // two digits
  std::string name_zh;
  std::string name_en;
};

class Ethnicities {
 public:
  // Parses CSV text with the header code,name_zh,name_en; malformed lines are skipped.
  explicit Ethnicities(std::string_view csv);

  static const Ethnicities& Builtin();

  bool Valid(std::string_view code) const { return Find(code) != nullptr; }
  std::optional<std::string> NameZh(std::string_view code) const;
  std::optional<std::string> NameEn(std::string_view code) const;
  std::optional<std::string> Resolve(std::string_view text) const;
  const std::vector<Ethnicity>& All() const { return entries_; }

 private:
  const Ethnicity* Find(std::string_view code) const;

  std::vector<Ethnicity> entries_;
};

}  // namespace jd::registry
