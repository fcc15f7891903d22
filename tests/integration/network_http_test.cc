// The stored service network over the JSON API on the real `jundeng serve`: service points and
// gathering places created, listed and changed (If-Match) by the centres; positions accepted in
// GCJ-02 and stored in WGS-84; a centre of another district neither sees nor changes them (404,
// audited as denied) nor files one under a unit outside its street; bad input is problem+json with
// field errors; the "六个一" checklist makes a demonstration point compliant and the district's
// figures follow; the ten-minute circle of a street over its stored points ranks the communities
// left outside (南宁市实施办法 §四(二)(七), §六(二), §六(六)).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/dates.h"
#include "integration/api_client.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "Network-Test-Passw0rd!";

class NetworkHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Demo(/*persons=*/600, /*seed=*/23);
    StreetsOfTwoDistricts streets = FindStreetsOfTwoDistricts(server_->db_path());
    street_a_ = streets.street_a;
    street_b_ = streets.street_b;
    district_a_ = streets.district_a;
    ASSERT_FALSE(street_b_.empty());
    std::map<std::string, int> communities_of;
    for (const auto& u : ReadOrgUnits(server_->db_path())) {
      if (u.level == "city") city_ = u.code;
      if (u.level == "community") ++communities_of[u.parent_code];
    }
    // A third street of district A with four communities or more, for the placement's tiny map.
    for (const auto& u : ReadOrgUnits(server_->db_path())) {
      if (u.level == "street" && u.parent_code == district_a_ && u.code != street_a_ &&
          communities_of[u.code] >= 4 && street_s_.empty()) {
        street_s_ = u.code;
      }
    }
    ASSERT_FALSE(street_s_.empty()) << "district A needs a second street of four communities";
    server_->AddUser("nw_center_s", "center", street_s_, kPassword);
    server_->AddUser("nw_center_a", "center", street_a_, kPassword);
    server_->AddUser("nw_center_b", "center", street_b_, kPassword);
    server_->AddUser("nw_district_a", "district", district_a_, kPassword);
    server_->AddUser("nw_city", "commission", city_, kPassword);
    server_->AddUser("nw_village", "village", street_a_, kPassword);
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);
  }

  static void TearDownTestSuite() { EndSuite(api_, server_, tmp_); }

  static json Point(const std::string& name, double lat, double lon) {
    return {{"kind", "chs_centre"},
            {"name", name},
            {"address", "民族大道1号"},
            {"lat", lat},
            {"lon", lon},
            {"opening_hours", "周一至周五 8:00-17:30"},
            {"staff_count", 12},
            {"services", {"contraceptives", "fp_guidance"}},
            {"free_contraceptives", true}};
  }

  static long long Count(const std::string& sql, const std::string& arg) {
    auto rows = QueryRows(server_->db_path(), sql, {arg});
    return rows.empty() ? -1 : std::stoll(rows[0][0]);
  }
  static long long Denied(const std::string& user) {
    return Count("SELECT COUNT(*) FROM audit_log WHERE username = ?1 AND result = 'denied'", user);
  }
  static bool Listed(const ApiReply& list, const std::string& id) {
    for (const auto& p : list.body["items"]) {
      if (p.value("id", "") == id) return true;
    }
    return false;
  }

  static inline TempDir* tmp_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline ApiClient* api_ = nullptr;
  static inline std::string city_, district_a_, street_a_, street_b_, street_s_;
};

// `jundeng demo` writes a network (network/demo_network.h): every district has a demonstration
// point, most meet the six items and some do not; the circle of a district leaves some of its
// communities outside. First of all: the other tests add rows.
TEST_F(NetworkHttpTest, ADemoCityHasANetworkToLookAt) {
  ApiReply s = api_->Get("/api/v1/network/summary", "nw_city");
  ASSERT_EQ(s.status, 200) << s.raw;
  int compliant = 0, short_of = 0;
  for (const auto& d : s.body["districts"]) {
    EXPECT_EQ(d["demonstration"]["points"], 1) << d;
    (d["demonstration"]["has_compliant"].get<bool>() ? compliant : short_of) += 1;
    EXPECT_GE(d["associations"]["places"].get<int>(), 2) << d;
  }
  EXPECT_GT(compliant, 0);
  EXPECT_GT(short_of, 0) << "every fifth district's point lacks the plaque";
  int outside = 0, located = 0;
  for (const auto& d : s.body["districts"]) {
    ApiReply c = api_->Get("/api/v1/network/areas/" + d.value("code", "") + "/circle", "nw_city");
    ASSERT_EQ(c.status, 200) << c.raw;
    EXPECT_TRUE(c.body["unlocated"].empty()) << "the demo places every community";
    EXPECT_GT(c.body["points"].get<int>(), 0);
    outside += static_cast<int>(c.body["outside"].size());
    located += static_cast<int>(c.body["communities"].size());
  }
  EXPECT_GT(outside, 0);
  EXPECT_LT(outside, located);
}

