// The live statistics view stays equal to the figures recomputed from the database while a random
// sequence of 10,000 writes goes through the services (persons registered and moved, documents
// submitted and reviewed, certificates issued, doses recorded, corrected and voided, health
// records established and updated, pregnancies registered, visited, re-assessed, delivered (some
// with their babies) and ended, children's check-ups recorded, severe-mental-disorder follow-ups
// and registrations closed, TB courses opened and visited, gathering places' associations changed
// and places added, demonstration points' checklist items recorded, centres and stations closed
// and reopened, health-education activities recorded and voided, family-planning guidance,
// distributions and procedures recorded and voided), on a demo city. Checked every 1,000
// writes for every indicator, every org unit, this month and last month: against a view rebuilt
// from the database, and the registry counts against SQL.
//
// Severe mental disorders and TB: a follow-up and a visit recorded through the services move
// their indicators at once, and GET /mental/summary's counts equal the view's SMD_* and
// KEY_EHR_SMD figures of the caller's unit, for the city, every district and every street.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <tuple>

#include "auth/auth_service.h"
#include "child/service.h"
#include "disease/hivtb_service.h"
#include "education/service.h"
#include "family_planning/service.h"
#include "http/app.h"
#include "integration/server_process.h"
#include "maternal/service.h"
#include "mental/service.h"
#include "network/service.h"
#include "registry/eligibility.h"

