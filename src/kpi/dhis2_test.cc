#include "kpi/dhis2.h"

#include <expat.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace jd::kpi {
namespace {

using json = nlohmann::json;

Period P(const char* text) { return *ParsePeriod(text); }

std::vector<Indicator> Indicators() {
  Indicator count;
  count.code = "REG_FLOATING";
  count.kind = IndicatorKind::kCount;
  count.dhis2_uid = "Abcdefghij1";
  Indicator rate;
  rate.code = "KEY_EHR_CHILD";
  rate.kind = IndicatorKind::kRate;
  rate.target = 0.8;
  rate.dhis2_uid = "Bbcdefghij2";
  Indicator days;
  days.code = "DOC_REVIEW_DAYS";
  days.kind = IndicatorKind::kMeanDays;
  days.dhis2_uid = "Cbcdefghij3";
  return {count, rate, days};
}

IndicatorValue V(const char* code, const char* org, const Period& p, double num, double den,
                 std::optional<double> value) {
  return IndicatorValue{code, org, p, num, den, value, std::nullopt, std::nullopt};
}

std::vector<IndicatorValue> Values() {
  Period p = P("2026-11");
  return {
      V("REG_FLOATING", "450100", p, 1500, 0, 1500),
      V("KEY_EHR_CHILD", "450100", p, 85, 100, 0.85),
      V("DOC_REVIEW_DAYS", "450100", p, 35.5, 10, 3.55),
      V("REG_FLOATING", "450103001", p, 20, 0, 20),
      V("KEY_EHR_CHILD", "450103001", p, 0, 0, std::nullopt),
  };
}

TEST(Dhis2Test, PeriodsNumbersAndEscaping) {
  EXPECT_EQ(AdxPeriod(P("2026-11")), "2026-11-01/P1M");
  EXPECT_EQ(AdxPeriod(P("2026Q4")), "2026-10-01/P3M");
  EXPECT_EQ(AdxPeriod(P("2026")), "2026-01-01/P1Y");

  EXPECT_EQ(Dhis2Number(1500), "1500");
  EXPECT_EQ(Dhis2Number(12.5), "12.5");
  EXPECT_EQ(Dhis2Number(0.1), "0.1");
  EXPECT_EQ(Dhis2Number(-0.0), "0");
  EXPECT_EQ(Dhis2Number(-3), "-3");
  EXPECT_EQ(Dhis2Number(1e20), "100000000000000000000");
  EXPECT_EQ(Dhis2Number(1e-7), "0.0000001");

  EXPECT_EQ(XmlEscape("a&b<c>\"d'e"), "a&amp;b&lt;c&gt;&quot;d&apos;e");
  EXPECT_EQ(XmlEscape("x\ty\nz\r"), "x&#9;y&#10;z&#13;");
  EXPECT_EQ(XmlEscape(std::string("a\x01"
                                  "b\x7F"
                                  "c",
                                  5)),
            "abc");
  EXPECT_EQ(XmlEscape("南宁市青秀区"), "南宁市青秀区");
  EXPECT_EQ(XmlEscape("\xF0\x9F\x98\x80"), "\xF0\x9F\x98\x80");  // beyond the BMP is fine
  EXPECT_EQ(XmlEscape("a\xC3"
                      "b"),
            "ab");  // truncated sequence
  EXPECT_EQ(XmlEscape("a\xED\xA0\x80"
                      "b"),
            "ab");  // a surrogate
  EXPECT_EQ(XmlEscape("a\xEF\xBF\xBE"
                      "b"),
            "ab");  // U+FFFE
  EXPECT_EQ(XmlEscape("a\xC0\xAF"
                      "b"),
            "ab");  // overlong '/'
}

TEST(Dhis2Test, DataValueSetsSendCountsAsValuesAndRatesAsNumeratorAndDenominator) {
  auto text = WriteDataValueSets(Values(), Indicators(), {.data_set = "Kpi0Monthly"});
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  json doc = json::parse(*text);
  EXPECT_EQ(doc["dataSet"], "Kpi0Monthly");
  EXPECT_EQ(doc["period"], "202611");
  EXPECT_FALSE(doc.contains("orgUnit"));  // two units
  EXPECT_EQ(doc["orgUnitIdScheme"], "CODE");
  EXPECT_EQ(doc["dataElementIdScheme"], "UID");
  EXPECT_EQ(doc["categoryOptionComboIdScheme"], "CODE");
  const json& dv = doc["dataValues"];
  ASSERT_EQ(dv.size(), 8u);  // 1 + 2 + 2 for the city, 1 + 2 for the street
  EXPECT_EQ(dv[0], json::parse(R"({"dataElement":"Abcdefghij1","period":"202611",
                                   "orgUnit":"450100","value":"1500"})"));
  EXPECT_EQ(dv[1], json::parse(R"({"dataElement":"Bbcdefghij2","period":"202611",
                                   "orgUnit":"450100","categoryOptionCombo":"JD_NUM",
                                   "value":"85"})"));
  EXPECT_EQ(dv[2]["categoryOptionCombo"], "JD_DEN");
  EXPECT_EQ(dv[2]["value"], "100");
  EXPECT_EQ(dv[3]["dataElement"], "Cbcdefghij3");
  EXPECT_EQ(dv[3]["value"], "35.5");
  EXPECT_EQ(dv[4]["value"], "10");
  EXPECT_EQ(dv[5]["orgUnit"], "450103001");
  // 0 of 0 is sent as such; the rate is not sent anywhere.
  EXPECT_EQ(dv[6]["value"], "0");
  EXPECT_EQ(dv[7]["value"], "0");
  for (const json& v : dv) {
    EXPECT_TRUE(v["value"].is_string());
    EXPECT_NE(v["value"], "0.85");
  }
}

// What a city node sends, the aggregator reads back: the same values, rates from their parts.
TEST(Dhis2Test, DataValueSetsReadBackAsTheValuesWritten) {
  auto text = WriteDataValueSets(Values(), Indicators());
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  auto back = ReadDataValueSets(*text, Indicators());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  const std::vector<IndicatorValue> sent = Values();
  ASSERT_EQ(back->size(), sent.size());
  for (std::size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ((*back)[i].code, sent[i].code);
    EXPECT_EQ((*back)[i].org, sent[i].org);
    EXPECT_EQ((*back)[i].period, sent[i].period);
    EXPECT_EQ((*back)[i].numerator, sent[i].numerator);
    if (sent[i].code != "REG_FLOATING") {
      EXPECT_EQ((*back)[i].denominator, sent[i].denominator);
    }
    EXPECT_EQ((*back)[i].value, sent[i].value) << sent[i].code << " " << sent[i].org;
  }
  EXPECT_EQ((*back)[1].met, true);  // 0.85 against the target 0.8
  EXPECT_FALSE((*back)[4].met.has_value());

  // A data element this node does not know is skipped; broken values are field errors.
  json doc = json::parse(*text);
  doc["dataValues"].push_back({{"dataElement", "Zzzzzzzzzz9"},
                               {"period", "202611"},
                               {"orgUnit", "450100"},
                               {"value", "7"}});
  EXPECT_EQ(ReadDataValueSets(doc.dump(), Indicators())->size(), sent.size());
  json broken = json::parse(*text);
  broken["dataValues"][0]["value"] = "many";
  broken["dataValues"][1]["categoryOptionCombo"] = "JD_OTHER";
  broken["dataValues"].push_back(broken["dataValues"][3]);
  Status st = ReadDataValueSets(broken.dump(), Indicators()).status();
  auto named = [&](const std::string& field, const std::string& code) {
    for (const auto& e : st.field_errors()) {
      if (e.field == field && e.code == code) return true;
    }
    return false;
  };
  EXPECT_TRUE(named("dataValues[0]", "invalid_value"));
  EXPECT_TRUE(named("dataValues[1]", "unknown_combo"));
  EXPECT_TRUE(named("dataValues[8]", "duplicate_value"));
  EXPECT_TRUE(named("dataValues", "incomplete_rate"));  // the city's rate lost its numerator
  EXPECT_FALSE(ReadDataValueSets("{\"not\": 1}", Indicators()).ok());
}

TEST(Dhis2Test, OneUnitPutsItAtTheTopAndCombosCanBeRenamed) {
  std::vector<IndicatorValue> values = Values();
  values.resize(2);
  auto text = WriteDataValueSets(values, Indicators(),
                                 {.numerator_combo = "NUM", .denominator_combo = "DEN"});
  ASSERT_TRUE(text.ok());
  json doc = json::parse(*text);
  EXPECT_FALSE(doc.contains("dataSet"));
  EXPECT_EQ(doc["orgUnit"], "450100");
  EXPECT_EQ(doc["dataValues"][1]["categoryOptionCombo"], "NUM");
  EXPECT_EQ(doc["dataValues"][2]["categoryOptionCombo"], "DEN");

  // Several periods: each value has its own, none at the top.
  values[1].period = P("2026-10");
  doc = json::parse(*WriteDataValueSets(values, Indicators()));
  EXPECT_FALSE(doc.contains("period"));
  EXPECT_EQ(doc["dataValues"][1]["period"], "202610");

  // Nothing to send is an empty list, not an error.
  doc = json::parse(*WriteDataValueSets({}, Indicators()));
  EXPECT_TRUE(doc["dataValues"].empty());
}

std::vector<std::string> Codes(const Status& s) {
  std::vector<std::string> out;
  for (const auto& e : s.field_errors()) out.push_back(e.code);
  return out;
}

TEST(Dhis2Test, WhatCannotBeSentIsFieldErrors) {
  std::vector<Indicator> inds = Indicators();
  inds[2].dhis2_uid = "short";
  std::vector<IndicatorValue> values = Values();
  values.push_back(V("NO_SUCH", "450100", P("2026-11"), 1, 0, 1));
  values.push_back(V("REG_FLOATING", "Nanning", P("2026-11"), 1, 0, 1));
  values.push_back(V("KEY_EHR_CHILD", "450103", P("2026-11"), std::nan(""), 1, std::nullopt));
  values.push_back(V("KEY_EHR_CHILD", "450100", P("2026-11"), 1, 2, 0.5));
  auto r = WriteDataValueSets(values, inds);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(Codes(r.status()),
            (std::vector<std::string>{"invalid_dhis2_uid", "unknown_indicator", "invalid_org_code",
                                      "not_finite", "duplicate_value"}));

  r = WriteDataValueSets(Values(), Indicators(), {.data_set = "not a uid"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(Codes(r.status()), std::vector<std::string>{"invalid_data_set"});
  r = WriteDataValueSets(Values(), Indicators(),
                         {.numerator_combo = "SAME", .denominator_combo = "SAME"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(Codes(r.status()), std::vector<std::string>{"invalid_combo_code"});
}

std::chrono::system_clock::time_point Exported() {
  return std::chrono::sys_days{std::chrono::year{2026} / 12 / 1} + std::chrono::hours{2};
}

TEST(Dhis2Test, AdxGroupsByUnitAndPeriodWithTheSplitAsACategoryAttribute) {
  std::vector<IndicatorValue> values = Values();
  values.push_back(V("REG_FLOATING", "450100", P("2026Q4"), 4000, 0, 4000));
  auto text = WriteAdx(values, Indicators(), {.data_set = "JD_KPI_MONTHLY"}, Exported());
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<adx xmlns=\"urn:ihe:qrph:adx:2015\" exported=\"2026-12-01T02:00:00.000Z\">\n"
            "  <group orgUnit=\"450100\" period=\"2026-11-01/P1M\" dataSet=\"JD_KPI_MONTHLY\">\n"
            "    <dataValue dataElement=\"Abcdefghij1\" value=\"1500\"/>\n"
            "    <dataValue dataElement=\"Bbcdefghij2\" JD_PART=\"JD_NUM\" value=\"85\"/>\n"
            "    <dataValue dataElement=\"Bbcdefghij2\" JD_PART=\"JD_DEN\" value=\"100\"/>\n"
            "    <dataValue dataElement=\"Cbcdefghij3\" JD_PART=\"JD_NUM\" value=\"35.5\"/>\n"
            "    <dataValue dataElement=\"Cbcdefghij3\" JD_PART=\"JD_DEN\" value=\"10\"/>\n"
            "  </group>\n"
            "  <group orgUnit=\"450103001\" period=\"2026-11-01/P1M\" dataSet=\"JD_KPI_MONTHLY\">\n"
            "    <dataValue dataElement=\"Abcdefghij1\" value=\"20\"/>\n"
            "    <dataValue dataElement=\"Bbcdefghij2\" JD_PART=\"JD_NUM\" value=\"0\"/>\n"
            "    <dataValue dataElement=\"Bbcdefghij2\" JD_PART=\"JD_DEN\" value=\"0\"/>\n"
            "  </group>\n"
            "  <group orgUnit=\"450100\" period=\"2026-10-01/P3M\" dataSet=\"JD_KPI_MONTHLY\">\n"
            "    <dataValue dataElement=\"Abcdefghij1\" value=\"4000\"/>\n"
            "  </group>\n"
            "</adx>\n");
}

// What an XML parser sees: element names (with their namespace) and attributes.
struct Parsed {
  std::vector<std::string> elements;
  std::vector<std::map<std::string, std::string>> attributes;
};

Parsed ParseXml(const std::string& text, bool& well_formed) {
  Parsed out;
  XML_Parser p = XML_ParserCreateNS("UTF-8", '|');
  XML_SetUserData(p, &out);
  XML_SetStartElementHandler(p, [](void* data, const XML_Char* name, const XML_Char** atts) {
    auto* o = static_cast<Parsed*>(data);
    o->elements.emplace_back(name);
    std::map<std::string, std::string> a;
    for (int i = 0; atts[i]; i += 2) a[atts[i]] = atts[i + 1];
    o->attributes.push_back(std::move(a));
  });
  well_formed =
      XML_Parse(p, text.data(), static_cast<int>(text.size()), /*isFinal=*/1) == XML_STATUS_OK;
  XML_ParserFree(p);
  return out;
}

TEST(Dhis2Test, AdxIsWellFormedInTheAdxNamespace) {
  auto text = WriteAdx(Values(), Indicators(),
                       {.data_set = "JD_KPI",
                        .numerator_combo = "N",
                        .denominator_combo = "D",
                        .part_category = "_PART"},
                       Exported());
  ASSERT_TRUE(text.ok());
  bool ok = false;
  Parsed x = ParseXml(*text, ok);
  ASSERT_TRUE(ok);
  ASSERT_EQ(x.elements.size(), 1u + 2u + 8u);
  EXPECT_EQ(x.elements[0], "urn:ihe:qrph:adx:2015|adx");
  EXPECT_EQ(x.elements[1], "urn:ihe:qrph:adx:2015|group");
  EXPECT_EQ(x.attributes[1].at("orgUnit"), "450100");
  EXPECT_EQ(x.elements[3], "urn:ihe:qrph:adx:2015|dataValue");
  EXPECT_EQ(x.attributes[3].at("_PART"), "N");
  EXPECT_EQ(x.attributes[3].at("value"), "85");
}

TEST(Dhis2Test, AdxNeedsADataSetAndACategoryThatCanBeAnAttribute) {
  auto r = WriteAdx(Values(), Indicators(), {}, Exported());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(Codes(r.status()), std::vector<std::string>{"data_set_required"});
  r = WriteAdx(Values(), Indicators(), {.data_set = "A&B", .part_category = "1PART"}, Exported());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(Codes(r.status()),
            (std::vector<std::string>{"invalid_data_set", "invalid_category_code"}));
  r = WriteAdx(Values(), Indicators(), {.data_set = "JD", .part_category = "JD PART"}, Exported());
  ASSERT_FALSE(r.ok());
}

}  // namespace
}  // namespace jd::kpi