TEST_F(NetworkHttpTest, CreateListAndChangeAServicePoint) {
  ApiReply made = api_->Post("/api/v1/network/points", "nw_center_a",
                             Point("青秀社区卫生服务中心", 22.8170, 108.3669));
  ASSERT_EQ(made.status, 201) << made.raw;
  const std::string id = made.body.value("id", "");
  EXPECT_EQ(made.body["org_code"], street_a_);  // the caller's unit by default
  EXPECT_EQ(made.body["kind"], "chs_centre");
  EXPECT_EQ(made.body["services"], json({"contraceptives", "fp_guidance"}));
  EXPECT_TRUE(made.body["in_circle"].get<bool>());
  EXPECT_EQ(made.body["version"], 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'network.point.create' AND "
                  "object_id = ?1",
                  id),
            1);

  ApiReply list = api_->Get("/api/v1/network/points", "nw_center_a");
  ASSERT_EQ(list.status, 200) << list.raw;
  EXPECT_TRUE(Listed(list, id));
  ApiReply machines = api_->Get("/api/v1/network/points?kind=distribution_machine", "nw_center_a");
  ASSERT_EQ(machines.status, 200);
  EXPECT_FALSE(Listed(machines, id));

  // A change names the version it was made on; only what is given changes.
  ApiReply stale = api_->Call("PATCH", "/api/v1/network/points/" + id, "nw_center_a",
                              json{{"staff_count", 15}}.dump(), {{"If-Match", "7"}});
  EXPECT_EQ(stale.status, 412) << stale.raw;
  ApiReply changed =
      api_->Call("PATCH", "/api/v1/network/points/" + id, "nw_center_a",
                 json{{"staff_count", 15}, {"active", false}}.dump(), {{"If-Match", "1"}});
  ASSERT_EQ(changed.status, 200) << changed.raw;
  EXPECT_EQ(changed.body["staff_count"], 15);
  EXPECT_FALSE(changed.body["active"].get<bool>());
  EXPECT_FALSE(changed.body["in_circle"].get<bool>());
  EXPECT_EQ(changed.body["name"], "青秀社区卫生服务中心");
  EXPECT_EQ(changed.body["version"], 2);
  ApiReply active = api_->Get("/api/v1/network/points?active=true", "nw_center_a");
  EXPECT_FALSE(Listed(active, id));
  ApiReply read = api_->Get("/api/v1/network/points/" + id, "nw_center_a");
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.body["staff_count"], 15);
}

// GCJ-02 (the datum of Chinese web maps) is converted: what is stored and answered is WGS-84,
// about 300–600 m from the GCJ-02 figures in Nanning.
TEST_F(NetworkHttpTest, Gcj02InputIsStoredInWgs84) {
  json body = Point("自助发放机", 22.8200, 108.3700);
  body["kind"] = "distribution_machine";
  body["coord_system"] = "gcj02";
  ApiReply made = api_->Post("/api/v1/network/points", "nw_center_a", body);
  ASSERT_EQ(made.status, 201) << made.raw;
  EXPECT_EQ(made.body["coord_system"], "wgs84");
  const double dlat = made.body["lat"].get<double>() - 22.8200;
  const double dlon = made.body["lon"].get<double>() - 108.3700;
  EXPECT_GT(std::hypot(dlat, dlon), 0.002) << made.raw;
  EXPECT_LT(std::hypot(dlat, dlon), 0.01) << made.raw;
  json same = Point("自助发放机", 22.8200, 108.3700);
  same["coord_system"] = "wgs84";
  ApiReply wgs = api_->Post("/api/v1/network/points", "nw_center_a", same);
  ASSERT_EQ(wgs.status, 201);
  EXPECT_DOUBLE_EQ(wgs.body["lat"].get<double>(), 22.82);
}