namespace jd::integration {
namespace {

using nlohmann::json;

std::string Iso(Date d) { return FormatDate(d); }

TEST(KpiLiveTest, LiveValuesEqualRecomputedValuesAfterRandomWrites) {
  TempDir tmp;
  const std::string db = tmp.File("city.db");
  CommandResult demo =
      RunJundeng({"demo", "--db", db, "--persons", "400", "--seed", "5"}, "", tmp.path());
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  auto opened = http::OpenApp({.db_path = db, .must_exist = true});
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  http::App& app = **opened;
  const auth::Principal who = auth::AuthService::SystemPrincipal("kpi-test");
  auto live = app.kpi->View();
  ASSERT_TRUE(live.ok()) << live.status().ToString();
  const Date today = app.clock->Today();

  std::vector<std::string> places;  // streets and communities
  std::vector<std::string> all_units;
  for (const auto& u : (*live)->orgs().units) {
    all_units.push_back(u.code);
    if (u.level == registry::OrgLevel::kStreet || u.level == registry::OrgLevel::kCommunity) {
      places.push_back(u.code);
    }
  }
  std::vector<std::string> persons, children, women, documents, doses;
  std::map<std::string, Date> born;  // the children's birth dates
  // Women of childbearing age (15–49) may register a pregnancy.
  auto childbearing = [&](Date birth) {
    return birth <= AddYears(today, -15) && birth > AddYears(today, -50);
  };
  (void)app.db->Read([&](soci::session& s) {
    soci::rowset<soci::row> rows = (s.prepare << "SELECT id, birth_date, sex FROM persons");
    for (const auto& r : rows) {
      persons.push_back(r.get<std::string>(0));
      const Date birth = *ParseDate(r.get<std::string>(1));
      if (birth > AddYears(today, -7)) {
        children.push_back(r.get<std::string>(0));
        born[children.back()] = birth;
      }
      if (r.get<std::string>(2) == "F" && childbearing(birth)) {
        women.push_back(r.get<std::string>(0));
      }
    }
    return Status::Ok();
  });
  ASSERT_FALSE(children.empty());
  ASSERT_FALSE(women.empty());
  // The demo's severe-mental-disorder registrations and adults for TB courses.
  std::vector<std::string> patients, adults;
  (void)app.db->Read([&](soci::session& s) {
    soci::rowset<soci::row> rows = (s.prepare << "SELECT id FROM mental_patients");
    for (const auto& r : rows) patients.push_back(r.get<std::string>(0));
    // A named string: the rowset reads the bound value on every fetch, after this statement.
    const std::string adult_born_by = Iso(AddYears(today, -18));
    soci::rowset<soci::row> grown =
        (s.prepare << "SELECT id FROM persons WHERE birth_date <= :d", soci::use(adult_born_by));
    for (const auto& r : grown) adults.push_back(r.get<std::string>(0));
    return Status::Ok();
  });
  ASSERT_FALSE(patients.empty());
  std::vector<std::string> courses;  // opened by the test
  int care_committed = 0;
  // The demo's service network: its demonstration points, places and centres and stations.
  std::vector<std::string> demo_points, gathering, clinics;
  auto version_of = [&](const std::string& table, const std::string& id) {
    int v = 0;
    (void)app.db->Read([&](soci::session& s) {
      s << "SELECT version FROM " + table + " WHERE id = :id", soci::use(id), soci::into(v);
      return Status::Ok();
    });
    return v;
  };
  (void)app.db->Read([&](soci::session& s) {
    soci::rowset<soci::row> rows = (s.prepare << "SELECT id, kind FROM service_points");
    for (const auto& r : rows) {
      const std::string kind = r.get<std::string>(1);
      if (kind == "demonstration") demo_points.push_back(r.get<std::string>(0));
      if (kind == "chs_centre" || kind == "chs_station") clinics.push_back(r.get<std::string>(0));
    }
    soci::rowset<soci::row> sites = (s.prepare << "SELECT id FROM gathering_places");
    for (const auto& r : sites) gathering.push_back(r.get<std::string>(0));
    return Status::Ok();
  });
  ASSERT_FALSE(demo_points.empty());
  ASSERT_FALSE(gathering.empty());
  ASSERT_FALSE(clinics.empty());
  int network_committed = 0;
  std::vector<std::string> activities;  // recorded by the test
  std::vector<std::pair<family_planning::RecordKind, std::string>> fp_records;
  int fp_committed = 0;

  std::mt19937 rng(11);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto any = [&](const std::vector<std::string>& v) { return v[pick(0, int(v.size()) - 1)]; };
  const char* vaccines[] = {"HepB",   "BCG",     "IPV",    "bOPV", "DTaP",   "MMR", "JE-L",
                            "MPSV-A", "MPSV-AC", "HepA-L", "JE-I", "HepA-I", "DT"};
  const char* hukou[] = {"430528", "450803", "450122", "522601", "360103"};
  // Pregnancies registered by the test, with the days their later writes are drawn around.
  struct Pregnancy {
    std::string id;
    Date lmp;
    std::optional<Date> delivered;
  };
  std::vector<Pregnancy> pregnancies;
  auto not_after_today = [&](Date d) { return std::min(d, today); };
  const char* colours[] = {"green", "yellow", "orange", "red"};
  auto risk = [&] {
    maternal::RiskInput in;
    if (pick(0, 1) == 0) in.colour = colours[pick(0, 3)];
    return in;
  };
  int seq = 0, committed = 0, maternal_committed = 0, child_committed = 0;

  std::vector<const kpi::Indicator*> indicators;
  for (const auto& i : app.kpi->catalogue().indicators()) indicators.push_back(&i);
  auto compare = [&](int after) {
    auto fresh = kpi::LiveView::Load(*app.db, app.kpi->catalogue(),
                                     immunization::Schedule::Default(), today);
    ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
    for (const kpi::Period& period : {kpi::MonthOf(today), kpi::Previous(kpi::MonthOf(today))}) {
      auto a = (*live)->Compute(indicators, all_units, period);
      auto b = (*fresh)->Compute(indicators, all_units, period);
      ASSERT_EQ(a.size(), b.size());
      int differ = 0;
      for (std::size_t k = 0; k < a.size(); ++k) {
        if (a[k].numerator != b[k].numerator || a[k].denominator != b[k].denominator) {
          if (++differ <= 5) {
            ADD_FAILURE() << "after " << after << " writes, " << a[k].code << " at " << a[k].org
                          << " in " << period.Code() << ": live " << a[k].numerator << "/"
                          << a[k].denominator << ", recomputed " << b[k].numerator << "/"
                          << b[k].denominator;
          }
        }
      }
      ASSERT_EQ(differ, 0);
    }
    // Registered persons per district by SQL, against the view.
    std::map<std::string, double> by_sql;
    (void)app.db->Read([&](soci::session& s) {
      std::string t = Iso(today);
      soci::rowset<soci::row> rows =
          (s.prepare << "SELECT substr(residence_org, 1, 6), COUNT(*) FROM persons WHERE status "
                        "= 'active' AND arrived_on <= :t GROUP BY 1",
           soci::use(t));
      for (const auto& r : rows) {
        by_sql[r.get<std::string>(0)] = static_cast<double>(storage::RowInt64(r, 1));
      }
      return Status::Ok();
    });
    const kpi::Indicator* registered = app.kpi->catalogue().Find("REG_REGISTERED");
    for (const auto& u : (*live)->orgs().units) {
      if (u.level != registry::OrgLevel::kDistrict) continue;
      auto v = (*live)->Compute({registered}, {u.code}, kpi::MonthOf(today));
      EXPECT_EQ(v[0].numerator, by_sql[u.code]) << u.code << " after " << after;
    }
  };

  for (int n = 1; n <= 10000; ++n) {
    int op = pick(0, 174);
    bool ok = false;
    if (op >= 165) {
      // Family planning for women of childbearing age: guidance, free condoms handed to her (some
      // over the yearly cap: refused), an IUD inserted, or a record voided (FP_GUIDANCE,
      // FP_FREE_CONTRACEPTION).
      const Date on = AddDays(today, -pick(0, 400));
      if (op < 169 || fp_records.empty()) {
        family_planning::GuidanceInput in;
        in.given_on = on;
        in.topic = "避孕方法知情选择";
        auto r = app.family_planning->RecordGuidance(who, any(women), in);
        if (r.ok()) fp_records.push_back({family_planning::RecordKind::kGuidance, r->id});
        ok = r.ok();
      } else if (op < 172) {
        family_planning::DistributionInput in;
        in.item = family_planning::Item::kCondom;
        in.quantity = pick(1, 40);
        in.dispensed_on = on;
        auto r = app.family_planning->RecordDistribution(who, any(women), in);
        if (r.ok()) fp_records.push_back({family_planning::RecordKind::kDistribution, r->id});
        ok = r.ok();
      } else if (op < 173) {
        family_planning::ProcedureInput in;
        in.procedure = family_planning::Procedure::kIudInsertion;
        in.done_on = on;
        auto r = app.family_planning->RecordProcedure(who, any(women), in);
        if (r.ok()) fp_records.push_back({family_planning::RecordKind::kProcedure, r->entry.id});
        ok = r.ok();
      } else {
        const auto& [kind, id] = fp_records[pick(0, int(fp_records.size()) - 1)];
        ok = app.family_planning->Void(who, kind, id, "录入错误").ok();
      }
      fp_committed += ok;
    } else if (op >= 160) {
      // Health education at a centre or station this year: a lecture, a consultation, a board
      // changed or leaflets handed out (EDU_NORMS_MET), or an activity voided.
      if (op < 164 || activities.empty()) {
        education::ActivityInput in;
        in.point_id = any(clinics);
        in.activity.kind = static_cast<education::ActivityKind>(pick(0, 4));
        in.activity.date = std::max(AddDays(today, -pick(0, 340)),
                                    today.year() / std::chrono::January / std::chrono::day(1));
        in.activity.attendance = pick(0, 80);
        if (in.activity.kind == education::ActivityKind::kMaterialDistribution) {
          in.activity.materials.push_back(
              {fmt::format("宣传折页{}", pick(1, 15)), education::MaterialFormat::kPrinted, 50});
        }
        in.topic = "健康素养";
        auto r = app.education->Record(who, in);
        if (r.ok()) activities.push_back(r->id);
        ok = r.ok();
      } else {
        ok = app.education->Void(who, any(activities), "重复录入").ok();
      }
      network_committed += ok;
    } else if (op >= 150) {
      // The service network: a place's association, a demonstration point's checklist item, a new
      // place, a centre or station closed or reopened (NET_DEMO_POINT, FP_ASSOCIATION,
      // EDU_NORMS_MET).
      if (op < 153) {
        const std::string id = any(gathering);
        network::PlaceChange change;
        change.has_fp_association = pick(0, 1) == 0;
        ok = app.network->UpdatePlace(who, id, change, version_of("gathering_places", id)).ok();
      } else if (op < 156) {
        network::CheckInput in;
        in.item = network::kChecklistItems[pick(0, 5)];
        in.checked_on = AddDays(today, -pick(0, 400));
        ok = app.network->RecordCheck(who, any(demo_points), in).ok();
      } else if (op < 158) {
        network::PlaceInput in;
        in.kind = static_cast<network::PlaceKind>(pick(0, 4));
        in.name = fmt::format("随机场所{}", n);
        in.org_code = any(places);
        in.at = {22.8 + pick(0, 100) / 1000.0, 108.3 + pick(0, 100) / 1000.0};
        in.has_fp_association = pick(0, 1) == 0;
        auto r = app.network->CreatePlace(who, in);
        if (r.ok()) gathering.push_back(r->id);
        ok = r.ok();
      } else {
        const std::string id = any(clinics);
        network::PointChange change;
        change.active = pick(0, 3) != 0;
        ok = app.network->UpdatePoint(who, id, change, version_of("service_points", id)).ok();
      }
      network_committed += ok;
    } else if (op >= 135) {
      // 严重精神障碍 follow-ups (some closing the registration) and TB courses with their visits
      // (most refused: a second open course of a person, a visit before the start).
      if (op < 142) {
        mental::FollowUpFacts f;
        f.visited_on = AddDays(today, -pick(0, 500));
        f.danger_level = pick(0, 9) == 0 ? 1 : 0;
        f.adherence = static_cast<mental::Adherence>(pick(0, 2));
        f.symptoms = static_cast<mental::Symptoms>(pick(0, 1));
        ok = app.mental->RecordFollowUp(who, any(patients), f).ok();
      } else if (op < 143) {
        const std::string id = any(patients);
        auto p = app.mental->Get(who, id);
        if (p.ok()) {
          mental::PatientChange change;
          change.status =
              pick(0, 1) == 0 ? mental::PatientStatus::kClosed : mental::PatientStatus::kActive;
          ok = app.mental->Update(who, id, change, p->patient.version).ok();
        }
      } else if (op < 146 || courses.empty()) {
        disease::TbCourseCreate in;
        in.notified_on = AddDays(today, -pick(0, 300));
        in.started_on = AddDays(in.notified_on, -pick(0, 5));
        in.treating_unit = any(places);
        auto r = app.hivtb->OpenCourse(who, any(adults), in);
        if (r.ok()) courses.push_back(r->course.id);
        ok = r.ok();
      } else {
        disease::TbVisitInput in;
        in.date = AddDays(today, -pick(0, 300));
        in.doses_taken = pick(0, 30);
        in.doses_missed = pick(0, 4);
        ok = app.hivtb->RecordVisit(who, courses[pick(0, int(courses.size()) - 1)], in).ok();
      }
      care_committed += ok;
    } else if (op >= 120) {
      // 0～6岁儿童健康管理: a check-up on a day of the child's first 7 years up to today, named or
      // left to the schedule, with measures near the median for the age (some out of range, and
      // some days past 7 years: refused, changing nothing).
      const std::string id = any(children);
      const Date birth = born[id];
      const int lived = std::max(0, static_cast<int>(DaysBetween(birth, today)));
      const int age = pick(0, std::min(lived, 7 * 366));
      child::CheckupRecordInput in;
      in.date = AddDays(birth, age);
      if (pick(0, 2) == 0) in.kind = static_cast<child::ContactKind>(pick(0, 12));
      in.clinic = any(places);
      const double months = age / 30.4375, noise = 0.8 + pick(0, 40) / 100.0;
      if (pick(0, 4) != 0) {
        in.weight_kg = noise * (months < 12 ? 3.3 + 0.55 * months : 9.9 + 0.18 * (months - 12));
        in.length_height_cm =
            (0.9 + noise / 10) * (months < 12 ? 50 + 2.1 * months : 75 + 0.75 * (months - 12));
      }
      if (pick(0, 2) == 0) in.haemoglobin_g_l = pick(80, 145);
      if (age < 20 && pick(0, 1) == 0) in.discharged_on = AddDays(birth, pick(0, age));
      ok = app.child->RecordCheckup(who, id, in).ok();
      child_committed += ok;
    } else if (op >= 100) {
      // 孕产妇健康管理: most draws fall inside a pregnancy; the rest are refused and change
      // nothing.
      if (op < 103 || pregnancies.empty()) {
        maternal::RegistrationInput in;
        in.dating.lmp = AddDays(today, -pick(0, 300));
        in.registered_on = not_after_today(AddDays(in.dating.lmp, pick(20, 140)));
        in.gravidity = pick(1, 3);
        in.parity = pick(0, in.gravidity - 1);
        in.clinic = any(places);
        in.risk = risk();
        auto r = app.maternal->Register(who, any(women), in);
        if (r.ok()) {
          pregnancies.push_back({r->pregnancy.id, in.dating.lmp, std::nullopt});
          ok = true;
        }
      } else {
        Pregnancy& g = pregnancies[pick(0, int(pregnancies.size()) - 1)];
        if (op < 113) {
          maternal::VisitInput in;
          if (g.delivered && pick(0, 2) != 0) {
            in.kind = pick(0, 2) == 0 ? maternal::VisitKind::kPostpartum42Day
                                      : maternal::VisitKind::kPostpartumHome;
            in.date = not_after_today(AddDays(*g.delivered, pick(0, 60)));
          } else {
            in.date = not_after_today(AddDays(g.lmp, pick(20, 290)));
          }
          if (pick(0, 3) == 0) in.risk = risk();
          ok = app.maternal->RecordVisit(who, g.id, in).ok();
        } else if (op < 116) {
          maternal::DeliveryInput in;
          in.delivered_on = not_after_today(AddDays(g.lmp, pick(200, 300)));
          if (pick(0, 3) != 0) {
            in.discharged_on = not_after_today(AddDays(in.delivered_on, pick(0, 6)));
          }
          in.live_births = pick(0, 9) == 0 ? 2 : 1;
          // Half the deliveries register their babies, whose newborn visit is due from the
          // mother's discharge.
          if (pick(0, 1) == 0) {
            for (int b = 0; b < in.live_births; ++b) {
              in.newborns.push_back(
                  {.sex = pick(0, 1) == 0 ? registry::Sex::kMale : registry::Sex::kFemale,
                   .birth_certificate_no = fmt::format("KPI-B{}-{}", n, b)});
            }
          }
          ok = app.maternal->RecordDelivery(who, g.id, in).ok();
          if (ok) g.delivered = in.delivered_on;
          if (ok && !in.newborns.empty()) {
            (void)app.db->Read([&](soci::session& s) {
              soci::rowset<soci::row> babies =
                  (s.prepare << "SELECT person_id FROM pregnancy_newborns WHERE pregnancy_id = :g",
                   soci::use(g.id));
              for (const auto& r : babies) {
                children.push_back(r.get<std::string>(0));
                born[children.back()] = in.delivered_on;
              }
              return Status::Ok();
            });
          }
        } else if (op < 117) {
          maternal::EndInput in;
          in.ended_on = not_after_today(AddDays(g.lmp, pick(40, 190)));
          in.reason = maternal::EndReason::kMiscarriage;
          ok = app.maternal->End(who, g.id, in).ok();
        } else {
          maternal::AssessmentInput in;
          in.assessed_on = not_after_today(AddDays(g.lmp, pick(20, 290)));
          in.risk = risk();
          ok = app.maternal->Assess(who, g.id, in).ok();
        }
      }
    } else if (op < 20) {
      Date birth = AddDays(today, -pick(0, 60 * 365));
      Date arrived = std::max(birth, AddDays(today, -pick(0, 3 * 365)));
      std::string region = hukou[pick(0, 4)];
      std::string iso = Iso(birth);
      std::string ymd = iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
      json body = {{"name", "随机" + std::to_string(n)},
                   {"id_number", MakeResidentId(region, ymd, 100 + (seq++ % 800))},
                   {"hukou_division", region},
                   {"residence_org", any(places)},
                   {"arrived_on", Iso(arrived)},
                   {"move_reason", pick(0, 9) == 0 ? "marriage" : "work"}};
      auto r = app.registry->CreatePerson(who, body);
      if (r.ok()) {
        persons.push_back(r->person.id);
        if (birth > AddYears(today, -7)) {
          children.push_back(r->person.id);
          born[r->person.id] = birth;
        }
        if (r->person.sex == registry::Sex::kFemale && childbearing(birth)) {
          women.push_back(r->person.id);
        }
        ok = true;
      }
    } else if (op < 50) {
      std::string child = any(children);
      json body = {{"vaccine", vaccines[pick(0, 12)]},
                   {"date", Iso(AddDays(today, -pick(0, 7 * 365)))},
                   {"source", "transcribed"}};
      auto r = app.immunization->RecordDose(who, child, body);
      if (r.ok()) {
        doses.push_back(r->record.id);
        ok = true;
      }
    } else if (op < 58 && !doses.empty()) {
      json body = {{"date", Iso(AddDays(today, -pick(0, 7 * 365)))}, {"reason", "抄录错误"}};
      ok = app.immunization->CorrectDose(who, any(doses), body, 0).ok();
    } else if (op < 62 && !doses.empty()) {
      ok = app.immunization->VoidDose(who, any(doses), {{"reason", "重复录入"}}).ok();
    } else if (op < 70) {
      std::string child = any(children);
      json body = {{"certificate_no", "KPI-" + std::to_string(n)},
                   {"issuing_clinic", any(places)},
                   {"issued_on", Iso(AddDays(today, -pick(0, 400)))},
                   {"guardian_name", "王芳"},
                   {"guardian_relation", "mother"},
                   {"guardian_phone", "13900001111"}};
      ok = app.immunization->IssueFile(who, child, body).ok();
    } else if (op < 80) {
      json body = {{"type", "residence_permit"},
                   {"number", "P" + std::to_string(n)},
                   {"valid_until", Iso(AddYears(today, 2))}};
      auto r = app.registry->SubmitDocument(who, any(persons), body);
      if (r.ok()) {
        documents.push_back(r->id);
        ok = true;
      }
    } else if (op < 90 && !documents.empty()) {
      json body = {{"decision", pick(0, 3) == 0 ? "reject" : "approve"}, {"reason", "核验"}};
      if (body["decision"] == "reject") body["reason"] = "证件不清晰";
      ok = app.registry->ReviewDocument(who, any(documents), body).ok();
    } else if (op < 95) {
      json body = pick(0, 2) == 0
                      ? json{{"type", "moved_out"}, {"date", Iso(AddDays(today, -pick(0, 60)))}}
                      : json{{"type", "moved_within_city"},
                             {"date", Iso(AddDays(today, -pick(0, 60)))},
                             {"org_code", any(places)}};
      ok = app.registry->AddResidenceEvent(who, any(persons), body).ok();
    } else if (pick(0, 2) != 0) {
      // 居民健康档案: a record (electronic or paper) established some day since arrival.
      json body = {{"clinic", any(places)},
                   {"established_on", Iso(AddDays(today, -pick(0, 400)))},
                   {"electronic", pick(0, 3) != 0}};
      ok = app.records->Establish(who, any(persons), body).ok();
    } else {
      // A paper record entered into the system, or a record's date corrected.
      json patch = pick(0, 1) == 0 ? json{{"electronic", true}}
                                   : json{{"established_on", Iso(AddDays(today, -pick(0, 400)))}};
      ok = app.records->Update(who, any(persons), patch, 0).ok();
    }
    committed += ok;
    if (op >= 100) maternal_committed += ok;
    if (n % 1000 == 0) {
      compare(n);
      if (HasFatalFailure()) return;
    }
  }
  // Most writes were accepted (the rest broke a rule and changed nothing).
  EXPECT_GT(committed, 4000);
  EXPECT_GT(maternal_committed, 500);
  EXPECT_GT(child_committed, 300);
  EXPECT_GT(care_committed, 200);
  EXPECT_GT(network_committed, 300);
  EXPECT_GT(fp_committed, 200);
  // The maternal figures compared above were not empty.
  std::vector<const kpi::Indicator*> mothers;
  for (const char* code : {"KEY_EHR_PREGNANT", "MAT_EARLY_REG", "MAT_HIGH_RISK_MGMT"}) {
    mothers.push_back(app.kpi->catalogue().Find(code));
    ASSERT_TRUE(mothers.back()) << code;
  }
  const std::string city = (*live)->orgs().units.front().code;
  for (const auto& v : (*live)->Compute(mothers, {city}, kpi::Previous(kpi::MonthOf(today)))) {
    EXPECT_GT(v.denominator, 0) << v.code;
  }
  // And so were the children's.
  std::vector<const kpi::Indicator*> young;
  for (const char* code : {"CH_MGMT_0_6", "CH_SYS_MGMT_0_3", "CH_UNDERWEIGHT", "CH_ANAEMIA"}) {
    young.push_back(app.kpi->catalogue().Find(code));
    ASSERT_TRUE(young.back()) << code;
  }
  for (const auto& v : (*live)->Compute(young, {city}, kpi::Previous(kpi::MonthOf(today)))) {
    EXPECT_GT(v.denominator, 0) << v.code;
  }
  // And the network's, health education's and family planning's.
  std::vector<const kpi::Indicator*> programmes;
  for (const char* code : {"FP_ASSOCIATION", "EDU_NORMS_MET", "NET_DEMO_POINT", "FP_GUIDANCE",
                           "FP_FREE_CONTRACEPTION"}) {
    programmes.push_back(app.kpi->catalogue().Find(code));
    ASSERT_TRUE(programmes.back()) << code;
  }
  for (const auto& v : (*live)->Compute(programmes, {city}, kpi::MonthOf(today))) {
    if (v.code == "NET_DEMO_POINT") {
      EXPECT_GT(v.numerator, 0) << v.code;
    } else {
      EXPECT_GT(v.denominator, 0) << v.code;
      EXPECT_GT(v.numerator, 0) << v.code;
    }
  }
}

// A demo city opened in process, its view loaded.
class CareLiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = tmp_.File("city.db");
    CommandResult demo =
        RunJundeng({"demo", "--db", db_, "--persons", "600", "--seed", "7"}, "", tmp_.path());
    ASSERT_EQ(demo.exit_code, 0) << demo.err;
    auto opened = http::OpenApp({.db_path = db_, .must_exist = true});
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    app_ = std::move(*opened);
    auto live = app_->kpi->View();
    ASSERT_TRUE(live.ok()) << live.status().ToString();
    view_ = *live;
    today_ = app_->clock->Today();
  }
  // The values of `codes` for `org` this month, by code, as the API computes them.
  std::map<std::string, kpi::IndicatorValue> Values(const std::string& codes,
                                                    const std::string& org,
                                                    std::optional<Date> in = std::nullopt) {
    auto r = app_->kpi->Values(
        who_, {.codes = codes, .org = org, .period = kpi::MonthOf(in.value_or(today_)).Code()});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::map<std::string, kpi::IndicatorValue> out;
    if (r.ok()) {
      for (const auto& v : r->values) out[v.code] = v;
    }
    return out;
  }
  // Adults who are migrants here today, neither registered as patients nor treated for TB.
  std::vector<std::pair<std::string, std::string>> FreeMigrants() {
    std::vector<std::pair<std::string, std::string>> out;  // (person, residence unit)
    (void)app_->db->Read([&](soci::session& s) {
      const std::string adult = Iso(AddYears(today_, -18));
      soci::rowset<soci::row> rows =
          (s.prepare << "SELECT id, birth_date, hukou_division, residence_org, left_hukou_on, "
                        "arrived_on, move_reason FROM persons p WHERE status = 'active' AND "
                        "birth_date <= :d AND NOT EXISTS (SELECT 1 FROM mental_patients m WHERE "
                        "m.person_id = p.id) AND NOT EXISTS (SELECT 1 FROM tb_courses c WHERE "
                        "c.person_id = p.id) ORDER BY id",
           soci::use(adult));
      for (const auto& r : rows) {
        const std::string left =
            r.get_indicator(4) == soci::i_null ? std::string() : r.get<std::string>(4);
        auto w = registry::StoredWindows({r.get<std::string>(1), r.get<std::string>(2),
                                          r.get<std::string>(3), left, r.get<std::string>(5),
                                          r.get<std::string>(6)});
        if (w && w->floating_from && *w->floating_from <= AddDays(today_, -200)) {
          out.emplace_back(r.get<std::string>(0), r.get<std::string>(3));
        }
      }
      return Status::Ok();
    });
    return out;
  }
  // GET /mental/summary of `who` against the view's figures of `org` this month.
  void ExpectSummaryAgrees(const auth::Principal& who, const std::string& org) {
    auto summary = app_->mental->Summary(who);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    const mental::PatientCounts& n = summary->counts;
    auto v =
        Values("SMD_REGISTERED_RATE,SMD_STANDARD_MGMT,SMD_ADHERENCE,SMD_STABLE,KEY_EHR_SMD", org);
    EXPECT_EQ(v["SMD_REGISTERED_RATE"].numerator, n.registered) << org;
    EXPECT_NEAR(v["SMD_REGISTERED_RATE"].denominator, summary->expected_patients, 1e-9) << org;
    EXPECT_EQ(v["SMD_STANDARD_MGMT"].numerator, n.standardised) << org;
    EXPECT_EQ(v["SMD_STANDARD_MGMT"].denominator, n.registered) << org;
    EXPECT_EQ(v["SMD_ADHERENCE"].numerator, n.adherent) << org;
    EXPECT_EQ(v["SMD_ADHERENCE"].denominator, n.followed_up) << org;
    EXPECT_EQ(v["SMD_STABLE"].numerator, n.stable) << org;
    EXPECT_EQ(v["KEY_EHR_SMD"].numerator, n.electronic_file) << org;
    const std::map<std::string, std::optional<double>> rates = {
        {"SMD_REGISTERED_RATE", summary->registered_rate},
        {"SMD_STANDARD_MGMT", summary->standardised_rate},
        {"SMD_ADHERENCE", summary->adherence_rate},
        {"SMD_STABLE", summary->stable_rate},
        {"KEY_EHR_SMD", summary->electronic_file_rate}};
    for (const auto& [code, rate] : rates) {
      ASSERT_EQ(v[code].value.has_value(), rate.has_value()) << code << " " << org;
      if (rate) {
        EXPECT_NEAR(*v[code].value, *rate, 1e-12) << code << " " << org;
      }
    }
  }

