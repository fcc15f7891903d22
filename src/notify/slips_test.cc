#include "notify/slips.h"

#include <gtest/gtest.h>

namespace jd::notify {
namespace {

NoticeRow Row(const std::string& person, const std::string& child, const std::string& vaccines,
              Channel ch = Channel::kSlip) {
  NoticeRow r;
  r.notice.id = "0192f000-0000-7000-8000-" + person;
  r.notice.person_id = person;
  r.notice.channel = ch;
  r.notice.recipient = "13800138000";
  r.notice.appointment_date = "2026-11-23";
  r.notice.text = "家长：\n您的孩子" + child + "应接种" + vaccines + "。";
  r.notice.payload = nlohmann::json{{"guardian_name", "王芳"}, {"vaccines", vaccines}}.dump();
  r.child_name = child;
  return r;
}

const ClinicInfo kClinic{"450103001", "新竹社区卫生服务中心", "新竹路1号", "0771-5550000"};

TEST(SlipsTest, OneSlipPerChildSelfContainedAndPrintable) {
  std::vector<NoticeRow> rows = {Row("a", "王小花", "乙肝疫苗"), Row("a", "王小花", "卡介苗"),
                                 Row("b", "李<script>", "麻腮风疫苗")};
  std::string html = SlipsHtml(kClinic, "2026-11-23", rows);
  auto count = [&](const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = html.find(needle); pos != std::string::npos; pos = html.find(needle, pos + 1))
      ++n;
    return n;
  };
  EXPECT_EQ(count("<section class=\"slip\">"), 2u);
  EXPECT_EQ(count("<h2>预防接种通知单</h2>"), 2u);
  EXPECT_NE(html.find("乙肝疫苗、卡介苗"), std::string::npos);  // the child's notices together
  EXPECT_NE(html.find("2026年11月23日（星期一）"), std::string::npos);
  EXPECT_NE(html.find("size: A4"), std::string::npos);
  EXPECT_NE(html.find("page-break-inside: avoid"), std::string::npos);
  // Escaped, and nothing loaded from anywhere.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("李&lt;script&gt;"), std::string::npos);
  for (const char* external : {"http:", "https:", "src=", "<link", "@import", "url("}) {
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  }
}

TEST(SlipsTest, AnEmptyDaySaysSo) {
  std::string html = SlipsHtml(kClinic, "2026-11-23", {});
  EXPECT_NE(html.find("没有需要打印的通知单"), std::string::npos);
}

TEST(SlipsTest, CallListKeepsTheFullNumber) {
  std::vector<NoticeRow> rows = {Row("a", "王小花", "乙肝疫苗", Channel::kPhone)};
  auto j = CallListJson(rows);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["phone"], "13800138000");
  EXPECT_EQ(j[0]["guardian_name"], "王芳");
  std::string csv = CallListCsv(rows);
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBF序号,儿童姓名,监护人,电话", 0), 0u);
  EXPECT_NE(csv.find("13800138000"), std::string::npos);
}

TEST(SlipsTest, HtmlEscapeCoversTheFiveCharacters) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

}  // namespace
}  // namespace jd::notify
