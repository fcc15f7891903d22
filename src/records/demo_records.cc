#include "records/demo_records.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <vector>

#include "core/stable_hash.h"
#include "records/health_record.h"
#include "records/store.h"
#include "registry/codes.h"

namespace jd::records {

namespace {

struct Candidate {
  std::string person_id;
  std::string identity;  // id_type + ":" + id_number
  std::string area;
  std::string clinic;
  Date established_on{};
  bool electronic = false;
};

std::string Text(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i);
}

}  // namespace

Result<DemoRecordCounts> DemoRecords(storage::Database& db, const DemoRecordOptions& options) {
  DemoRecordCounts counts;
  std::vector<Candidate> chosen;
  Status st = db.Read([&](soci::session& s) -> Status {
    std::set<std::string> orgs;
    soci::rowset<soci::row> units = (s.prepare << "SELECT code FROM org_units");
    for (const auto& r : units) orgs.insert(r.get<std::string>(0));
    soci::rowset<soci::row> rows =
        (s.prepare
         << "SELECT id, id_type, id_number, birth_date, hukou_division, residence_org, "
            "left_hukou_on, arrived_on, move_reason FROM persons WHERE status = 'active'");
    for (const auto& r : rows) {
      auto birth = ParseDate(r.get<std::string>(3));
      auto arrived = ParseDate(r.get<std::string>(7));
      auto reason = registry::ParseMoveReason(r.get<std::string>(8));
      std::string residence = r.get<std::string>(5);
      auto area = RecordAreaOf(residence);
      if (!birth || !arrived || !reason || !area) continue;
      registry::EligibilityFacts f;
      f.birth_date = *birth;
      f.hukou_division = r.get<std::string>(4);
      f.residence_division = residence.substr(0, 6);
      f.left_hukou_on = ParseDate(Text(r, 6));
      f.arrived_on = *arrived;
      f.reason = *reason;
      registry::EligibilityWindows w = registry::Windows(f, options.policy);
      if (!w.health_record_from || *w.health_record_from > options.as_of) continue;
      ++counts.entitled;
      Candidate c;
      c.identity = r.get<std::string>(1) + ":" + r.get<std::string>(2);
      std::uint64_t h = SplitMix64(options.seed ^ Fnv1a64(c.identity));
      if (static_cast<int>(h % 1000) >= options.established_per_mille) continue;
      c.electronic = static_cast<int>((h >> 10) % 1000) < options.electronic_per_mille;
      int span = std::max(0, DaysBetween(*w.health_record_from, options.as_of));
      c.established_on = AddDays(*w.health_record_from,
                                 static_cast<int>((h >> 20) % (static_cast<unsigned>(span) + 1)));
      // The street's health centre keeps the records of its communities (a community code is
      // its street's code + 3 digits, registry/demo.h).
      c.clinic = residence.size() == 12 && orgs.count(residence.substr(0, 9))
                     ? residence.substr(0, 9)
                     : residence;
      c.person_id = r.get<std::string>(0);
      c.area = std::move(*area);
      chosen.push_back(std::move(c));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;

  // Serials follow the identity documents within an area, independent of the database ids.
  std::sort(chosen.begin(), chosen.end(), [](const Candidate& a, const Candidate& b) {
    return std::tie(a.area, a.identity) < std::tie(b.area, b.identity);
  });
  const std::size_t batch = static_cast<std::size_t>(std::max(1, options.batch_size));
  std::size_t serial_area_start = 0;
  for (std::size_t start = 0; start < chosen.size(); start += batch) {
    const std::size_t end = std::min(chosen.size(), start + batch);
    st = db.Write([&](soci::session& s) -> Status {
      HealthRecordInserter ins(s);
      HealthRecord r;
      r.created_at = r.updated_at = options.created_at;
      r.created_by = r.updated_by = options.created_by;
      for (std::size_t i = start; i < end; ++i) {
        const Candidate& c = chosen[i];
        if (i == 0 || chosen[i - 1].area != c.area) serial_area_start = i;
        const std::size_t serial = i - serial_area_start + 1;
        if (serial > static_cast<std::size_t>(kMaxSerial)) continue;  // area full: no record
        r.person_id = c.person_id;
        r.record_no = FormatRecordNo(c.area, static_cast<int>(serial));
        r.established_on = c.established_on;
        r.clinic_code = c.clinic;
        r.electronic = c.electronic;
        ins.Insert(r);
        ++counts.established;
        if (c.electronic) ++counts.electronic;
      }
      return Status::Ok();
    });
    if (!st.ok()) return st;
  }
  return counts;
}

}  // namespace jd::records