  TempDir tmp_;
  std::string db_;
  std::unique_ptr<http::App> app_;
  kpi::LiveView* view_ = nullptr;
  Date today_{};
  const auth::Principal who_ = auth::AuthService::SystemPrincipal("kpi-test");
};

TEST_F(CareLiveTest, MentalSummaryEqualsTheLiveFiguresOfEveryUnit) {
  const std::string city = view_->orgs().units.front().code;
  ExpectSummaryAgrees(who_, city);
  // Not empty: the demo's patients are counted, followed up and some managed to standard.
  auto v = Values("SMD_STANDARD_MGMT,SMD_ADHERENCE", city);
  EXPECT_GT(v["SMD_STANDARD_MGMT"].denominator, 20);
  EXPECT_GT(v["SMD_STANDARD_MGMT"].numerator, 0);
  EXPECT_GT(v["SMD_ADHERENCE"].denominator, 10);
  // The 精防 institution of each district and the centre of each street.
  int units = 0;
  for (const auto& u : view_->orgs().units) {
    auth::Principal who;
    if (u.level == registry::OrgLevel::kDistrict) {
      who.role = auth::Role::kPsychiatry;
    } else if (u.level == registry::OrgLevel::kStreet) {
      who.role = auth::Role::kCenter;
    } else {
      continue;
    }
    who.username = "mh-" + u.code;
    who.org_code = u.code;
    who.org_path = u.path;
    ExpectSummaryAgrees(who, u.code);
    ++units;
  }
  EXPECT_GT(units, 10);
}

