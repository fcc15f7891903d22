#include "family_planning/supplies.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "core/code_table.h"
#include "core/embedded.h"
#include "core/input.h"
#include "core/shipped_data.h"

namespace jd::family_planning {
namespace {

constexpr CodeTable<Item, 5> kItems{{
    {Item::kOralPill, "oral_pill"},
    {Item::kEmergencyPill, "emergency_pill"},
    {Item::kInjectable, "injectable"},
    {Item::kSpermicide, "spermicide"},
    {Item::kCondom, "condom"},
}};

Status BadCaps(const std::string& what) {
  return Status::Invalid({{"caps", "invalid_caps", "避孕药具限额数据有误：" + what,
                           "the contraceptive caps are broken: " + what}});
}

}  // namespace

std::string_view ItemCode(Item i) { return CodeOf(kItems, i); }
std::optional<Item> ParseItem(std::string_view code) { return ParseCode(kItems, code); }

const ItemCap& Caps::Of(Item i) const {
  for (const auto& c : items) {
    if (c.item == i) return c;
  }
  throw std::logic_error("item missing from parsed caps");
}

Result<Caps> ParseCaps(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("items") || !j["items"].is_array()) {
    return BadCaps("no items array");
  }
  Caps out;
  out.example = j.value("example", false);
  out.source = j.value("source", "");
  std::set<Item> seen;
  for (const auto& i : j["items"]) {
    if (!i.is_object() || !i.contains("item") || !i["item"].is_string() ||
        !i.contains("max_per_record") || !i["max_per_record"].is_number_integer()) {
      return BadCaps("an item needs its code and max_per_record");
    }
    const std::string code = i["item"].get<std::string>();
    auto item = ParseItem(code);
    if (!item) return BadCaps("unknown item " + code);
    if (!seen.insert(*item).second) return BadCaps(code + " twice");
    ItemCap cap{.item = *item,
                .label_zh = i.value("label_zh", code),
                .label_en = i.value("label_en", code),
                .unit_zh = i.value("unit_zh", ""),
                .unit_en = i.value("unit_en", ""),
                .max_per_record = i["max_per_record"].get<int>()};
    if (cap.max_per_record < 1) return BadCaps(code + ": max_per_record is at least 1");
    if (i.contains("yearly_cap") && !i["yearly_cap"].is_null()) {
      if (!i["yearly_cap"].is_number_integer() || i["yearly_cap"].get<int>() < 1) {
        return BadCaps(code + ": yearly_cap is a whole number ≥ 1");
      }
      cap.yearly_cap = i["yearly_cap"].get<int>();
    }
    out.items.push_back(std::move(cap));
  }
  if (seen.size() != kItems.size()) return BadCaps("an item is missing");
  return out;
}

const Caps& DefaultCaps() {
  static const Caps kCaps =
      ParseShipped(ParseCaps, embedded::family_planning_caps(), "contraceptive caps");
  return kCaps;
}

int QuantityInYear(const std::vector<Distribution>& history, Item item, int y) {
  int total = 0;
  for (const auto& d : history) {
    if (d.item == item && static_cast<int>(d.given_on.year()) == y) total += d.quantity;
  }
  return total;
}

std::vector<FieldError> CheckDistribution(const Distribution& d, const Caps& caps,
                                          int received_this_year, const Date& today) {
  FieldErrors errors;
  const ItemCap& cap = caps.Of(d.item);
  if (d.quantity <= 0) {
    errors.Add("quantity", "not_positive", "数量须大于0", "quantity must be above 0");
  } else if (d.quantity > cap.max_per_record) {
    errors.Add("quantity", "too_large",
               fmt::format("{}每次发放不能超过{}{}", cap.label_zh, cap.max_per_record, cap.unit_zh),
               fmt::format("at most {} {} of {} at a time", cap.max_per_record, cap.unit_en,
                           cap.label_en));
  } else if (!d.anonymous && cap.yearly_cap && received_this_year + d.quantity > *cap.yearly_cap) {
    const int left = std::max(0, *cap.yearly_cap - received_this_year);
    errors.Add(
        "quantity", "over_yearly_cap",
        fmt::format("{}每人每年限{}{}，本年已领{}{}，本次最多{}{}", cap.label_zh, *cap.yearly_cap,
                    cap.unit_zh, received_this_year, cap.unit_zh, left, cap.unit_zh),
        fmt::format("{} is capped at {} {} a person a year; {} received this year, {} left",
                    cap.label_en, *cap.yearly_cap, cap.unit_en, received_this_year, left));
  }
  if (auto e = CheckDate(d.given_on, DateKind::kPastEvent, today, "given_on", "发放日期")) {
    errors.Add(*e);
  }
  return errors.errors();
}

}  // namespace jd::family_planning
