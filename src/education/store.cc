// The SQL of the stored health-education activities (education/store.h).
#include "education/store.h"

namespace jd::education {

namespace {

std::string Text(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i);
}

std::optional<std::string> OptText(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return r.get<std::string>(i);
}

int Int(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? 0 : static_cast<int>(storage::RowInt64(r, i));
}

constexpr const char* kColumns =
    "a.id, a.point_id, p.name, a.kind, a.venue, a.held_on, a.topic, a.organiser, a.attendance, "
    "a.board, a.voided_at, a.voided_by, a.void_reason, a.org_path, a.recorded_at, a.recorded_by, "
    "(SELECT COUNT(*) FROM edu_attendees t WHERE t.activity_id = a.id)";
constexpr const char* kFrom = " FROM edu_activities a JOIN service_points p ON p.id = a.point_id";
constexpr std::size_t kPathColumn = 13;

ActivityRow ReadRow(const soci::row& r) {
  ActivityRow a;
  a.id = r.get<std::string>(0);
  a.point_id = r.get<std::string>(1);
  a.point_name = Text(r, 2);
  a.activity.kind = ParseActivityKind(r.get<std::string>(3)).value_or(ActivityKind::kLecture);
  a.activity.venue = ParseVenue(r.get<std::string>(4)).value_or(Venue::kCommunity);
  a.activity.date = ParseDate(r.get<std::string>(5)).value_or(Date{});
  a.topic = Text(r, 6);
  a.organiser = Text(r, 7);
  a.activity.attendance = Int(r, 8);
  a.activity.board = Text(r, 9);
  a.voided_at = OptText(r, 10);
  a.voided_by = OptText(r, 11);
  a.void_reason = OptText(r, 12);
  a.org_path = r.get<std::string>(13);
  a.recorded_at = r.get<std::string>(14);
  a.recorded_by = r.get<std::string>(15);
  a.attendees = Int(r, 16);
  return a;
}

// The materials of the activities `rows`, in the order they were recorded.
void LoadMaterials(soci::session& s, std::vector<ActivityRow>& rows) {
  for (ActivityRow& a : rows) {
    soci::rowset<soci::row> ms =
        (s.prepare << "SELECT title, format, quantity FROM edu_materials WHERE activity_id = :id "
                      "ORDER BY rowid",
         soci::use(a.id));
    for (const auto& m : ms) {
      a.activity.materials.push_back(
          {.title = m.get<std::string>(0),
           .format = ParseMaterialFormat(m.get<std::string>(1)).value_or(MaterialFormat::kPrinted),
           .quantity = Int(m, 2)});
    }
  }
}

}  // namespace

void EducationStore::InsertActivity(soci::session& s, const ActivityRow& row,
                                    const std::vector<std::string>& attendee_ids) {
  const Activity& a = row.activity;
  const std::string kind(ActivityKindCode(a.kind)), venue(VenueCode(a.venue)),
      held_on = FormatDate(a.date);
  s << "INSERT INTO edu_activities(id, point_id, kind, venue, held_on, topic, organiser, "
       "attendance, board, org_path, recorded_at, recorded_by) VALUES (:id, :point, :kind, "
       ":venue, :on, :topic, :organiser, :attendance, :board, :path, :at, :by)",
      soci::use(row.id), soci::use(row.point_id), soci::use(kind), soci::use(venue),
      soci::use(held_on), soci::use(row.topic), soci::use(row.organiser), soci::use(a.attendance),
      soci::use(a.board), soci::use(row.org_path), soci::use(row.recorded_at),
      soci::use(row.recorded_by);
  for (const Material& m : a.materials) {
    const std::string format(MaterialFormatCode(m.format));
    s << "INSERT INTO edu_materials(activity_id, title, format, quantity) VALUES (:id, :title, "
         ":format, :quantity)",
        soci::use(row.id), soci::use(m.title), soci::use(format), soci::use(m.quantity);
  }
  for (const std::string& person : attendee_ids) {
    s << "INSERT OR IGNORE INTO edu_attendees(activity_id, person_id) VALUES (:id, :person)",
        soci::use(row.id), soci::use(person);
  }
}

auth::ScopedRow<ActivityRow> EducationStore::GetActivity(soci::session& s, const auth::Scope& scope,
                                                         const std::string& id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kColumns + kFrom + " WHERE a.id = :id", soci::use(id));
  std::vector<ActivityRow> out;
  for (const auto& r : rows) {
    if (!scope.Covers(r.get<std::string>(kPathColumn))) {
      return auth::ScopedRow<ActivityRow>::Outside();
    }
    out.push_back(ReadRow(r));
  }
  if (out.empty()) return {};
  LoadMaterials(s, out);
  return auth::ScopedRow<ActivityRow>::Found(std::move(out[0]));
}