TEST_F(NetworkHttpTest, AnotherDistrictsCentreNeitherSeesNorChangesThePoints) {
  ApiReply made = api_->Post("/api/v1/network/points", "nw_center_a",
                             Point("仙葫社区卫生服务站", 22.80, 108.40));
  ASSERT_EQ(made.status, 201) << made.raw;
  const std::string id = made.body.value("id", "");

  ApiReply list_b = api_->Get("/api/v1/network/points", "nw_center_b");
  ASSERT_EQ(list_b.status, 200);
  EXPECT_FALSE(Listed(list_b, id));
  ApiReply list_city = api_->Get("/api/v1/network/points", "nw_city");
  EXPECT_TRUE(Listed(list_city, id)) << "the city sees every point";

  long long before = Denied("nw_center_b");
  ApiReply read = api_->Get("/api/v1/network/points/" + id, "nw_center_b");
  EXPECT_EQ(read.status, 404) << read.raw;
  EXPECT_EQ(read.raw.find("仙葫"), std::string::npos);
  ApiReply change = api_->Call("PATCH", "/api/v1/network/points/" + id, "nw_center_b",
                               json{{"name", "改名"}}.dump(), {{"If-Match", "1"}});
  EXPECT_EQ(change.status, 404) << change.raw;
  ApiReply check = api_->Post("/api/v1/network/points/" + id + "/checklist", "nw_center_b",
                              {{"item", "plaque"}, {"checked_on", Iso(Today())}});
  EXPECT_EQ(check.status, 404) << check.raw;
  EXPECT_EQ(Denied("nw_center_b"), before + 3);
  // A point filed under a unit outside the caller's street: refused and audited.
  json elsewhere = Point("越界服务点", 22.80, 108.40);
  elsewhere["org_code"] = street_a_;
  ExpectFieldProblem(api_->Post("/api/v1/network/points", "nw_center_b", elsewhere), 400,
                     "org_code", "outside_jurisdiction");
  EXPECT_EQ(Denied("nw_center_b"), before + 4);
  // Unchanged by all that.
  ApiReply after = api_->Get("/api/v1/network/points/" + id, "nw_center_a");
  ASSERT_EQ(after.status, 200);
  EXPECT_EQ(after.body["name"], "仙葫社区卫生服务站");
  EXPECT_EQ(after.body["version"], 1);
  // A village clinic reads the network but does not keep it.
  EXPECT_EQ(
      api_->Post("/api/v1/network/points", "nw_village", Point("村卫生室", 22.8, 108.4)).status,
      403);
}

TEST_F(NetworkHttpTest, BadInputIsAProblemWithFieldErrors) {
  auto post = [](const json& body) {
    return api_->Post("/api/v1/network/points", "nw_center_a", body);
  };
  json lat = Point("纬度错误", 91, 108.3);
  ExpectFieldProblem(post(lat), 400, "lat", "lat_out_of_range");
  json lon = Point("经度错误", 22.8, 181);
  ExpectFieldProblem(post(lon), 400, "lon", "lon_out_of_range");
  json kind = Point("类型错误", 22.8, 108.3);
  kind["kind"] = "hospital";
  ExpectFieldProblem(post(kind), 400, "kind", "invalid_value");
  json name = Point("", 22.8, 108.3);
  ExpectFieldProblem(post(name), 400, "name", "required");
  json datum = Point("坐标系错误", 22.8, 108.3);
  datum["coord_system"] = "bd09";
  ExpectFieldProblem(post(datum), 400, "coord_system", "invalid_value");
  json staff = Point("人数错误", 22.8, 108.3);
  staff["staff_count"] = -1;
  ExpectFieldProblem(post(staff), 400, "staff_count", "out_of_range");

  // Every problem of one body in one answer, each in Chinese and English.
  json all = Point("", 91, 181);
  all["kind"] = "hospital";
  ApiReply r = post(all);
  ASSERT_EQ(r.status, 400) << r.raw;
  std::set<std::string> fields;
  for (const auto& e : r.body["errors"]) {
    fields.insert(e.value("field", ""));
    EXPECT_FALSE(e.value("message_zh", "").empty());
    EXPECT_FALSE(e.value("message_en", "").empty());
  }
  EXPECT_EQ(fields, (std::set<std::string>{"kind", "name", "lat", "lon"}));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM service_points WHERE name = ?1", "纬度错误"), 0);

  // A place too.
  ExpectFieldProblem(
      api_->Post("/api/v1/network/places", "nw_center_a",
                 {{"kind", "market"}, {"name", "集贸市场"}, {"lat", 91}, {"lon", 108.3}}),
      400, "lat", "lat_out_of_range");
  ExpectFieldProblem(
      api_->Post("/api/v1/network/places", "nw_center_a",
                 {{"kind", "school"}, {"name", "学校"}, {"lat", 22.8}, {"lon", 108.3}}),
      400, "kind", "invalid_value");
}

