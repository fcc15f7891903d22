#include "notify/planner.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace jd::notify {
namespace {

AppointmentInfo Booked() {
  AppointmentInfo a;
  a.id = "0192f000-0000-7000-8000-000000000001";
  a.person_id = "0192f000-0000-7000-8000-0000000000aa";
  a.child_name = "王小花";
  a.clinic_code = "450103001";
  a.date = "2026-11-23";
  a.vaccines_json = R"(["HepB","MMR","NOPE"])";
  a.status = "booked";
  a.guardian_name = "王芳";
  a.guardian_phone = "13800138000";
  return a;
}

const ClinicInfo kClinic{"450103001", "新竹社区卫生服务中心", "青秀区新竹路1号", "0771-5550000"};

Result<Plan> PlanOf(const AppointmentInfo& a, std::set<Channel> opted_out = {}) {
  return PlanAppointment(a, kClinic, opted_out, TemplateSet::Default(),
                         immunization::Schedule::Default(), "2026-11-22T01:00:00.000Z");
}

TEST(PlannerTest, OneNoticePerChannelWithTheAppointmentKey) {
  auto plan = PlanOf(Booked());
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_EQ(plan->notices.size(), 4u);
  EXPECT_TRUE(plan->skipped.empty());
  std::set<std::string> keys;
  for (const Notice& n : plan->notices) {
    keys.insert(n.idempotency_key);
    EXPECT_EQ(n.idempotency_key,
              "appt:0192f000-0000-7000-8000-000000000001:" + std::string(ChannelCode(n.channel)));
    EXPECT_EQ(n.status, NoticeStatus::kQueued);
    EXPECT_EQ(n.next_attempt_at, "2026-11-22T01:00:00.000Z");
    EXPECT_EQ(n.clinic_code, "450103001");
    EXPECT_EQ(n.appointment_date, "2026-11-23");
    EXPECT_NE(n.text.find("王小花"), std::string::npos) << n.text;
    EXPECT_NE(n.text.find("2026年11月23日"), std::string::npos) << n.text;
    // Names from the catalogue; an unknown code is shown as given.
    EXPECT_NE(n.text.find("乙肝疫苗、麻腮风疫苗、NOPE"), std::string::npos) << n.text;
    EXPECT_NE(n.text.find("青秀区新竹路1号"), std::string::npos) << n.text;
    EXPECT_NE(n.text.find("0771-5550000"), std::string::npos) << n.text;
    auto payload = nlohmann::json::parse(n.payload);
    EXPECT_EQ(payload["weekday"], "星期一");
    EXPECT_EQ(payload["vaccine_codes"], nlohmann::json::parse(R"(["HepB","MMR","NOPE"])"));
    EXPECT_EQ(n.recipient, NeedsPhone(n.channel) ? "13800138000" : "");
  }
  EXPECT_EQ(keys.size(), 4u);
}

TEST(PlannerTest, OptedOutChannelsAreSkipped) {
  auto plan = PlanOf(Booked(), {Channel::kSms, Channel::kSlip});
  ASSERT_TRUE(plan.ok());
  std::set<Channel> planned;
  for (const Notice& n : plan->notices) planned.insert(n.channel);
  EXPECT_EQ(planned, (std::set<Channel>{Channel::kPhone, Channel::kWeb}));
  ASSERT_EQ(plan->skipped.size(), 2u);
  for (const Skipped& s : plan->skipped) EXPECT_EQ(s.reason, "opted_out");
}

TEST(PlannerTest, SmsAndPhoneNeedANumberWebAndSlipDoNot) {
  AppointmentInfo a = Booked();
  a.guardian_phone.clear();
  a.guardian_name.clear();
  auto plan = PlanOf(a);
  ASSERT_TRUE(plan.ok());
  std::set<Channel> planned;
  for (const Notice& n : plan->notices) planned.insert(n.channel);
  EXPECT_EQ(planned, (std::set<Channel>{Channel::kSlip, Channel::kWeb}));
  ASSERT_EQ(plan->skipped.size(), 2u);
  for (const Skipped& s : plan->skipped) EXPECT_EQ(s.reason, "no_phone");
  // A guardian without a name on the certificate is addressed as 家长.
  for (const Notice& n : plan->notices) {
    if (n.channel == Channel::kSlip) {
      EXPECT_EQ(n.text.rfind("家长：", 0), 0u) << n.text;
    }
  }
}

TEST(PlannerTest, OnlyBookedAppointmentsAreReminded) {
  for (const char* status : {"attended", "missed", "rescheduled", "cancelled"}) {
    AppointmentInfo a = Booked();
    a.status = status;
    auto plan = PlanOf(a);
    ASSERT_TRUE(plan.ok());
    EXPECT_TRUE(plan->notices.empty()) << status;
  }
}

TEST(PlannerTest, VaccineNamesJoinWithTheChineseEnumerationComma) {
  const auto& schedule = immunization::Schedule::Default();
  EXPECT_EQ(VaccineNamesZh(schedule, R"(["BCG"])"), "卡介苗");
  EXPECT_EQ(VaccineNamesZh(schedule, R"(["IPV","DTaP"])"), "脊灰灭活疫苗、百白破疫苗");
  EXPECT_EQ(VaccineNamesZh(schedule, "[]"), "");
  EXPECT_EQ(VaccineNamesZh(schedule, "not json"), "");
}

}  // namespace
}  // namespace jd::notify
