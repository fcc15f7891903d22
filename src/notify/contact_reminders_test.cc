#include "notify/contact_reminders.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "notify/slips.h"

namespace jd::notify {
namespace {

Date D(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

const ClinicInfo kClinic{"450103001", "新竹社区卫生服务中心", "青秀区新竹路1号", "0771-5550000"};
const std::string kPregnancy = "0192f000-0000-7000-8000-0000000000p1";
const std::string kWoman = "0192f000-0000-7000-8000-0000000000w1";
const std::string kChild = "0192f000-0000-7000-8000-0000000000c1";

// LMP 2026-08-01: anc1 through 12+6 and overdue through 15+6 (2026-11-20), anc2 16+0–20+6
// (2026-11-21 – 2026-12-25), anc3 from 21+0 (2026-12-26).
maternal::CareSchedule Schedule(const std::vector<Date>& visits, Date as_of) {
  const Date lmp = D(2026, 8, 1);
  maternal::EpisodeDates episode{
      .dating = {lmp, maternal::EddFromLmp(lmp), maternal::DatingMethod::kLmp},
      .registered_on = D(2026, 9, 1)};
  std::vector<maternal::VisitEvent> events;
  for (std::size_t i = 0; i < visits.size(); ++i) {
    events.push_back({static_cast<std::int64_t>(i), visits[i], maternal::VisitKind::kAntenatal});
  }
  return maternal::ComputeCareSchedule(episode, events, as_of);
}

ContactReminder Woman(const std::string& phone = "13912345678") {
  return {.kind = ReminderKind::kAntenatal,
          .subject_id = kPregnancy,
          .person_id = kWoman,
          .person_name = "李芳",
          .phone = phone};
}

// Born 2025-11-01: m12 opens 2026-11-01 and is on time through 2026-11-30.
child::CheckupPlan ChildPlan(const std::vector<child::ContactRecord>& records, Date as_of) {
  auto plan = child::PlanCheckups({D(2025, 11, 1), std::nullopt, records, as_of});
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  return plan.ok() ? *plan : child::CheckupPlan{};
}

ContactReminder Child(const std::string& guardian = "王芳") {
  return {.kind = ReminderKind::kChildCheckup,
          .subject_id = kChild,
          .person_id = kChild,
          .person_name = "王小花",
          .guardian_name = guardian,
          .phone = "13800138000"};
}

TEST(ContactRemindersTest, AnAntenatalContactIsRemindedWhenItsWindowOpensInTheRange) {
  const Date from = D(2026, 11, 14), to = D(2026, 11, 27);
  auto due = AntenatalToRemind(Woman(), Schedule({D(2026, 9, 15)}, from), from, to);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].contact_code, "anc2");
  EXPECT_EQ(due[0].contact_label, "孕中期第2次产前检查（孕16～20周）");
  EXPECT_EQ(due[0].window_start, D(2026, 11, 21));
  EXPECT_EQ(due[0].window_end, D(2026, 12, 25));
  EXPECT_EQ(due[0].remind_on, D(2026, 11, 21));  // the window's first day
  EXPECT_EQ(due[0].status, "upcoming");
  EXPECT_EQ(due[0].subject_id, kPregnancy);
  EXPECT_EQ(due[0].phone, "13912345678");

  // Opening the day after the range: not yet.
  EXPECT_TRUE(
      AntenatalToRemind(Woman(), Schedule({D(2026, 9, 15)}, from), from, D(2026, 11, 20)).empty());
}

TEST(ContactRemindersTest, AnOverdueContactIsRemindedForTheFirstDayPlanned) {
  const Date from = D(2026, 11, 14), to = D(2026, 11, 27);
  // No visit: anc1 is overdue on the 14th (until 15+6), anc2 opens on the 21st.
  auto due = AntenatalToRemind(Woman(), Schedule({}, from), from, to);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].contact_code, "anc1");
  EXPECT_EQ(due[0].status, "overdue");
  EXPECT_EQ(due[0].remind_on, from);
  EXPECT_EQ(due[1].contact_code, "anc2");
  // On the 21st anc1 is missed: only anc2, due, for that day.
  auto later = AntenatalToRemind(Woman(), Schedule({}, D(2026, 11, 21)), D(2026, 11, 21), to);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].contact_code, "anc2");
  EXPECT_EQ(later[0].status, "due");
}