TEST_F(CareLiveTest, AFollowUpAndATbVisitMoveTheirIndicators) {
  const auto free = FreeMigrants();
  ASSERT_GE(free.size(), 3u);
  const auto& [patient_person, patient_org] = free[0];
  const std::string district = patient_org.substr(0, 6);

  // 严重精神障碍: registered 100 days ago, then a follow-up today (regular, stable).
  auto before = Values("SMD_REGISTERED_RATE,SMD_ADHERENCE,SMD_STABLE", district);
  mental::PatientInput in;
  in.person_id = patient_person;
  in.diagnosis = mental::Diagnosis::kBipolar;
  in.diagnosed_on = AddYears(today_, -2);
  in.consent = mental::Consent::kSigned;
  in.consent_on = AddDays(today_, -100);
  in.managing_unit = patient_org.substr(0, 9);
  in.registered_on = AddDays(today_, -100);
  auto registered = app_->mental->Register(who_, in);
  ASSERT_TRUE(registered.ok()) << registered.status().ToString();
  ASSERT_TRUE(view_->Refresh(*app_->db, today_).ok());
  auto after = Values("SMD_REGISTERED_RATE,SMD_ADHERENCE,SMD_STABLE", district);
  EXPECT_EQ(after["SMD_REGISTERED_RATE"].numerator, before["SMD_REGISTERED_RATE"].numerator + 1);
  EXPECT_EQ(after["SMD_ADHERENCE"].denominator, before["SMD_ADHERENCE"].denominator);
  mental::FollowUpFacts f;
  f.visited_on = today_;
  auto followed = app_->mental->RecordFollowUp(who_, registered->patient.id, f);
  ASSERT_TRUE(followed.ok()) << followed.status().ToString();
  ASSERT_TRUE(view_->Refresh(*app_->db, today_).ok());
  after = Values("SMD_REGISTERED_RATE,SMD_ADHERENCE,SMD_STABLE", district);
  EXPECT_EQ(after["SMD_ADHERENCE"].denominator, before["SMD_ADHERENCE"].denominator + 1);
  EXPECT_EQ(after["SMD_ADHERENCE"].numerator, before["SMD_ADHERENCE"].numerator + 1);
  EXPECT_EQ(after["SMD_STABLE"].numerator, before["SMD_STABLE"].numerator + 1);

  // 肺结核: a course notified 2 days ago counts in the management rate's denominator; its first
  // home visit makes it managed.
  const std::string& tb_person = free[1].first;
  const std::string tb_district = free[1].second.substr(0, 6);
  disease::TbCourseCreate course;
  course.notified_on = AddDays(today_, -2);
  course.started_on = AddDays(today_, -3);
  course.treating_unit = free[1].second.substr(0, 9);
  const std::optional<Date> notified = course.notified_on;
  auto tb0 = Values("TB_MGMT_RATE", tb_district, notified);
  auto opened = app_->hivtb->OpenCourse(who_, tb_person, course);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  ASSERT_TRUE(view_->Refresh(*app_->db, today_).ok());
  auto tb1 = Values("TB_MGMT_RATE", tb_district, notified);
  EXPECT_EQ(tb1["TB_MGMT_RATE"].denominator, tb0["TB_MGMT_RATE"].denominator + 1);
  EXPECT_EQ(tb1["TB_MGMT_RATE"].numerator, tb0["TB_MGMT_RATE"].numerator);
  disease::TbVisitInput visit;
  visit.date = AddDays(today_, -1);
  visit.doses_taken = 2;
  ASSERT_TRUE(app_->hivtb->RecordVisit(who_, opened->course.id, visit).ok());
  ASSERT_TRUE(view_->Refresh(*app_->db, today_).ok());
  auto tb2 = Values("TB_MGMT_RATE", tb_district, notified);
  EXPECT_EQ(tb2["TB_MGMT_RATE"].numerator, tb0["TB_MGMT_RATE"].numerator + 1);

  // A course of 6 months completed yesterday with 176 of 183 doses (96%): regular.
  const std::string& done_person = free[2].first;
  const std::string done_district = free[2].second.substr(0, 6);
  disease::TbCourseCreate old;
  old.started_on = AddDays(AddMonths(today_, -6), -2);
  old.notified_on = AddDays(old.started_on, 1);
  old.treating_unit = free[2].second.substr(0, 9);
  const std::optional<Date> yesterday = AddDays(today_, -1);
  auto rm0 = Values("TB_REGULAR_MEDICATION", done_district, yesterday);
  auto done = app_->hivtb->OpenCourse(who_, done_person, old);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  for (auto [days, taken, missed] : {std::tuple{2, 3, 0}, std::tuple{170, 173, 7}}) {
    disease::TbVisitInput v;
    v.date = AddDays(old.started_on, days);
    v.doses_taken = taken;
    v.doses_missed = missed;
    ASSERT_TRUE(app_->hivtb->RecordVisit(who_, done->course.id, v).ok());
  }
  disease::TbOutcomeInput outcome{.outcome = disease::TbOutcome::kCompleted, .on = *yesterday};
  auto closed = app_->hivtb->RecordOutcome(who_, done->course.id, outcome);
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  ASSERT_TRUE(view_->Refresh(*app_->db, today_).ok());
  auto rm1 = Values("TB_REGULAR_MEDICATION", done_district, yesterday);
  EXPECT_EQ(rm1["TB_REGULAR_MEDICATION"].denominator, rm0["TB_REGULAR_MEDICATION"].denominator + 1);
  EXPECT_EQ(rm1["TB_REGULAR_MEDICATION"].numerator, rm0["TB_REGULAR_MEDICATION"].numerator + 1);

  // And the summary still agrees, for the city and the patient's district.
  ExpectSummaryAgrees(who_, view_->orgs().units.front().code);
  auth::Principal psychiatry;
  psychiatry.role = auth::Role::kPsychiatry;
  psychiatry.org_code = district;
  psychiatry.org_path = view_->orgs().units[*view_->orgs().Find(district)].path;
  ExpectSummaryAgrees(psychiatry, district);
}

}  // namespace
}  // namespace jd::integration