// The one input layer (core/input.h) on the network's writes: control characters, invisible-only
// names, impossible dates, numbers sent as text, and changes without or with a stale If-Match.
TEST_F(NetworkHttpTest, TextDatesAndVersionsGoThroughTheInputLayer) {
  auto post = [](const json& body) {
    return api_->Post("/api/v1/network/points", "nw_center_a", body);
  };
  ExpectFieldProblem(post(Point(std::string("服务站") + '\0' + "x", 22.8, 108.3)), 400, "name",
                     "control_character");
  ExpectFieldProblem(post(Point("\u200b\u200b", 22.8, 108.3)), 400, "name", "blank");
  json text_lat = Point("文本纬度", 22.8, 108.3);
  text_lat["lat"] = "22.8";
  ExpectFieldProblem(post(text_lat), 400, "lat", "wrong_type");
  json flag = Point("标志错误", 22.8, 108.3);
  flag["free_contraceptives"] = "yes";
  ExpectFieldProblem(post(flag), 400, "free_contraceptives", "wrong_type");

  json demo = Point("输入层示范点", 22.8, 108.3);
  demo["kind"] = "demonstration";
  ApiReply made = post(demo);
  ASSERT_EQ(made.status, 201) << made.raw;
  const std::string path = "/api/v1/network/points/" + made.body.value("id", "");
  ApiReply blind = api_->Call("PATCH", path, "nw_center_a", json{{"name", "改名"}}.dump(), {});
  EXPECT_EQ(blind.status, 428) << blind.raw;
  ApiReply stale =
      api_->Call("PATCH", path, "nw_center_a", json{{"name", "改名"}}.dump(), {{"If-Match", "9"}});
  EXPECT_EQ(stale.status, 412) << stale.raw;
  EXPECT_EQ(api_->Get(path, "nw_center_a").body["name"], "输入层示范点");
  for (const auto& [date, code] :
       {std::pair{"2026-13-45", "invalid_date"}, std::pair{"1800-01-01", "too_early"}}) {
    ExpectFieldProblem(
        api_->Post(path + "/checklist", "nw_center_a", {{"item", "plaque"}, {"checked_on", date}}),
        400, "checked_on", code);
  }
  EXPECT_EQ(api_->Get(path, "nw_center_a").body["checklist"].size(), 0u);
}

// 实施办法 §六(二): a demonstration point meets the standard when all six items are in place; the
// district has one, though not by the 2018-05-31 deadline when it was checked today.
TEST_F(NetworkHttpTest, TheSixItemsMakeADemonstrationPointCompliant) {
  json body = Point("流动人口基本公共卫生计生服务示范点", 22.81, 108.35);
  body["kind"] = "demonstration";
  ApiReply made = api_->Post("/api/v1/network/points", "nw_district_a", body);
  ASSERT_EQ(made.status, 201) << made.raw;
  const std::string id = made.body.value("id", "");
  EXPECT_FALSE(made.body["compliance"]["compliant"].get<bool>());
  EXPECT_EQ(made.body["compliance"]["missing"].size(), 6u);
  const std::string path = "/api/v1/network/points/" + id + "/checklist";
  ExpectFieldProblem(api_->Post(path, "nw_district_a",
                                {{"item", "plaque"}, {"checked_on", Iso(AddDays(Today(), 2))}}),
                     400, "checked_on", "in_future");
  ExpectFieldProblem(
      api_->Post(path, "nw_district_a", {{"item", "flag"}, {"checked_on", Iso(Today())}}), 400,
      "item", "invalid_value");
  ApiReply last;
  for (const char* item :
       {"free_services", "lecture_hall", "bulletin_board", "video_player", "materials"}) {
    last = api_->Post(path, "nw_district_a",
                      {{"item", item}, {"checked_on", Iso(AddDays(Today(), -3))}});
    ASSERT_EQ(last.status, 201) << last.raw;
  }
  EXPECT_FALSE(last.body["compliance"]["compliant"].get<bool>());
  EXPECT_EQ(last.body["compliance"]["missing"], json({"plaque"}));

  auto district = [&]() {
    ApiReply s = api_->Get("/api/v1/network/summary", "nw_district_a");
    EXPECT_EQ(s.status, 200) << s.raw;
    EXPECT_EQ(s.body["deadline"], "2018-05-31");
    for (const auto& d : s.body["districts"]) {
      if (d["code"] == district_a_) return d;
    }
    ADD_FAILURE() << "district A is not in the summary: " << s.raw;
    return json();
  };
  // The demo city's own demonstration point of district A is counted too: compare with before.
  const json before = district()["demonstration"];

  ApiReply done =
      api_->Post(path, "nw_district_a", {{"item", "plaque"}, {"checked_on", Iso(Today())}});
  ASSERT_EQ(done.status, 201) << done.raw;
  EXPECT_TRUE(done.body["compliance"]["compliant"].get<bool>());
  EXPECT_EQ(done.body["compliance"]["since"], Iso(Today()));
  EXPECT_EQ(done.body["checklist"].size(), 6u);
  json d = district()["demonstration"];
  EXPECT_TRUE(d["has_compliant"].get<bool>());
  // Checked today: compliant, but not by the deadline, which only an earlier point can have met.
  EXPECT_EQ(d["met_deadline"], before["met_deadline"]);
  EXPECT_EQ(d["compliant"].get<int>(), before["compliant"].get<int>() + 1);
  EXPECT_EQ(d["points"], before["points"]);  // the new point was counted before, not compliant

  // The checklist is for demonstration points only.
  ApiReply centre =
      api_->Post("/api/v1/network/points", "nw_district_a", Point("中心", 22.8, 108.3));
  ASSERT_EQ(centre.status, 201);
  ExpectFieldProblem(
      api_->Post("/api/v1/network/points/" + centre.body.value("id", "") + "/checklist",
                 "nw_district_a", {{"item", "plaque"}, {"checked_on", Iso(Today())}}),
      400, "point", "not_demonstration");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'network.checklist' AND "
                  "object_id = ?1 AND result = 'ok'",
                  id),
            6);
}

