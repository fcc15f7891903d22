// The notices of a danger alert (notify/alert_notices.h): one web notice per partner user of the
// area, addressed to the user, saying name, address, level and time in Beijing time and nothing
// else (规范 第三版 严重精神障碍患者管理服务规范 二(三)1).
#include "notify/alert_notices.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace jd::notify {
namespace {

mental::AlertRow Alert() {
  mental::AlertRow a;
  a.alert.id = "0190a1b2-0000-7000-8000-000000000001";
  a.alert.patient_id = "patient-1";
  a.alert.area_path = "/450100/450103/450103001/";
  a.alert.danger_level = 3;
  // 00:30 on 7 December in Beijing: the day of the notice is the Beijing day.
  a.alert.raised_at = "2026-12-06T16:30:00.000Z";
  a.name = "张三";
  a.address = "南湖路8号";
  a.residence_org = "450103001";
  a.person_id = "person-1";
  return a;
}

TEST(BeijingTimeZh, IsUtcPlusEight) {
  EXPECT_EQ(BeijingTimeZh("2026-12-06T16:30:00.000Z"), "2026年12月7日 00:30");
  EXPECT_EQ(BeijingTimeZh("2026-01-31T15:59:59Z"), "2026年1月31日 23:59");
  EXPECT_EQ(BeijingTimeZh("not a time"), "not a time");
}

TEST(PlanAlertNotices, OneWebNoticePerPartnerUserAddressedToThem) {
  const std::vector<auth::AlertRecipient> to = {
      {.user_id = "u-1", .username = "partner_a", .display_name = "李综治", .org_code = "450103"},
      {.user_id = "u-2", .username = "police_a", .display_name = "", .org_code = "450103001"}};
  auto plan = PlanAlertNotices(Alert(), "青秀区南湖街道", to, TemplateSet::Default());
  ASSERT_TRUE(plan.ok()) << plan.status().message_en();
  ASSERT_EQ(plan->size(), 2u);
  const Notice& n = (*plan)[0];
  EXPECT_EQ(n.person_id, "person-1");
  EXPECT_EQ(n.channel, Channel::kWeb);
  EXPECT_EQ(n.recipient, "partner_a");
  EXPECT_EQ(n.recipient_user, "u-1");
  EXPECT_EQ(n.template_code, "danger_alert");
  EXPECT_EQ(n.idempotency_key, "alert:0190a1b2-0000-7000-8000-000000000001:u-1:web");
  EXPECT_EQ(n.appointment_date, "2026-12-07");
  EXPECT_EQ(n.next_attempt_at, "2026-12-06T16:30:00.000Z");
  EXPECT_EQ(n.text,
            "【危险性预警】李综治：青秀区南湖街道张三（南湖路8号）于2026年12月7日 "
            "00:30经随访评估危险性为3级，请尽快与辖区社区卫生服务中心联系，协同做好应急处置，"
            "并在均等平台“危险性预警”中确认。");
  // The payload holds the message's variables and the alert, nothing more.
  const auto payload = nlohmann::json::parse(n.payload);
  std::vector<std::string> keys;
  for (const auto& [k, _] : payload.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"address", "alert_id", "area_name", "danger_level",
                                            "kind", "person_name", "raised_at", "recipient_name"}));
  // A user without a display name is addressed by username.
  EXPECT_NE((*plan)[1].text.find("police_a："), std::string::npos) << (*plan)[1].text;
  EXPECT_EQ((*plan)[1].idempotency_key, "alert:0190a1b2-0000-7000-8000-000000000001:u-2:web");
}

TEST(PlanAlertNotices, NoPartnerUserNoNotice) {
  auto plan = PlanAlertNotices(Alert(), "青秀区南湖街道", {}, TemplateSet::Default());
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->empty());
}

TEST(PlanAlertNotices, ABrokenTemplateSetIsAnErrorNotAHalfMessage) {
  auto set = TemplateSet::Load(R"({"placeholders":{"person_name":""},"templates":[]})");
  ASSERT_TRUE(set.ok());
  auto plan = PlanAlertNotices(Alert(), "x", {{.user_id = "u", .username = "u"}}, *set);
  EXPECT_FALSE(plan.ok());
}

}  // namespace
}  // namespace jd::notify