std::vector<ActivityRow> EducationStore::ListActivities(soci::session& s, const auth::Scope& scope,
                                                        const ActivityFilter& f) {
  const auth::PathRange range = scope.Range();
  const int any_point = f.point_id.empty() ? 1 : 0, any_kind = f.kind ? 0 : 1,
            voided = f.include_voided ? 1 : 0;
  const std::string kind = f.kind ? std::string(ActivityKindCode(*f.kind)) : std::string();
  const std::string from = f.year ? std::to_string(*f.year) + "-01-01" : std::string("0000");
  const std::string to = f.year ? std::to_string(*f.year) + "-12-31" : std::string("9999");
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kColumns + kFrom +
                        " WHERE a.org_path >= :lo AND a.org_path < :hi AND (:anyp = 1 OR "
                        "a.point_id = :point) AND (:anyk = 1 OR a.kind = :kind) AND (:voided = 1 "
                        "OR a.voided_at IS NULL) AND a.held_on >= :from AND a.held_on <= :to "
                        "ORDER BY a.held_on DESC, a.recorded_at DESC, a.id LIMIT :limit",
       soci::use(range.lo), soci::use(range.hi), soci::use(any_point), soci::use(f.point_id),
       soci::use(any_kind), soci::use(kind), soci::use(voided), soci::use(from), soci::use(to),
       soci::use(f.limit));
  std::vector<ActivityRow> out;
  for (const auto& r : rows) out.push_back(ReadRow(r));
  LoadMaterials(s, out);
  return out;
}

bool EducationStore::Void(soci::session& s, const auth::Scope& scope, const std::string& id,
                          const std::string& at, const std::string& by, const std::string& reason) {
  const auth::PathRange range = scope.Range();
  soci::statement st =
      (s.prepare << "UPDATE edu_activities SET voided_at = :at, voided_by = :by, void_reason = "
                    ":reason WHERE id = :id AND voided_at IS NULL AND org_path >= :lo AND "
                    "org_path < :hi",
       soci::use(at), soci::use(by), soci::use(reason), soci::use(id), soci::use(range.lo),
       soci::use(range.hi));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::map<std::string, std::vector<Activity>> EducationStore::YearActivities(
    soci::session& s, const auth::Scope& scope, const std::string& point_id, int year,
    const Date& until) {
  const auth::PathRange range = scope.Range();
  const std::string from = std::to_string(year - 1) + "-01-01", to = FormatDate(until);
  const int any_point = point_id.empty() ? 1 : 0;
  const std::string where =
      " WHERE a.org_path >= :lo AND a.org_path < :hi AND (:anyp = 1 OR a.point_id = :point) AND "
      "a.voided_at IS NULL AND a.held_on >= :from AND a.held_on <= :to";
  std::map<std::string, std::pair<std::string, Activity>> by_id;  // id → point, activity
  {
    soci::rowset<soci::row> rs = (s.prepare << std::string("SELECT ") + kColumns + kFrom + where,
                                  soci::use(range.lo), soci::use(range.hi), soci::use(any_point),
                                  soci::use(point_id), soci::use(from), soci::use(to));
    for (const auto& r : rs) {
      ActivityRow row = ReadRow(r);
      by_id[row.id] = {row.point_id, std::move(row.activity)};
    }
  }
  soci::rowset<soci::row> ms =
      (s.prepare << "SELECT m.activity_id, m.title, m.format, m.quantity FROM edu_materials m "
                    "JOIN edu_activities a ON a.id = m.activity_id" +
                        where + " ORDER BY m.rowid",
       soci::use(range.lo), soci::use(range.hi), soci::use(any_point), soci::use(point_id),
       soci::use(from), soci::use(to));
  for (const auto& m : ms) {
    auto it = by_id.find(m.get<std::string>(0));
    if (it == by_id.end()) continue;
    it->second.second.materials.push_back(
        {.title = m.get<std::string>(1),
         .format = ParseMaterialFormat(m.get<std::string>(2)).value_or(MaterialFormat::kPrinted),
         .quantity = Int(m, 3)});
  }
  std::map<std::string, std::vector<Activity>> out;
  for (auto& [id, pa] : by_id) out[pa.first].push_back(std::move(pa.second));
  return out;
}

auth::ScopedRow<std::string> EducationStore::PersonIn(soci::session& s,
                                                      const auth::Scope& person_scope,
                                                      const std::string& id) {
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT residence_path FROM persons WHERE id = :id", soci::use(id));
  for (const auto& r : rows) {
    if (!person_scope.Covers(r.get<std::string>(0))) return auth::ScopedRow<std::string>::Outside();
    return auth::ScopedRow<std::string>::Found(id);
  }
  return {};
}

std::vector<AttendeeRow> EducationStore::Attendees(soci::session& s,
                                                   const auth::Scope& person_scope,
                                                   const std::string& activity_id, int& outside) {
  outside = 0;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT p.id, p.name, p.residence_path FROM edu_attendees t JOIN persons p ON "
                    "p.id = t.person_id WHERE t.activity_id = :id ORDER BY p.name, p.id",
       soci::use(activity_id));
  std::vector<AttendeeRow> out;
  for (const auto& r : rows) {
    if (!person_scope.Covers(r.get<std::string>(2))) {
      ++outside;
      continue;
    }
    out.push_back({r.get<std::string>(0), r.get<std::string>(1)});
  }
  return out;
}

}  // namespace jd::education