// 实施办法 §六(六): associations in ≥ 90% of the places migrants gather: the share follows the
// places added and an association taken away, and the target is met at 90% exactly (the rule's
// worked cases are in tests/data/network/association_cases.json).
TEST_F(NetworkHttpTest, AssociationCoverageOfGatheringPlaces) {
  // Another district's street than the other tests' (coverage is per district): B's centre,
  // whose street already has the demo city's places.
  auto figures = [&]() {
    ApiReply s = api_->Get("/api/v1/network/summary", "nw_center_b");
    EXPECT_EQ(s.status, 200) << s.raw;
    EXPECT_EQ(s.body["districts"].size(), 1u) << "a centre's summary is its own district";
    return s.body["districts"][0]["associations"];
  };
  const json before = figures();
  const long long places = before["places"].get<long long>() + 10;
  const long long with = before["with_association"].get<long long>() + 9;
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i) {
    ApiReply p = api_->Post("/api/v1/network/places", "nw_center_b",
                            {{"kind", i % 2 ? "enterprise" : "industrial_park"},
                             {"name", "聚集场所" + std::to_string(i)},
                             {"lat", 22.85},
                             {"lon", 108.30 + i * 0.001},
                             {"has_fp_association", i < 9}});
    ASSERT_EQ(p.status, 201) << p.raw;
    ids.push_back(p.body.value("id", ""));
  }
  json a = figures();
  EXPECT_EQ(a["places"].get<long long>(), places);
  EXPECT_EQ(a["with_association"].get<long long>(), with);
  EXPECT_DOUBLE_EQ(a["share"].get<double>(), static_cast<double>(with) / places);
  EXPECT_EQ(a["meets_target"].get<bool>(), with * 10 >= places * 9);
  ApiReply lost = api_->Call("PATCH", "/api/v1/network/places/" + ids[0], "nw_center_b",
                             json{{"has_fp_association", false}}.dump(), {{"If-Match", "1"}});
  ASSERT_EQ(lost.status, 200) << lost.raw;
  EXPECT_EQ(lost.body["version"], 2);
  a = figures();
  EXPECT_EQ(a["with_association"].get<long long>(), with - 1);
  EXPECT_EQ(a["meets_target"].get<bool>(), (with - 1) * 10 >= places * 9);
  // Centre A neither lists nor changes them.
  ApiReply list_a = api_->Get("/api/v1/network/places", "nw_center_a");
  EXPECT_FALSE(Listed(list_a, ids[1]));
  ApiReply change = api_->Call("PATCH", "/api/v1/network/places/" + ids[1], "nw_center_a",
                               json{{"name", "改名"}}.dump(), {{"If-Match", "1"}});
  EXPECT_EQ(change.status, 404) << change.raw;
}

