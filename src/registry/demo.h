// File: registry/demo.h
// A deterministic synthetic migrant population of 南宁市 (450100) for `jundeng demo` and the
// benchmarks. Everything is made up except the city's 12 districts and counties (GB/T 2260) and the
// GB/T 2260 codes of the source counties in ID numbers; see data/demo/SOURCE.md for the tables.
//
// GenerateOrgTree(seed): the city, its current districts and counties (Divisions::CountiesOf), 4–8
//   streets or townships under each and 3–6 communities or villages under each of those. Codes
//   follow the statistical division codes: street = county code + 3 digits (001–099 街道,
//   100–199 镇, 200–299 乡), community = street code + 3 digits (001–199 社区 居委会,
//   200–399 村 村委会). Urban districts get mostly 街道, counties 镇 and 乡. Units are listed
//   parents first; paths look like "450100/450103/450103001/450103001001/". The same seed always
//   gives the same tree.
// DemoPersonGenerator(tree, options): persons living in the communities of `tree` (REQUIRES: a
//   tree from GenerateOrgTree) as of options.as_of. Generate(i) is a pure function of
//   (options.seed, options.as_of, i, the tree) and Next() returns Generate(0), Generate(1), ... —
//   so the i-th person is the same for the same seed whatever else was generated. `id`,
//   `person_id` and the audit fields are left empty for the service to fill in; documents carry
//   submitted_by/reviewed_by "demo". options.persons is the number a caller should ask for;
//   Next() itself does not stop. Generation allocates only the strings and the document vector of
//   the result. The generator copies what it needs from the tree. Next is not thread-safe;
//   Generate is const and may run concurrently.
// DemoUsers(tree): demo accounts, all on the city unless said otherwise: "secadmin", "sysadmin",
//   "auditor" (the three administrators of 等保 2.0), "commission", "district_<code>" for the first
//   two districts with their "cdc_<code>", "psychiatry_<code>" and "partner_<code>",
//   "center_<code>" for the first street of each of those, "village_<code>" for the first
//   community of the first of those streets, "cdc", "finance" and "partner". REQUIRES: a tree
//   from GenerateOrgTree.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "auth/model.h"
#include "core/dates.h"
#include "registry/model.h"

namespace jd::registry {

struct DemoOptions {
  std::int64_t persons = 2000;
  std::uint64_t seed = 1;
  // The date the population is described at (ages, residence durations, permit validity).
  Date as_of = std::chrono::year{2025} / 6 / 30;
};

struct DemoOrgTree {
  std::vector<OrgUnit> units;
};

DemoOrgTree GenerateOrgTree(std::uint64_t seed);

struct DemoPerson {
  Person person;
  std::vector<Document> documents;
};

class DemoPersonGenerator {
 public:
  DemoPersonGenerator(const DemoOrgTree& tree, DemoOptions options);

  DemoPerson Next() { return Generate(next_++); }
  DemoPerson Generate(std::int64_t index) const;
  const DemoOptions& options() const { return options_; }

 private:
  // A current county persons may come from.
  struct SourceCounty {
    std::string code;
    std::string full_name;   // "广西壮族自治区桂林市灵川县"
    std::string short_name;  // "灵川县"
    std::string police;      // the public security bureau that issues its ID cards
    bool urban = false;      // a district (区) of a city
  };
  // A community or village of the tree that persons may live in.
  struct Home {
    std::string code;
    std::string path;
    std::string address_prefix;  // "南宁市青秀区民乐街道长岗社区"
    std::string community_root;  // "长岗"
    std::string police;          // the bureau that issues its residence permits
    bool village = false;
  };
  // Source regions by province, with their sampling weights.
  struct SourcePool {
    std::vector<SourceCounty> counties;
    int weight = 0;
    int ethnic_table = 0;  // which ethnicity distribution applies
    bool guangxi = false;  // Guangxi surname frequencies apply
  };

  DemoOptions options_;
  std::int64_t next_ = 0;
  std::vector<SourcePool> pools_;
  std::vector<std::uint32_t> pool_cumulative_;
  std::vector<Home> homes_;
  std::vector<std::uint32_t> home_cumulative_;
};

struct DemoUser {
  std::string username;
  auth::Role role = auth::Role::kCenter;
  std::string org_code;
  std::string display_name;
};

std::vector<DemoUser> DemoUsers(const DemoOrgTree& tree);

// The name tables, exposed so that tests can check them against data/demo/*.csv.
namespace demo_tables {
struct Surname {
  std::string_view surname;
  int national_weight;
  int guangxi_weight;
};
enum class NameUse { kMale, kFemale, kAny };
struct NameChar {
  std::string_view ch;
  NameUse use;
};
enum class PlacePosition { kFirst, kSecond };
struct PlaceChar {
  std::string_view ch;
  PlacePosition position;
};
std::span<const Surname> Surnames();
std::span<const NameChar> GivenNameChars();
std::span<const PlaceChar> PlaceNameChars();
}  // namespace demo_tables

}  // namespace jd::registry
