#include "immunization/demo_guardians.h"

#include <map>
#include <string>
#include <vector>

#include "core/stable_hash.h"

namespace jd::immunization {

namespace {

struct Adult {
  std::string id, name, phone;
  Date birth{};
  int wards = 0;
};

struct Certificate {
  std::string person_id, id_number, name, residence_org, relation;
  Date birth{};
};

std::string Text(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i);
}

// The first character of a name (UTF-8): the surname but for the rare two-character ones.
std::string FirstChar(const std::string& s) {
  if (s.empty()) return s;
  const auto lead = static_cast<unsigned char>(s[0]);
  const std::size_t n = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  return s.substr(0, n);
}

constexpr int kMaxWards = 2;
constexpr std::size_t kTries = 64;

}  // namespace

Result<std::int64_t> DemoGuardians(storage::Database& db, const DemoGuardianOptions& options) {
  std::int64_t linked = 0;
  Status st = db.Write([&](soci::session& s) -> Status {
    // Adults by residence unit and sex ("F"/"M").
    std::map<std::string, std::vector<Adult>> adults;
    const std::string oldest = FormatDate(AddYears(options.as_of, -62));
    const std::string youngest = FormatDate(AddYears(options.as_of, -18));
    soci::rowset<soci::row> people =
        (s.prepare << "SELECT id, name, phone, birth_date, residence_org, sex FROM persons WHERE "
                      "status = 'active' AND birth_date >= :o AND birth_date <= :y ORDER BY "
                      "id_number",
         soci::use(oldest), soci::use(youngest));
    for (const auto& r : people) {
      Adult a{.id = r.get<std::string>(0),
              .name = r.get<std::string>(1),
              .phone = Text(r, 2),
              .birth = ParseDate(r.get<std::string>(3)).value_or(Date{})};
      adults[r.get<std::string>(4) + "/" + r.get<std::string>(5)].push_back(std::move(a));
    }
    std::vector<Certificate> certificates;
    soci::rowset<soci::row> rows =
        (s.prepare << "SELECT v.person_id, p.id_number, p.name, p.residence_org, "
                      "v.guardian_relation, p.birth_date FROM vaccination_files v JOIN persons p "
                      "ON p.id = v.person_id WHERE v.guardian_person_id IS NULL AND "
                      "v.guardian_relation IN ('mother', 'father') ORDER BY p.id_number");
    for (const auto& r : rows) {
      certificates.push_back({.person_id = r.get<std::string>(0),
                              .id_number = r.get<std::string>(1),
                              .name = r.get<std::string>(2),
                              .residence_org = r.get<std::string>(3),
                              .relation = Text(r, 4),
                              .birth = ParseDate(r.get<std::string>(5)).value_or(Date{})});
    }
    std::string guardian_id, guardian_name, guardian_phone, child_id;
    soci::indicator phone_ind = soci::i_ok;
    soci::statement update =
        (s.prepare << "UPDATE vaccination_files SET guardian_person_id = :g, guardian_name = :n, "
                      "guardian_phone = :ph WHERE person_id = :p",
         soci::use(guardian_id), soci::use(guardian_name), soci::use(guardian_phone, phone_ind),
         soci::use(child_id));
    for (const auto& c : certificates) {
      SplitMixStream rng{SplitMix64(options.seed ^ 0x6A09E667F3BCC909ULL) ^ Fnv1a64(c.id_number)};
      if (!rng.PerMille(options.link_per_mille)) continue;
      const bool mother = c.relation == "mother";
      auto it = adults.find(c.residence_org + (mother ? "/F" : "/M"));
      if (it == adults.end() || it->second.empty()) continue;
      std::vector<Adult>& pool = it->second;
      const int min_age = mother ? 18 : 20, max_age = mother ? 45 : 55;
      const std::string surname = FirstChar(c.name);
      Adult* chosen = nullptr;
      const std::size_t start = rng.Next() % pool.size();
      for (std::size_t k = 0; k < std::min(kTries, pool.size()); ++k) {
        Adult& a = pool[(start + k) % pool.size()];
        const int age = AgeInYears(a.birth, c.birth);
        if (a.wards >= kMaxWards || age < min_age || age > max_age) continue;
        if (!chosen) chosen = &a;
        if (mother || FirstChar(a.name) == surname) {
          chosen = &a;
          break;
        }
      }
      if (!chosen) continue;
      ++chosen->wards;
      guardian_id = chosen->id;
      guardian_name = chosen->name;
      guardian_phone = chosen->phone;
      phone_ind = guardian_phone.empty() ? soci::i_null : soci::i_ok;
      child_id = c.person_id;
      update.execute(true);
      ++linked;
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return linked;
}

}  // namespace jd::immunization
