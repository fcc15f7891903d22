// File: registry/codes.h
// Stable API spellings and Chinese display labels of every enum of registry/model.h. The codes are
// what the HTTP API, the CLI, CSV files and the database use; never change one once released.
//
// ToCode(e): the API code, e.g. ToCode(MoveReason::kWork) == "work".
// LabelZh(e): the Chinese label for display, e.g. "务工".
// ParseX(text): the value for an API code (ASCII case ignored) or a Chinese label or alias, with
//   surrounding spaces ignored; nullopt otherwise.
// CodeTable<E>(): every value of E with its code, label and alias, in declaration order.
// AllowedCodes<E>(): the codes joined with ", ", for error messages.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "registry/model.h"

namespace jd::registry {

template <typename E>
struct CodeEntry {
  E value;
  std::string_view code;
  std::string_view label_zh;
  std::string_view alias_zh;  // another accepted Chinese spelling, or empty
};

template <typename E>
std::span<const CodeEntry<E>> CodeTable();
template <>
std::span<const CodeEntry<Sex>> CodeTable<Sex>();
template <>
std::span<const CodeEntry<IdType>> CodeTable<IdType>();
template <>
std::span<const CodeEntry<MoveReason>> CodeTable<MoveReason>();
template <>
std::span<const CodeEntry<MaritalStatus>> CodeTable<MaritalStatus>();
template <>
std::span<const CodeEntry<PersonStatus>> CodeTable<PersonStatus>();
template <>
std::span<const CodeEntry<ResidenceEventType>> CodeTable<ResidenceEventType>();
template <>
std::span<const CodeEntry<DocumentType>> CodeTable<DocumentType>();
template <>
std::span<const CodeEntry<DocumentStatus>> CodeTable<DocumentStatus>();
template <>
std::span<const CodeEntry<OrgLevel>> CodeTable<OrgLevel>();

namespace codes_internal {
std::string_view Trim(std::string_view s);
bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b);
}  // namespace codes_internal

template <typename E>
std::optional<E> ParseCode(std::string_view text) {
  text = codes_internal::Trim(text);
  if (text.empty()) return std::nullopt;
  for (const CodeEntry<E>& e : CodeTable<E>()) {
    if (codes_internal::EqualsIgnoreAsciiCase(text, e.code) || text == e.label_zh ||
        (!e.alias_zh.empty() && text == e.alias_zh)) {
      return e.value;
    }
  }
  return std::nullopt;
}

template <typename E>
std::string AllowedCodes() {
  std::string out;
  for (const CodeEntry<E>& e : CodeTable<E>()) {
    if (!out.empty()) out += ", ";
    out += e.code;
  }
  return out;
}

std::string_view ToCode(Sex v);
std::string_view ToCode(IdType v);
std::string_view ToCode(MoveReason v);
std::string_view ToCode(MaritalStatus v);
std::string_view ToCode(PersonStatus v);
std::string_view ToCode(ResidenceEventType v);
std::string_view ToCode(DocumentType v);
std::string_view ToCode(DocumentStatus v);
std::string_view ToCode(OrgLevel v);

std::string_view LabelZh(Sex v);
std::string_view LabelZh(IdType v);
std::string_view LabelZh(MoveReason v);
std::string_view LabelZh(MaritalStatus v);
std::string_view LabelZh(PersonStatus v);
std::string_view LabelZh(ResidenceEventType v);
std::string_view LabelZh(DocumentType v);
std::string_view LabelZh(DocumentStatus v);
std::string_view LabelZh(OrgLevel v);

std::optional<Sex> ParseSex(std::string_view text);
std::optional<IdType> ParseIdType(std::string_view text);
std::optional<MoveReason> ParseMoveReason(std::string_view text);
std::optional<MaritalStatus> ParseMaritalStatus(std::string_view text);
std::optional<PersonStatus> ParsePersonStatus(std::string_view text);
std::optional<ResidenceEventType> ParseResidenceEventType(std::string_view text);
std::optional<DocumentType> ParseDocumentType(std::string_view text);
std::optional<DocumentStatus> ParseDocumentStatus(std::string_view text);
std::optional<OrgLevel> ParseOrgLevel(std::string_view text);

}  // namespace jd::registry