// The ten-minute circle of street A over its stored points: one dispensing point at the first
// community's position; the second community 0.0072° of latitude north (800.6 m, just outside
// 800 m), the third 0.004° (444.8 m, inside); communities without a position are unlocated.
TEST_F(NetworkHttpTest, CircleCoverageOfAStreetRanksTheCommunitiesOutside) {
  auto communities = QueryRows(server_->db_path(),
                               "SELECT code FROM org_units WHERE parent_code = ?1 AND level = "
                               "'community' ORDER BY code",
                               {street_a_});
  ASSERT_GE(communities.size(), 3u) << "street A needs three communities";
  const std::string c1 = communities[0][0], c2 = communities[1][0], c3 = communities[2][0];
  const double lat0 = 21.5000, lon0 = 109.5000;  // far from any other point
  auto place = [&](const std::string& code, double lat) {
    ApiReply r = api_->Post("/api/v1/network/communities/" + code + "/position", "nw_center_a",
                            {{"lat", lat}, {"lon", lon0}});
    EXPECT_EQ(r.status, 201) << r.raw;
  };
  place(c1, lat0);
  place(c2, lat0 + 0.0072);
  place(c3, lat0 + 0.004);
  ExpectFieldProblem(api_->Post("/api/v1/network/communities/" + street_a_ + "/position",
                                "nw_center_a", {{"lat", lat0}, {"lon", lon0}}),
                     400, "code", "not_community");
  json point = Point("圈内发放点", lat0, lon0);
  point["kind"] = "distribution_staffed";
  ApiReply p = api_->Post("/api/v1/network/points", "nw_center_a", point);
  ASSERT_EQ(p.status, 201) << p.raw;
  const std::string point_id = p.body.value("id", "");
  // Other points of the street, made by the other tests, lie kilometres away or are inactive.

  ApiReply circle = api_->Get("/api/v1/network/areas/" + street_a_ + "/circle", "nw_center_a");
  ASSERT_EQ(circle.status, 200) << circle.raw;
  std::map<std::string, json> by_code;
  for (const auto& c : circle.body["communities"]) by_code[c.value("code", "")] = c;
  ASSERT_TRUE(by_code.contains(c1) && by_code.contains(c2) && by_code.contains(c3));
  EXPECT_EQ(by_code[c1]["nearest_point_id"], point_id);
  EXPECT_DOUBLE_EQ(by_code[c1]["distance_m"].get<double>(), 0.0);
  EXPECT_TRUE(by_code[c1]["covered"].get<bool>());
  EXPECT_DOUBLE_EQ(by_code[c3]["distance_m"].get<double>(), 444.8);
  EXPECT_TRUE(by_code[c3]["covered"].get<bool>());
  EXPECT_DOUBLE_EQ(by_code[c2]["distance_m"].get<double>(), 800.6);
  EXPECT_FALSE(by_code[c2]["covered"].get<bool>());
  // People are the women aged 15–49 living in the community, from the registry.
  const std::string bound_old = Iso(AddDays(AddYears(Today(), -50), 1));
  const std::string bound_young = Iso(AddYears(Today(), -15));
  for (const std::string& code : {c1, c2, c3}) {
    auto rows = QueryRows(server_->db_path(),
                          "SELECT COUNT(*) FROM persons WHERE residence_org = ?1 AND sex = 'F' "
                          "AND status = 'active' AND birth_date >= ?2 AND birth_date <= ?3",
                          {code, bound_old, bound_young});
    EXPECT_EQ(by_code[code]["people"].get<long long>(), std::stoll(rows[0][0])) << code;
  }
  // Outside: every community not covered, most people first, c2 among them.
  bool c2_outside = false;
  long long previous = -1;
  for (const auto& c : circle.body["outside"]) {
    EXPECT_FALSE(c["covered"].get<bool>());
    if (previous >= 0) {
      EXPECT_LE(c["people"].get<long long>(), previous);
    }
    previous = c["people"].get<long long>();
    if (c["code"] == c2) c2_outside = true;
  }
  EXPECT_TRUE(c2_outside);
  const json& total = circle.body["coverage"];
  EXPECT_EQ(total["communities"].get<long long>(),
            static_cast<long long>(circle.body["communities"].size()));
  EXPECT_GE(total["communities_covered"].get<long long>(), 2);
  EXPECT_EQ(circle.body["unlocated"].size() + circle.body["communities"].size(),
            communities.size());

  // A wider circle takes c2 in.
  ApiReply wide =
      api_->Get("/api/v1/network/areas/" + street_a_ + "/circle?radius_m=801", "nw_center_a");
  ASSERT_EQ(wide.status, 200) << wide.raw;
  for (const auto& c : wide.body["communities"]) {
    if (c["code"] == c2) {
      EXPECT_TRUE(c["covered"].get<bool>());
    }
  }
  ExpectFieldProblem(
      api_->Get("/api/v1/network/areas/" + street_a_ + "/circle?detour=0.5", "nw_center_a"), 400,
      "detour", "out_of_range");
  // Another district's street: not found, audited.
  const long long before = Denied("nw_center_a");
  EXPECT_EQ(api_->Get("/api/v1/network/areas/" + street_b_ + "/circle", "nw_center_a").status, 404);
  EXPECT_EQ(Denied("nw_center_a"), before + 1);
}

