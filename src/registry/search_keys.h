// File: registry/search_keys.h
// What a person can be found by, as index keys, and how a search text becomes ranges of those keys:
// any part of the name, the name's pinyin initials, the last digits of a phone, the last characters
// of an ID number. Pure functions; the store (registry/person_store.h) keeps the keys in
// person_search_keys beside each person and runs the ranges.
//
// PersonSearchKeys(name, phone, id_number): the distinct keys of one person, each "<kind>:<text>":
//   "n:" every suffix of the name that starts at a Chinese (non-ASCII) character or at the start of
//        a Latin word, ASCII letters lower-cased: 王丽萍 → n:王丽萍, n:丽萍, n:萍; so a prefix of a
//        key is any part of the name;
//   "p:" pinyin initials of a name written in Chinese characters (a "·" or space between parts is
//        skipped), from each character on while two or more letters remain: 王丽萍 → p:wlp, p:lp;
//        the surname in each of its readings (单 dān/shàn: p:dl…, p:sl…), the other characters in
//        their most common reading (a rarer reading of a given name is not found by initials);
//   "c:" each Chinese character of the name on its own (王丽萍 → c:王, c:丽, c:萍): a search for
//   one
//        character is then one key, whose rows the residence path orders, so a street finds its
//        own matches without reading the city's (the "n:" range of one character spans thousands
//        of keys, each with its own residence paths);
//   "m:" the phone's digits reversed (its last digits are a prefix);
//   "d:" the ID number reversed, upper-case X (its last characters are a prefix).
// PlanPersonSearch(q): the key ranges a search text looks in, and the ID-number prefix range
//   (persons.id_number) where it applies; by the text's shape (trimmed, ASCII lower-cased):
//   - digits (and X): fewer than 4 → ID number prefix; 4–5 → phone tail; 6–11 digits → phone tail
//     and ID tail; a whole ID number (15 or 18) → that number; 12–17 others, or with X → ID tail
//     and ID number prefix;
//   - Latin letters only → name part (Latin names) and pinyin initials;
//   - one Chinese character → that character's "c:" key, exactly (KeyRange::exact);
//   - anything else → name part.
//   Empty text: no ranges (the store lists everyone in scope). Ranges are [lo, hi), hi = lo +
//   U+10FFFF.
// PinyinInitials(c): the initial letters of a character's readings
// (data/registry/pinyin_initials.csv,
//   most common first), empty when it has none.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace jd::registry {

struct KeyRange {
  std::string lo, hi;
  bool exact = false;  // the one key lo (hi = lo + U+10FFFF as for a prefix)
  bool operator==(const KeyRange&) const = default;
};

struct PersonSearchPlan {
  std::vector<KeyRange> keys;       // ranges of person_search_keys.key
  std::vector<KeyRange> id_number;  // at most one range of persons.id_number
  bool empty() const { return keys.empty() && id_number.empty(); }
};

std::vector<std::string> PersonSearchKeys(std::string_view name, std::string_view phone,
                                          std::string_view id_number);
PersonSearchPlan PlanPersonSearch(std::string_view q);
std::string_view PinyinInitials(char32_t c);

}  // namespace jd::registry
