// File: family_planning/supplies.h
// Free contraceptives (免费避孕药具) handed out at service points and self-service machines, as
// pure functions: the items, the yearly caps a person may receive (data), and the validation of
// one distribution record. Nothing here reads a clock, a file or a database.
//
// Sources: 南宁市流动人口基本公共卫生计生服务均等化实施办法 (2017) 四(七)四
// (完善计划生育免费药具发放 服务网络…实现流动人口免费药具全覆盖); the items and the example caps of
// REFERENCE §5 (免费避孕药具, in basic public health services since 2017 [src S12]; 13 packs of
// oral contraceptives and 120 condoms a person a year in Yunnan [src S48]). The shipped caps are
// that EXAMPLE, a local setting to confirm; the cap year is the calendar year (unconfirmed).
//
// ItemCode / ParseItem: stable codes (unknown text → nullopt).
// ParseCaps(text) / DefaultCaps(): data/family_planning/caps.json — every item with its
//   max_per_record (our bound against typing mistakes) and, where set, its yearly_cap
//   (Status::Invalid naming the broken member).
// QuantityInYear(history, item, year): the quantity of `item` a recipient received in `year`.
// CheckDistribution(d, caps, received_this_year, today): field errors in Chinese and English —
//   "quantity" not_positive, too_large (above max_per_record) or over_yearly_cap (a known
//   recipient's received_this_year + quantity above the cap: the message states the cap, what was
//   received and what is left); "given_on" in_future or too_early (before 1900). Anonymous
//   dispensing (a self-service machine) is not capped: nobody to count against.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "core/status.h"

namespace jd::family_planning {

// REFERENCE §5 免费避孕药具: short-acting pills, emergency pills, injectables, spermicides,
// condoms. IUDs and implants are procedures (rules.h), not handed out.
enum class Item { kOralPill, kEmergencyPill, kInjectable, kSpermicide, kCondom };

std::string_view ItemCode(Item i);
std::optional<Item> ParseItem(std::string_view code);

struct ItemCap {
  Item item = Item::kCondom;
  std::string label_zh;
  std::string label_en;
  std::string unit_zh;
  std::string unit_en;
  std::optional<int> yearly_cap;  // per person and calendar year; nullopt: none set
  int max_per_record = 1;
};

struct Caps {
  bool example = false;  // the shipped example, to be confirmed locally
  std::string source;
  std::vector<ItemCap> items;  // one per Item
  const ItemCap& Of(Item i) const;
};

Result<Caps> ParseCaps(std::string_view text);
// data/family_planning/caps.json; throws std::logic_error if the shipped file is broken.
const Caps& DefaultCaps();

struct Distribution {
  Item item = Item::kCondom;
  int quantity = 0;
  Date given_on{};
  bool anonymous = false;  // a self-service machine: no recipient known
};

// The quantity of `item` among `history` (one recipient's distributions) given in calendar year
// `year`.
int QuantityInYear(const std::vector<Distribution>& history, Item item, int year);

std::vector<FieldError> CheckDistribution(const Distribution& d, const Caps& caps,
                                          int received_this_year, const Date& today);

}  // namespace jd::family_planning