TEST(ContactRemindersTest, AContactDoneOrMissedClosesItsReminders) {
  auto schedule = Schedule({D(2026, 11, 22)}, D(2026, 11, 23));
  EXPECT_EQ(AntenatalClosed(schedule, "anc2"), "contact_done");
  EXPECT_EQ(AntenatalClosed(schedule, "anc1"), "contact_closed");  // missed
  EXPECT_EQ(AntenatalClosed(schedule, "anc3"), std::nullopt);
  EXPECT_EQ(AntenatalClosed(schedule, "nope"), "contact_closed");

  auto open = ChildPlan({}, D(2026, 11, 22));
  EXPECT_EQ(CheckupClosed(open, "m12"), std::nullopt);
  EXPECT_EQ(CheckupClosed(open, "m8"), "contact_closed");
  auto done = ChildPlan({{D(2026, 11, 10), child::ContactKind::kMonth12}}, D(2026, 11, 22));
  EXPECT_EQ(CheckupClosed(done, "m12"), "contact_done");
}

TEST(ContactRemindersTest, AChildsDueCheckupIsRemindedToTheGuardian) {
  const Date from = D(2026, 11, 22), to = D(2026, 11, 28);
  auto due = CheckupsToRemind(Child(), ChildPlan({}, from), from, to);
  ASSERT_EQ(due.size(), 1u);  // m8 is missed since m12 opened
  EXPECT_EQ(due[0].contact_code, "m12");
  EXPECT_EQ(due[0].contact_label, "12月龄健康检查");
  EXPECT_EQ(due[0].status, "due");
  EXPECT_EQ(due[0].remind_on, from);
  EXPECT_EQ(due[0].window_end, D(2026, 11, 30));
  EXPECT_TRUE(CheckupsToRemind(Child(),
                               ChildPlan({{D(2026, 11, 10), child::ContactKind::kMonth12}}, from),
                               from, to)
                  .empty());
}

TEST(ContactRemindersTest, OneNoticePerChannelWithTheContactKey) {
  const Date from = D(2026, 11, 14);
  auto due = AntenatalToRemind(Woman(), Schedule({D(2026, 9, 15)}, from), from, D(2026, 11, 27));
  ASSERT_EQ(due.size(), 1u);
  auto plan = PlanContact(due[0], kClinic, {}, TemplateSet::Default(), "2026-11-14T01:00:00.000Z");
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_EQ(plan->notices.size(), 4u);
  for (const Notice& n : plan->notices) {
    EXPECT_EQ(n.idempotency_key,
              "anc:" + kPregnancy + ":anc2:" + std::string(ChannelCode(n.channel)));
    EXPECT_EQ(n.person_id, kWoman);
    EXPECT_TRUE(n.appointment_id.empty());
    EXPECT_EQ(n.template_code, "antenatal_reminder");
    EXPECT_EQ(KindOfTemplate(n.template_code), ReminderKind::kAntenatal);
    EXPECT_EQ(n.clinic_code, kClinic.code);
    EXPECT_EQ(n.appointment_date, "2026-11-21");
    EXPECT_EQ(n.status, NoticeStatus::kQueued);
    EXPECT_EQ(n.recipient, NeedsPhone(n.channel) ? "13912345678" : "");
    EXPECT_NE(n.text.find("孕中期第2次产前检查（孕16～20周）"), std::string::npos) << n.text;
    EXPECT_NE(n.text.find("2026年11月21日"), std::string::npos) << n.text;
    EXPECT_NE(n.text.find("2026年12月25日"), std::string::npos) << n.text;
    EXPECT_NE(n.text.find("青秀区新竹路1号"), std::string::npos) << n.text;
    auto payload = nlohmann::json::parse(n.payload);
    EXPECT_EQ(payload["kind"], "antenatal");
    EXPECT_EQ(payload["subject_id"], kPregnancy);
    EXPECT_EQ(payload["contact_code"], "anc2");
    EXPECT_EQ(payload["person_name"], "李芳");
  }
}

