#include "registry/demo.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "auth/permissions.h"
#include "registry/codes.h"
#include "registry/divisions.h"
#include "registry/id_number.h"
#include "registry/person_rules.h"

namespace jd::registry {
namespace {

using namespace std::chrono;

// Every field of a generated person and its documents, for comparisons.
std::string Describe(const DemoPerson& d) {
  const Person& p = d.person;
  auto date = [](const std::optional<Date>& x) { return x ? FormatDate(*x) : std::string("-"); };
  std::ostringstream s;
  s << p.name << '|' << ToCode(p.sex) << '|' << FormatDate(p.birth_date) << '|' << ToCode(p.id_type)
    << '|' << p.id_number << '|' << p.ethnicity << '|' << p.phone << '|' << p.hukou_division << '|'
    << p.hukou_address << '|' << p.residence_org << '|' << p.residence_path << '|'
    << p.residence_address << '|' << date(p.left_hukou_on) << '|' << FormatDate(p.arrived_on) << '|'
    << ToCode(p.move_reason) << '|' << p.occupation << '|' << p.employer << '|'
    << ToCode(p.marital_status) << '|' << p.residence_permit_no << '|'
    << date(p.residence_permit_valid_until) << '|' << p.health_card_no;
  for (const Document& doc : d.documents) {
    s << "|doc:" << ToCode(doc.type) << ',' << doc.number << ',' << doc.issued_by << ','
      << date(doc.issued_on) << ',' << date(doc.valid_until) << ',' << ToCode(doc.status) << ','
      << doc.submitted_at << ',' << doc.reviewed_at << ',' << doc.review_reason;
  }
  return s.str();
}

class DemoTest : public ::testing::Test {
 protected:
  static const DemoOrgTree& Tree() {
    static const DemoOrgTree kTree = GenerateOrgTree(1);
    return kTree;
  }
  static DemoOptions Options(std::uint64_t seed) {
    DemoOptions o;
    o.seed = seed;
    o.as_of = 2025y / June / 30;
    return o;
  }
};

TEST_F(DemoTest, OrgTreeHasTheRealDistrictsOfNanning) {
  const DemoOrgTree& tree = Tree();
  ASSERT_FALSE(tree.units.empty());
  EXPECT_EQ(tree.units[0].code, "450100");
  EXPECT_EQ(tree.units[0].name, "南宁市");
  EXPECT_EQ(tree.units[0].level, OrgLevel::kCity);
  EXPECT_EQ(tree.units[0].path, "450100/");
  std::map<std::string, std::string> districts;
  for (const OrgUnit& u : tree.units) {
    if (u.level == OrgLevel::kDistrict) {
      districts[u.code] = u.name;
      EXPECT_EQ(u.parent_code, "450100");
      EXPECT_EQ(u.path, "450100/" + u.code + "/");
    }
  }
  const std::map<std::string, std::string> expected = {
      {"450102", "兴宁区"}, {"450103", "青秀区"}, {"450105", "江南区"}, {"450107", "西乡塘区"},
      {"450108", "良庆区"}, {"450109", "邕宁区"}, {"450110", "武鸣区"}, {"450123", "隆安县"},
      {"450124", "马山县"}, {"450125", "上林县"}, {"450126", "宾阳县"}, {"450181", "横州市"},
  };
  EXPECT_EQ(districts, expected);
}

TEST_F(DemoTest, OrgTreeShape) {
  const DemoOrgTree& tree = Tree();
  std::map<std::string, const OrgUnit*> by_code;
  std::set<std::string> names;
  std::map<std::string, int> children;
  for (const OrgUnit& u : tree.units) {
    // Parents come first, codes and names are unique, paths extend the parent's.
    EXPECT_TRUE(by_code.emplace(u.code, &u).second) << u.code;
    EXPECT_TRUE(names.insert(u.name).second) << u.name;
    if (u.level == OrgLevel::kCity) continue;
    ASSERT_TRUE(by_code.count(u.parent_code)) << u.code;
    const OrgUnit& parent = *by_code[u.parent_code];
    EXPECT_EQ(u.path, parent.path + u.code + "/");
    EXPECT_TRUE(u.code.starts_with(parent.code.substr(0, u.level == OrgLevel::kDistrict ? 4 : 99)));
    ++children[u.parent_code];
    if (u.level == OrgLevel::kStreet) {
      ASSERT_EQ(u.code.size(), 9u);
      const int n = std::stoi(u.code.substr(6));
      if (u.name.ends_with("街道")) {
        EXPECT_TRUE(n >= 1 && n <= 99) << u.code;
      } else if (u.name.ends_with("镇")) {
        EXPECT_TRUE(n >= 100 && n <= 199) << u.code;
      } else {
        EXPECT_TRUE(u.name.ends_with("乡")) << u.name;
        EXPECT_TRUE(n >= 200 && n <= 299) << u.code;
      }
    }
    if (u.level == OrgLevel::kCommunity) {
      ASSERT_EQ(u.code.size(), 12u);
      const int n = std::stoi(u.code.substr(9));
      if (parent.name.ends_with("街道")) {
        EXPECT_TRUE(u.name.ends_with("社区")) << u.name;
        EXPECT_TRUE(n >= 1 && n <= 199) << u.code;
      } else {
        EXPECT_TRUE(u.name.ends_with("村")) << u.name;
        EXPECT_TRUE(n >= 200 && n <= 399) << u.code;
      }
      EXPECT_EQ(u.path.size(), 7u + 7u + 10u + 13u);
    }
  }
  for (const OrgUnit& u : tree.units) {
    if (u.level == OrgLevel::kDistrict || u.level == OrgLevel::kStreet) {
      const int n = children[u.code];
      if (u.level == OrgLevel::kDistrict) {
        EXPECT_TRUE(n >= 4 && n <= 8) << u.code << " has " << n;
      } else {
        EXPECT_TRUE(n >= 3 && n <= 6) << u.code << " has " << n;
      }
    }
  }
  // Urban districts are mostly 街道, counties 镇 and 乡.
  int qingxiu_jiedao = 0, longan_jiedao = 0;
  for (const OrgUnit& u : tree.units) {
    if (u.level != OrgLevel::kStreet || !u.name.ends_with("街道")) continue;
    if (u.parent_code == "450103") ++qingxiu_jiedao;
    if (u.parent_code == "450123") ++longan_jiedao;
  }
  EXPECT_GT(qingxiu_jiedao * 2, children["450103"]);
  EXPECT_EQ(longan_jiedao, 0);
}

TEST_F(DemoTest, OrgTreeIsDeterministic) {
  const DemoOrgTree again = GenerateOrgTree(1);
  ASSERT_EQ(again.units.size(), Tree().units.size());
  for (std::size_t i = 0; i < again.units.size(); ++i) {
    EXPECT_EQ(again.units[i].code, Tree().units[i].code);
    EXPECT_EQ(again.units[i].name, Tree().units[i].name);
  }
  const DemoOrgTree other = GenerateOrgTree(2);
  bool differs = other.units.size() != Tree().units.size();
  for (std::size_t i = 0; !differs && i < other.units.size(); ++i) {
    differs = other.units[i].name != Tree().units[i].name;
  }
  EXPECT_TRUE(differs);
}

TEST_F(DemoTest, SameSeedSamePersons) {
  DemoPersonGenerator a(Tree(), Options(7));
  DemoPersonGenerator b(Tree(), Options(7));
  DemoPersonGenerator c(Tree(), Options(8));
  int same_as_other_seed = 0;
  for (int i = 0; i < 100; ++i) {
    const std::string x = Describe(a.Next());
    EXPECT_EQ(x, Describe(b.Next())) << i;
    if (x == Describe(c.Next())) ++same_as_other_seed;
    // The i-th person does not depend on what was generated before.
    EXPECT_EQ(x, Describe(b.Generate(i)));
  }
  EXPECT_EQ(same_as_other_seed, 0);
  EXPECT_EQ(Describe(a.Generate(12345)),
            Describe(DemoPersonGenerator(Tree(), Options(7)).Generate(12345)));
}

TEST_F(DemoTest, ResidentIdsAreValid) {
  DemoPersonGenerator gen(Tree(), Options(3));
  const Divisions& divisions = Divisions::Builtin();
  int birth_certificates = 0;
  for (int i = 0; i < 20000; ++i) {
    const Person p = gen.Next().person;
    if (p.id_type == IdType::kBirthCertificate) {
      ++birth_certificates;
      EXPECT_LT(AgeInYears(p.birth_date, Options(3).as_of), 1);
      continue;
    }
    ASSERT_EQ(p.id_type, IdType::kResidentId);
    ASSERT_EQ(p.id_number.size(), 18u) << p.id_number;
    // ISO 7064 MOD 11-2 (GB 11643-1999 §7), recomputed.
    EXPECT_EQ(p.id_number[17], IdCheckCharacter(std::string_view(p.id_number).substr(0, 17)))
        << p.id_number;
    EXPECT_EQ(p.id_number.substr(0, 6), p.hukou_division);
    EXPECT_TRUE(divisions.IsCurrent(p.hukou_division)) << p.hukou_division;
    std::string birth = FormatDate(p.birth_date);
    birth.erase(7, 1);
    birth.erase(4, 1);
    EXPECT_EQ(p.id_number.substr(6, 8), birth);
    const int sequence = std::stoi(p.id_number.substr(14, 3));
    EXPECT_EQ(sequence % 2 == 1, p.sex == Sex::kMale) << p.id_number;
    EXPECT_GT(sequence, 0);
    if (i < 500) {
      IdCheck check = CheckResidentId(p.id_number, Options(3).as_of);
      EXPECT_TRUE(check.valid) << p.id_number;
    }
  }
  EXPECT_GT(birth_certificates, 0);
}

TEST_F(DemoTest, PersonsPassValidationAndLiveInTheTree) {
  std::map<std::string, std::string> paths;
  for (const OrgUnit& u : Tree().units) {
    if (u.level == OrgLevel::kCommunity) paths[u.code] = u.path;
  }
  DemoPersonGenerator gen(Tree(), Options(5));
  for (int i = 0; i < 3000; ++i) {
    const DemoPerson d = gen.Next();
    const Person& p = d.person;
    EXPECT_TRUE(p.id.empty());
    for (const FieldError& e : ValidatePerson(p, Options(5).as_of)) {
      ADD_FAILURE() << Describe(d) << ": " << e.field << " " << e.code << " " << e.message_en;
    }
    ASSERT_TRUE(paths.count(p.residence_org)) << p.residence_org;
    EXPECT_EQ(p.residence_path, paths[p.residence_org]);
    EXPECT_TRUE(p.residence_address.starts_with("南宁市")) << p.residence_address;
    EXPECT_FALSE(p.hukou_address.empty());
    EXPECT_LE(p.arrived_on, Options(5).as_of);
    if (p.left_hukou_on) {
      EXPECT_LE(*p.left_hukou_on, p.arrived_on);
    }
    if (AgeInYears(p.birth_date, Options(5).as_of) >= 16) {
      EXPECT_EQ(p.phone.size(), 11u);
    }
    for (const Document& doc : d.documents) {
      EXPECT_FALSE(doc.submitted_at.empty());
      EXPECT_LE(doc.submitted_at.substr(0, 10), "2025-06-30");
      if (doc.status == DocumentStatus::kPending) {
        EXPECT_TRUE(doc.reviewed_at.empty());
      } else {
        EXPECT_GE(doc.reviewed_at, doc.submitted_at);
        EXPECT_LE(doc.reviewed_at.substr(0, 10), "2025-06-30");
      }
      EXPECT_EQ(doc.status == DocumentStatus::kRejected, !doc.review_reason.empty());
    }
  }
}

TEST_F(DemoTest, PopulationProportions) {
  const Date as_of = Options(11).as_of;
  DemoPersonGenerator gen(Tree(), Options(11));
  constexpr int kN = 20000;
  int male = 0, under7 = 0, age7to17 = 0, age20to45 = 0, over60 = 0, adults = 0, permits = 0,
      expired = 0, guangxi_other = 0, nanning = 0, zhuang = 0, han = 0;
  int stay[5] = {};  // <30 days, 30 days–3 months, 3–6 months, 6–12 months, 1 year+
  std::map<MoveReason, int> reasons;
  std::map<DocumentStatus, int> doc_status;
  std::map<DocumentType, int> doc_types;
  for (int i = 0; i < kN; ++i) {
    const DemoPerson d = gen.Next();
    const Person& p = d.person;
    const int age = AgeInYears(p.birth_date, as_of);
    male += p.sex == Sex::kMale;
    under7 += age <= 6;
    age7to17 += age >= 7 && age <= 17;
    age20to45 += age >= 20 && age <= 45;
    over60 += age >= 60;
    if (age >= 18) {
      ++adults;
      if (!p.residence_permit_no.empty()) {
        ++permits;
        expired += *p.residence_permit_valid_until < as_of;
      }
    }
    nanning += p.hukou_division.starts_with("4501");
    guangxi_other += p.hukou_division.starts_with("45") && !p.hukou_division.starts_with("4501");
    han += p.ethnicity == "01";
    zhuang += p.ethnicity == "08";
    const Date arrived = p.arrived_on;
    if (AddDays(arrived, 30) > as_of) {
      ++stay[0];
    } else if (AddMonths(arrived, 3) > as_of) {
      ++stay[1];
    } else if (AddMonths(arrived, 6) > as_of) {
      ++stay[2];
    } else if (AddYears(arrived, 1) > as_of) {
      ++stay[3];
    } else {
      ++stay[4];
    }
    ++reasons[p.move_reason];
    for (const Document& doc : d.documents) {
      ++doc_status[doc.status];
      ++doc_types[doc.type];
    }
  }
  auto share = [](int n) { return 100.0 * n / kN; };
  EXPECT_NEAR(share(male), 52, 2);
  EXPECT_NEAR(share(under7), 10, 2);
  EXPECT_NEAR(share(age7to17), 8, 2);
  EXPECT_NEAR(share(age20to45), 62, 4);
  EXPECT_NEAR(share(over60), 4, 1.5);
  EXPECT_NEAR(100.0 * permits / adults, 40, 6);
  EXPECT_GT(expired, 0);
  EXPECT_LT(expired * 4, permits);
  EXPECT_NEAR(share(guangxi_other), 45, 3);
  EXPECT_NEAR(share(nanning), 5, 1.5);
  EXPECT_GT(han, kN / 2);
  EXPECT_GT(zhuang, kN / 8);
  for (int s : stay) EXPECT_GT(s, kN / 20);
  EXPECT_EQ(reasons.size(), 11u);  // every reason, excluded ones too
  EXPECT_GT(reasons[MoveReason::kWork], kN / 3);
  EXPECT_EQ(doc_status.size(), 3u);
  EXPECT_EQ(doc_types.size(), 5u);
  EXPECT_GT(doc_status[DocumentStatus::kRejected], 50);
}

TEST_F(DemoTest, UsersForEveryRole) {
  const std::vector<DemoUser> users = DemoUsers(Tree());
  std::map<std::string, const OrgUnit*> by_code;
  for (const OrgUnit& u : Tree().units) by_code[u.code] = &u;
  std::map<std::string, auth::Role> roles;
  for (const DemoUser& u : users) {
    EXPECT_TRUE(roles.emplace(u.username, u.role).second) << u.username;
    EXPECT_TRUE(by_code.count(u.org_code)) << u.username;
    EXPECT_FALSE(u.display_name.empty());
  }
  EXPECT_EQ(roles["secadmin"], auth::Role::kSecadmin);
  EXPECT_EQ(roles["sysadmin"], auth::Role::kSysadmin);
  EXPECT_EQ(roles["auditor"], auth::Role::kAuditor);
  EXPECT_EQ(roles["commission"], auth::Role::kCommission);
  EXPECT_EQ(roles["district_450102"], auth::Role::kDistrict);
  EXPECT_EQ(roles["district_450103"], auth::Role::kDistrict);
  EXPECT_EQ(roles["cdc"], auth::Role::kCdc);
  EXPECT_EQ(roles["finance"], auth::Role::kFinance);
  EXPECT_EQ(roles["partner"], auth::Role::kPartner);
  EXPECT_EQ(roles["cdc_450102"], auth::Role::kCdc);
  EXPECT_EQ(roles["psychiatry_450102"], auth::Role::kPsychiatry);
  EXPECT_EQ(roles["partner_450103"], auth::Role::kPartner);
  std::set<auth::Role> seen;
  int centers = 0;
  for (const DemoUser& u : users) {
    seen.insert(u.role);
    if (u.role == auth::Role::kCenter) {
      ++centers;
      EXPECT_EQ(by_code[u.org_code]->level, OrgLevel::kStreet);
      EXPECT_EQ(u.username, "center_" + u.org_code);
    }
    if (u.role == auth::Role::kVillage) {
      EXPECT_EQ(by_code[u.org_code]->level, OrgLevel::kCommunity);
    }
  }
  EXPECT_EQ(centers, 2);
  EXPECT_EQ(seen.size(), auth::kAllRoles.size());
}

// The tables compiled into demo.cc must be the ones documented in data/demo.
std::vector<std::vector<std::string>> ReadTable(const std::string& name) {
  std::ifstream in(std::string(JD_SOURCE_DIR) + "/data/demo/" + name);
  EXPECT_TRUE(in.good()) << name;
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> fields;
    std::stringstream s(line);
    std::string f;
    while (std::getline(s, f, ',')) fields.push_back(f);
    rows.push_back(fields);
  }
  return rows;
}

TEST(DemoTables, MatchDataFiles) {
  auto surnames = ReadTable("surnames.csv");
  ASSERT_EQ(surnames.size(), demo_tables::Surnames().size());
  for (std::size_t i = 0; i < surnames.size(); ++i) {
    const auto& s = demo_tables::Surnames()[i];
    EXPECT_EQ(surnames[i],
              (std::vector<std::string>{std::string(s.surname), std::to_string(s.national_weight),
                                        std::to_string(s.guangxi_weight)}));
  }
  auto given = ReadTable("given_name_chars.csv");
  ASSERT_EQ(given.size(), demo_tables::GivenNameChars().size());
  for (std::size_t i = 0; i < given.size(); ++i) {
    const auto& c = demo_tables::GivenNameChars()[i];
    const char* use = c.use == demo_tables::NameUse::kMale     ? "male"
                      : c.use == demo_tables::NameUse::kFemale ? "female"
                                                               : "any";
    EXPECT_EQ(given[i], (std::vector<std::string>{std::string(c.ch), use}));
  }
  auto places = ReadTable("place_name_chars.csv");
  ASSERT_EQ(places.size(), demo_tables::PlaceNameChars().size());
  for (std::size_t i = 0; i < places.size(); ++i) {
    const auto& c = demo_tables::PlaceNameChars()[i];
    const char* pos = c.position == demo_tables::PlacePosition::kFirst ? "first" : "second";
    EXPECT_EQ(places[i], (std::vector<std::string>{std::string(c.ch), pos}));
  }
}

TEST_F(DemoTest, HundredThousandPersons) {
  DemoPersonGenerator gen(Tree(), Options(42));
  constexpr int kN = 100000;
  std::size_t checksum = 0;
  // Processor time, so that other work on the machine does not count.
  const std::clock_t start = std::clock();
  for (int i = 0; i < kN; ++i) {
    DemoPerson d = gen.Next();
    checksum += d.person.id_number.size() + d.documents.size();
  }
  const double seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
  EXPECT_GT(checksum, static_cast<std::size_t>(kN) * 10);
  std::printf("generated %d persons in %.3f s of CPU time: %.0f persons/s, %.2f us/person\n", kN,
              seconds, kN / seconds, 1e6 * seconds / kN);
}

}  // namespace
}  // namespace jd::registry
