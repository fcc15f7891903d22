#include "notify/templates.h"

#include <gtest/gtest.h>

namespace jd::notify {
namespace {

Date D(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

TEST(RenderTest, FillsEveryPlaceholder) {
  auto r = Render(
      "{child_name}于{date}接种{vaccines}",
      {{"child_name", "李小明"}, {"date", "2026年11月23日"}, {"vaccines", "乙肝疫苗、卡介苗"}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "李小明于2026年11月23日接种乙肝疫苗、卡介苗");
}

TEST(RenderTest, DoubledBracesAreLiteralAndValuesAreNotReinterpreted) {
  // A value that looks like a placeholder stays as written: rendering is one pass.
  auto r = Render("{{x}} {a}}}", {{"a", "{b}"}, {"b", "no"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "{x} {b}}");
}

TEST(RenderTest, MissingValueIsAnErrorNotAHalfMessage) {
  auto r = Render("您好 {guardian_name}", {});
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.status().field_errors().size(), 1u);
  EXPECT_EQ(r.status().field_errors()[0].code, "missing_variable");
  EXPECT_EQ(r.status().field_errors()[0].field, "guardian_name");
}

TEST(RenderTest, MalformedTemplatesAreRefused) {
  for (const char* bad : {"{child_name", "a } b", "{Child}", "{}", "{child name}"}) {
    auto r = Render(bad, {{"child_name", "x"}});
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().field_errors()[0].code, "bad_template") << bad;
  }
}

TEST(TemplateSetTest, TheShippedSetHasAReminderPerChannelInChinese) {
  const TemplateSet& set = TemplateSet::Default();
  EXPECT_NE(set.source().find("预防接种服务规范"), std::string::npos);
  TemplateVars vars;
  for (auto name : kPlaceholders) vars[std::string(name)] = "<" + std::string(name) + ">";
  for (Channel ch : kAllChannels) {
    const Template* t = set.Find(kAppointmentReminder, ch);
    ASSERT_NE(t, nullptr) << ChannelCode(ch);
    auto text = Render(t->text, vars);
    ASSERT_TRUE(text.ok()) << ChannelCode(ch);
    // What a notice must tell the guardian: child, vaccines, date, place and how to reach it.
    for (const char* needed :
         {"<child_name>", "<vaccines>", "<date>", "<clinic_address>", "<clinic_phone>"}) {
      EXPECT_NE(text->find(needed), std::string::npos) << ChannelCode(ch) << " lacks " << needed;
    }
    EXPECT_NE(text->find("接种"), std::string::npos);
  }
}

TEST(TemplateSetTest, LoadChecksChannelsPlaceholdersAndDuplicates) {
  auto ok = TemplateSet::Load(R"({"placeholders":{"child_name":""},"templates":[
      {"code":"x","channel":"sms","text":"{child_name}"}]})");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  ASSERT_NE(ok->Find("x", Channel::kSms), nullptr);
  EXPECT_EQ(ok->Find("x", Channel::kWeb), nullptr);

  EXPECT_FALSE(
      TemplateSet::Load(R"({"templates":[{"code":"x","channel":"fax","text":"a"}]})").ok());
  // A placeholder the file does not declare.
  EXPECT_FALSE(TemplateSet::Load(R"({"placeholders":{"child_name":""},"templates":[
      {"code":"x","channel":"sms","text":"{vaccines}"}]})")
                   .ok());
  // A declared placeholder the planner does not fill.
  EXPECT_FALSE(TemplateSet::Load(R"({"placeholders":{"shoe_size":""},"templates":[]})").ok());
  EXPECT_FALSE(TemplateSet::Load(R"({"templates":[
      {"code":"x","channel":"sms","text":"a"},{"code":"x","channel":"sms","text":"b"}]})")
                   .ok());
  EXPECT_FALSE(TemplateSet::Load("[]").ok());
  EXPECT_FALSE(TemplateSet::Load("not json").ok());
}

TEST(DateZhTest, FormatsDateAndWeekday) {
  EXPECT_EQ(FormatDateZh(D(2026, 11, 23)), "2026年11月23日");
  EXPECT_EQ(WeekdayZh(D(2026, 11, 23)), "星期一");
  EXPECT_EQ(WeekdayZh(D(2026, 11, 22)), "星期日");
  EXPECT_EQ(WeekdayZh(D(2024, 2, 29)), "星期四");
}

}  // namespace
}  // namespace jd::notify