// Where k new points would cover the most women (greedy maximum coverage, the engine of
// `jundeng network circle --place`) on a tiny map made of street S: c1 at (21.2, 109.8), c2
// 0.006° north (667.2 m), c3 0.020° north (1,556.8 m from c2), the street's other communities
// 0.040° north beside a dispensing point D; a point P that does not dispense stands at c2. P, c1
// and c2 each cover {c1, c2}: the tie goes to P, the candidate listed first (points before
// communities); then c3 covers itself; the third step covers no one.
TEST_F(NetworkHttpTest, PlacementSuggestsTheSitesThatCoverTheMostWomen) {
  auto communities = QueryRows(server_->db_path(),
                               "SELECT code FROM org_units WHERE parent_code = ?1 AND level = "
                               "'community' ORDER BY code",
                               {street_s_});
  ASSERT_GE(communities.size(), 4u);
  const std::string c1 = communities[0][0], c2 = communities[1][0], c3 = communities[2][0];
  const double lat0 = 21.2, lon0 = 109.8, far = lat0 + 0.040;
  auto place = [&](const std::string& code, double lat) {
    ApiReply r = api_->Post("/api/v1/network/communities/" + code + "/position", "nw_district_a",
                            {{"lat", lat}, {"lon", lon0}});
    EXPECT_EQ(r.status, 201) << r.raw;
  };
  place(c1, lat0);
  place(c2, lat0 + 0.006);
  place(c3, lat0 + 0.020);
  for (std::size_t i = 3; i < communities.size(); ++i) place(communities[i][0], far);
  auto point = [&](const std::string& name, double lat, bool dispenses) {
    json body = Point(name, lat, lon0);
    body["kind"] = dispenses ? "distribution_staffed" : "chs_station";
    body["free_contraceptives"] = dispenses;
    body["org_code"] = street_s_;
    ApiReply r = api_->Post("/api/v1/network/points", "nw_district_a", body);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  };
  point("远端发放点", far, true);
  const std::string p = point("候选服务站", lat0 + 0.006, false);

  // Women aged 15–49 per community, from the registry; one more in c1 and in c3 through the API,
  // and in c1 until {c1, c2} outnumber c3.
  const std::string bound_old = Iso(AddDays(AddYears(Today(), -50), 1));
  const std::string bound_young = Iso(AddYears(Today(), -15));
  auto women = [&](const std::string& code) {
    return Count(
        "SELECT COUNT(*) FROM persons WHERE residence_org = ?1 AND sex = 'F' AND status = "
        "'active' AND birth_date >= '" +
            bound_old + "' AND birth_date <= '" + bound_young + "'",
        code);
  };
  int seq = 0;
  auto add_woman = [&](const std::string& code) {
    const std::string arrived = Iso(MonthsBefore(Today(), 6));
    ApiReply r = api_->Post("/api/v1/persons", "nw_center_s",
                            {{"name", "选址测试"},
                             {"id_number", MakeResidentId("430528", "19950412", 2 * (++seq))},
                             {"phone", "13912345678"},
                             {"hukou_division", "430528"},
                             {"residence_org", code},
                             {"residence_address", "选址路1号"},
                             {"left_hukou_on", arrived},
                             {"arrived_on", arrived},
                             {"move_reason", "work"}});
    ASSERT_EQ(r.status, 201) << r.raw;
  };
  add_woman(c1);
  add_woman(c3);
  while (women(c1) + women(c2) <= women(c3)) add_woman(c1);
  const long long w1 = women(c1), w2 = women(c2), w3 = women(c3);
  long long rest = 0;
  for (std::size_t i = 3; i < communities.size(); ++i) rest += women(communities[i][0]);
  const long long all = w1 + w2 + w3 + rest;

  const std::string path = "/api/v1/network/areas/" + street_s_ + "/placement";
  ApiReply r = api_->Get(path + "?k=3", "nw_district_a");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["k"], 3);
  EXPECT_EQ(r.body["radius_m"].get<double>(), 800.0);
  EXPECT_GE(r.body["candidates"]["points"].get<int>(), 1);
  EXPECT_EQ(r.body["candidates"]["communities"].get<int>(), static_cast<int>(communities.size()));
  EXPECT_EQ(r.body["before"]["people"].get<long long>(), all);
  EXPECT_EQ(r.body["before"]["people_covered"].get<long long>(), rest);
  EXPECT_EQ(r.body["before"]["communities_covered"].get<long long>(),
            static_cast<long long>(communities.size()) - 3);
  const json& s = r.body["suggestions"];
  ASSERT_EQ(s.size(), 3u) << r.raw;
  EXPECT_EQ(s[0]["rank"], 1);
  EXPECT_EQ(s[0]["kind"], "point");
  EXPECT_EQ(s[0]["id"], p) << "P ties with c1 and c2 and is listed first";
  EXPECT_EQ(s[0]["name"], "候选服务站");
  EXPECT_EQ(s[0]["newly_covered"].get<long long>(), w1 + w2);
  EXPECT_EQ(s[0]["people_covered"].get<long long>(), rest + w1 + w2);
  EXPECT_EQ(s[0]["covers"], json::array({c1, c2}));
  EXPECT_EQ(s[1]["kind"], "community");
  EXPECT_EQ(s[1]["id"], c3);
  EXPECT_DOUBLE_EQ(s[1]["lat"].get<double>(), lat0 + 0.020);
  EXPECT_EQ(s[1]["newly_covered"].get<long long>(), w3);
  EXPECT_EQ(s[1]["people_covered"].get<long long>(), all);
  EXPECT_EQ(s[1]["covers"], json::array({c3}));
  EXPECT_EQ(s[2]["newly_covered"].get<long long>(), 0);
  EXPECT_TRUE(s[2]["covers"].empty());
  EXPECT_EQ(r.body["after"]["people_covered"].get<long long>(), all);
  EXPECT_DOUBLE_EQ(r.body["after"]["share"].get<double>(), 1.0);
  EXPECT_EQ(r.body["after"]["communities_covered"].get<long long>(),
            static_cast<long long>(communities.size()));

  // A 50 m circle: each candidate covers its own spot; candidates in order P (at c2), c1, c2, c3.
  ApiReply small = api_->Get(path + "?k=1&radius_m=50", "nw_district_a");
  ASSERT_EQ(small.status, 200) << small.raw;
  ASSERT_EQ(small.body["suggestions"].size(), 1u);
  const std::string best = w2 >= w1 && w2 >= w3 ? p : (w1 >= w3 ? c1 : c3);
  EXPECT_EQ(small.body["suggestions"][0]["id"], best);
  EXPECT_EQ(small.body["suggestions"][0]["newly_covered"].get<long long>(), std::max({w1, w2, w3}));

  // Bounds: k 1..50, radius 50..5000 m, detour 1..3.
  ExpectFieldProblem(api_->Get(path + "?k=0", "nw_district_a"), 400, "k", "invalid_integer");
  ExpectFieldProblem(api_->Get(path + "?k=51", "nw_district_a"), 400, "k", "invalid_integer");
  ExpectFieldProblem(api_->Get(path + "?radius_m=49", "nw_district_a"), 400, "radius_m",
                     "out_of_range");
  ExpectFieldProblem(api_->Get(path + "?radius_m=5001", "nw_district_a"), 400, "radius_m",
                     "out_of_range");
  ExpectFieldProblem(api_->Get(path + "?detour=3.5", "nw_district_a"), 400, "detour",
                     "out_of_range");
  ExpectFieldProblem(api_->Get(path + "?detour=x", "nw_district_a"), 400, "detour", "out_of_range");
  // Street S's centre reads it; street A's centre does not (404, audited as denied).
  EXPECT_EQ(api_->Get(path, "nw_center_s").status, 200);
  const long long before = Denied("nw_center_a");
  EXPECT_EQ(api_->Get(path, "nw_center_a").status, 404);
  EXPECT_EQ(Denied("nw_center_a"), before + 1);
}

}  // namespace
}  // namespace jd::integration