TEST(ContactRemindersTest, OptOutsAndMissingPhonesAreSkipped) {
  ContactReminder c = Child("");
  c.phone.clear();
  auto due = CheckupsToRemind(c, ChildPlan({}, D(2026, 11, 22)), D(2026, 11, 22), D(2026, 11, 22));
  ASSERT_EQ(due.size(), 1u);
  auto plan = PlanContact(due[0], kClinic, {Channel::kWeb}, TemplateSet::Default(), "t");
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_EQ(plan->notices.size(), 1u);
  const Notice& slip = plan->notices[0];
  EXPECT_EQ(slip.channel, Channel::kSlip);
  EXPECT_EQ(slip.idempotency_key, "chk:" + kChild + ":m12:slip");
  EXPECT_EQ(slip.template_code, "checkup_reminder");
  EXPECT_NE(slip.text.find("家长"), std::string::npos) << slip.text;
  EXPECT_NE(slip.text.find("王小花的12月龄健康检查"), std::string::npos) << slip.text;
  ASSERT_EQ(plan->skipped.size(), 3u);
  for (const Skipped& s : plan->skipped) {
    EXPECT_EQ(s.kind, ReminderKind::kChildCheckup);
    EXPECT_EQ(s.contact, "m12");
    EXPECT_TRUE(s.appointment_id.empty());
    EXPECT_EQ(s.reason, s.channel == Channel::kWeb ? "opted_out" : "no_phone");
  }
}

TEST(ContactRemindersTest, SlipsAndCallListSayWhatTheReminderIsAbout) {
  const Date from = D(2026, 11, 21);
  auto due = AntenatalToRemind(Woman(), Schedule({D(2026, 9, 15)}, from), from, from);
  ASSERT_EQ(due.size(), 1u);
  auto plan = PlanContact(due[0], kClinic, {}, TemplateSet::Default(), "t");
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  std::vector<NoticeRow> slips, calls;
  for (const Notice& n : plan->notices) {
    NoticeRow row{n, "李芳", "450100/450103/450103001/"};
    if (n.channel == Channel::kSlip) slips.push_back(row);
    if (n.channel == Channel::kPhone) calls.push_back(row);
  }
  ASSERT_EQ(slips.size(), 1u);
  EXPECT_EQ(NoticeSubject(slips[0].notice), "孕中期第2次产前检查（孕16～20周）");
  std::string html = SlipsHtml(kClinic, "2026-11-21", slips);
  EXPECT_NE(html.find("<h2>孕产妇检查通知单</h2>"), std::string::npos);
  EXPECT_EQ(html.find("预防接种"), std::string::npos);
  EXPECT_NE(html.find("2026年11月21日 至 2026年12月25日"), std::string::npos);
  auto list = CallListJson(calls);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["kind"], "antenatal");
  EXPECT_EQ(list[0]["phone"], "13912345678");
  EXPECT_EQ(list[0]["subject"], "孕中期第2次产前检查（孕16～20周）");
  EXPECT_EQ(list[0]["vaccines"], "");
  EXPECT_NE(CallListCsv(calls).find("孕产妇检查"), std::string::npos);
}

TEST(ContactRemindersTest, EveryKindHasATemplatePerChannel) {
  for (ReminderKind k : kAllReminderKinds) {
    EXPECT_EQ(ParseReminderKind(ReminderKindCode(k)), k);
    for (Channel ch : kAllChannels) {
      EXPECT_NE(TemplateSet::Default().Find(ReminderTemplate(k), ch), nullptr)
          << ReminderKindCode(k) << " " << ChannelCode(ch);
    }
  }
  EXPECT_EQ(ParseReminderKind("flu"), std::nullopt);
  EXPECT_EQ(KindOfTemplate("other"), std::nullopt);
  EXPECT_EQ(AntenatalKey("p", "anc1", Channel::kSms), "anc:p:anc1:sms");
  EXPECT_EQ(CheckupKey("c", "m3", Channel::kPhone), "chk:c:m3:phone");
}

}  // namespace
}  // namespace jd::notify
