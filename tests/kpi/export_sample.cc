// kpi_export_sample: writes the statistics module's outputs for a small hand-made city, so that
// scripts can check them with outside tools (a JSON Schema validator, LibreOffice).
//
//   kpi_export_sample --format json|adx|xlsx|csv --out FILE
//
// json: a dataValueSets document with the hand-made values plus one value of every indicator of
//   the shipped catalogue for the city (so that every real UID passes through the schema);
// adx: the hand-made values as ADX; xlsx, csv: the November 2026 monthly report of the city and
//   its two districts (the same table in both).
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "kpi/catalogue.h"
#include "kpi/dhis2.h"
#include "kpi/report.h"

namespace {

using jd::kpi::Indicator;
using jd::kpi::IndicatorKind;
using jd::kpi::IndicatorValue;
using jd::kpi::Period;
using jd::registry::OrgLevel;

std::vector<Indicator> Indicators() {
  Indicator count;
  count.code = "REG_FLOATING";
  count.name_zh = "流动人口数";
  count.kind = IndicatorKind::kCount;
  count.numerator_zh = "统计日符合流动人口认定条件的在住人员数";
  count.dhis2_uid = "RegFloat001";
  Indicator rate;
  rate.code = "KEY_EHR_CHILD";
  rate.name_zh = "0-6岁儿童电子健康档案建档率";
  rate.kind = IndicatorKind::kRate;
  rate.numerator_zh = "已建电子健康档案的0-6岁流动儿童数";
  rate.denominator_zh = "应建档的0-6岁流动儿童数";
  rate.target = 0.8;
  rate.deadline = std::chrono::year{2020} / 12 / 31;
  rate.target_section = "南宁市实施办法 四(一)";
  rate.dhis2_uid = "KeyEhrChild";
  Indicator days;
  days.code = "DOC_REVIEW_DAYS";
  days.name_zh = "材料平均审核天数";
  days.kind = IndicatorKind::kMeanDays;
  days.numerator_zh = "审核用时合计（天）";
  days.denominator_zh = "本期审核的材料数";
  days.dhis2_uid = "DocReview01";
  return {count, rate, days};
}

IndicatorValue V(const char* code, const char* org, const Period& p, double num, double den,
                 std::optional<double> value, std::optional<bool> met = std::nullopt) {
  return IndicatorValue{code, org, p, num, den, value, std::nullopt, met};
}

std::vector<IndicatorValue> Values(const Period& p) {
  return {
      V("REG_FLOATING", "450100", p, 1500, 0, 1500),
      V("KEY_EHR_CHILD", "450100", p, 853, 1000, 0.853, true),
      V("DOC_REVIEW_DAYS", "450100", p, 35, 10, 3.5),
      V("REG_FLOATING", "450102", p, 600, 0, 600),
      V("KEY_EHR_CHILD", "450102", p, 70, 100, 0.7, false),
      V("DOC_REVIEW_DAYS", "450102", p, 7, 3, 7.0 / 3),
      V("REG_FLOATING", "450103", p, 900, 0, 900),
      V("KEY_EHR_CHILD", "450103", p, 0, 0, std::nullopt),
      V("REG_FLOATING", "450103001", p, 45, 0, 45),
      V("KEY_EHR_CHILD", "450103001", p, 9, 12, 0.75, false),
  };
}

int Fail(const jd::Status& s) {
  std::cerr << "kpi_export_sample: " << s.ToString() << "\n";
  return 1;
}

bool WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  std::string format, out;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--format") == 0) format = argv[i + 1];
    if (std::strcmp(argv[i], "--out") == 0) out = argv[i + 1];
  }
  if (format.empty() || out.empty()) {
    std::cerr << "usage: kpi_export_sample --format json|adx|xlsx|csv --out FILE\n";
    return 2;
  }
  Period p = *jd::kpi::ParsePeriod("2026-11");
  std::vector<Indicator> indicators = Indicators();
  std::vector<IndicatorValue> values = Values(p);

  if (format == "json") {
    for (const Indicator& ind : jd::kpi::Catalogue::Default().indicators()) {
      bool hand_made = false;
      for (const Indicator& h : Indicators()) hand_made = hand_made || h.code == ind.code;
      if (hand_made) continue;
      indicators.push_back(ind);
      values.push_back(V(ind.code.c_str(), "450100", p, 12, 40, 0.3));
    }
    auto text = jd::kpi::WriteDataValueSets(values, indicators);
    if (!text.ok()) return Fail(text.status());
    return WriteText(out, *text) ? 0 : 1;
  }
  if (format == "adx") {
    auto text = jd::kpi::WriteAdx(values, indicators, {.data_set = "JD_KPI_MONTHLY"},
                                  std::chrono::system_clock::now());
    if (!text.ok()) return Fail(text.status());
    return WriteText(out, *text) ? 0 : 1;
  }
  jd::kpi::ReportInput in;
  in.period = p;
  in.units = {{"450100", "南宁市", OrgLevel::kCity, "", "450100/"},
              {"450102", "兴宁区", OrgLevel::kDistrict, "450100", "450100/450102/"},
              {"450103", "青秀区", OrgLevel::kDistrict, "450100", "450100/450103/"}};
  in.indicators = indicators;
  in.values = values;
  auto table = jd::kpi::BuildReport(in);
  if (!table.ok()) return Fail(table.status());
  jd::Status st = format == "xlsx"  ? jd::kpi::WriteReportXlsxFile(*table, out)
                  : format == "csv" ? jd::kpi::WriteReportCsvFile(*table, out)
                                    : jd::Status::Internal("unknown format " + format);
  return st.ok() ? 0 : Fail(st);
}
