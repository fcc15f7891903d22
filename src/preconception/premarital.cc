#include "preconception/premarital.h"

#include <fmt/format.h>

#include <algorithm>

namespace jd::preconception {

namespace {

constexpr const char* kArt8 = "母婴保健法 第八条";
constexpr const char* kArt9 = "母婴保健法 第九条";
constexpr const char* kArt10 = "母婴保健法 第十条";
constexpr const char* kNorm =
    "婚前保健工作规范（修订）(2002) 婚前医学检查 [unconfirmed: text of the 规范]";

const std::vector<PremaritalCategoryInfo> kCategories = {
    {PremaritalCategory::kGenetic,
     "genetic",
     "严重遗传性疾病",
     "severe genetic disease",
     {{"none", "未发现", "none found", std::nullopt, kArt8},
      {"present", "有，可生育（咨询指导）", "present, childbearing not inadvisable", std::nullopt,
       kArt8},
      {"unfit_for_childbearing", "医学上认为不宜生育", "childbearing medically inadvisable",
       Opinion::kNotAdvisableToBear, kArt10}},
     kArt8},
    {PremaritalCategory::kInfectious,
     "infectious",
     "指定传染病",
     "designated infectious disease",
     {{"none", "未发现", "none found", std::nullopt, kArt8},
      {"infectious_period", "在传染期内", "in its infectious period", Opinion::kPostponeMarriage,
       kArt9},
      {"lifelong_carrier", "不在发病期、可能终生传染或病原体携带",
       "not in an active phase, possibly lifelong infectious or a carrier",
       Opinion::kMedicalMeasuresRespectWishes, kNorm},
      {"cured", "已治愈", "cured", std::nullopt, kArt8}},
     kArt8},
    {PremaritalCategory::kMental,
     "mental",
     "有关精神病",
     "relevant mental illness",
     {{"none", "未发现", "none found", std::nullopt, kArt8},
      {"episode", "在发病期内", "in an episode", Opinion::kPostponeMarriage, kArt9},
      {"episode_harmful", "重型精神病发作期有攻击危害行为",
       "severe psychosis with aggressive or harmful behaviour in episodes",
       Opinion::kNotAdvisableToMarry, kNorm},
      // Not a psychosis, but the 规范 names it with it among the grounds of 不宜结婚.
      {"severe_intellectual_disability", "重度、极重度智力低下，不具有婚姻意识能力",
       "severe or profound intellectual disability, without capacity for marriage",
       Opinion::kNotAdvisableToMarry, kNorm},
      {"remission", "不在发病期", "not in an episode", std::nullopt, kArt9}},
     kArt8},
    {PremaritalCategory::kOrganReproductive,
     "organ_reproductive",
     "重要脏器疾病及生殖系统发育障碍",
     "important organ disease or reproductive-system disorder",
     {{"none", "未发现", "none found", std::nullopt, kNorm},
      {"present", "有，咨询指导或治疗", "present, counselled or treated", std::nullopt, kNorm},
      {"postpone", "医学上认为应暂缓结婚", "marriage to be postponed on medical grounds",
       Opinion::kPostponeMarriage, kNorm},
      {"unfit_for_childbearing", "医学上认为不宜生育", "childbearing medically inadvisable",
       Opinion::kNotAdvisableToBear, kNorm}},
     kNorm},
};

// 母婴保健法 第三十八条: 指定传染病 = 传染病防治法中规定的艾滋病、淋病、梅毒、麻风病以及医学上认为
// 影响结婚和生育的其他传染病.
const std::vector<DesignatedDisease> kDiseases = {
    {"hiv", "艾滋病", "HIV/AIDS"},
    {"gonorrhoea", "淋病", "gonorrhoea"},
    {"syphilis", "梅毒", "syphilis"},
    {"leprosy", "麻风病", "leprosy"},
    {"other", "其他影响结婚和生育的传染病", "another infectious disease affecting marriage"},
};

const std::vector<Opinion> kOpinions = {Opinion::kNoContraindication, Opinion::kNotAdvisableToMarry,
                                        Opinion::kPostponeMarriage, Opinion::kNotAdvisableToBear,
                                        Opinion::kMedicalMeasuresRespectWishes};

// The stricter on marriage first (ours, unconfirmed): a smaller rank wins.
int Rank(Opinion o) {
  switch (o) {
    case Opinion::kNotAdvisableToMarry:
      return 0;
    case Opinion::kPostponeMarriage:
      return 1;
    case Opinion::kNotAdvisableToBear:
      return 2;
    case Opinion::kMedicalMeasuresRespectWishes:
      return 3;
    case Opinion::kNoContraindication:
      return 4;
  }
  return 4;
}

}  // namespace

const std::vector<PremaritalCategoryInfo>& PremaritalCategories() { return kCategories; }

const PremaritalCategoryInfo* FindPremaritalCategory(std::string_view code) {
  for (const auto& c : kCategories) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

const FindingState* FindState(const PremaritalCategoryInfo& c, std::string_view code) {
  for (const auto& s : c.states) {
    if (s.code == code) return &s;
  }
  return nullptr;
}

const std::vector<DesignatedDisease>& DesignatedDiseases() { return kDiseases; }

const DesignatedDisease* FindDesignatedDisease(std::string_view code) {
  for (const auto& d : kDiseases) {
    if (d.code == code) return &d;
  }
  return nullptr;
}

std::string_view OpinionCode(Opinion o) {
  switch (o) {
    case Opinion::kNoContraindication:
      return "no_contraindication";
    case Opinion::kNotAdvisableToMarry:
      return "not_advisable_to_marry";
    case Opinion::kPostponeMarriage:
      return "postpone_marriage";
    case Opinion::kNotAdvisableToBear:
      return "not_advisable_to_bear";
    case Opinion::kMedicalMeasuresRespectWishes:
      return "medical_measures_respect_wishes";
  }
  return "no_contraindication";
}

std::string_view OpinionLabelZh(Opinion o) {
  switch (o) {
    case Opinion::kNoContraindication:
      return "未发现医学上不宜结婚情形";
    case Opinion::kNotAdvisableToMarry:
      return "建议不宜结婚";
    case Opinion::kPostponeMarriage:
      return "建议暂缓结婚";
    case Opinion::kNotAdvisableToBear:
      return "建议不宜生育";
    case Opinion::kMedicalMeasuresRespectWishes:
      return "建议采取医学措施，尊重受检者意愿";
  }
  return "";
}

std::string_view OpinionLabelEn(Opinion o) {
  switch (o) {
    case Opinion::kNoContraindication:
      return "no medical reason against marriage found";
    case Opinion::kNotAdvisableToMarry:
      return "marriage not advisable";
    case Opinion::kPostponeMarriage:
      return "marriage to be postponed";
    case Opinion::kNotAdvisableToBear:
      return "childbearing not advisable";
    case Opinion::kMedicalMeasuresRespectWishes:
      return "medical measures advised, the couple's wishes respected";
  }
  return "";
}

std::optional<Opinion> ParseOpinion(std::string_view code) {
  for (Opinion o : kOpinions) {
    if (OpinionCode(o) == code) return o;
  }
  return std::nullopt;
}

const std::vector<Opinion>& Opinions() { return kOpinions; }

bool IsInfectiousFinding(const PremaritalFinding& f) { return f.category == "infectious"; }

bool HasInfectiousFinding(const PremaritalRecord& r) {
  return std::any_of(r.findings.begin(), r.findings.end(), IsInfectiousFinding);
}

IndicatedOpinion Indicate(const PremaritalRecord& r) {
  IndicatedOpinion out;
  std::vector<std::pair<Opinion, std::string>> calls;
  if (r.close_relatives) {
    // 民法典 第一千零四十八条 forbids it; the 规范 writes 建议不宜结婚.
    calls.emplace_back(Opinion::kNotAdvisableToMarry, "close_relatives");
  }
  for (const auto& f : r.findings) {
    const PremaritalCategoryInfo* c = FindPremaritalCategory(f.category);
    const FindingState* s = c ? FindState(*c, f.state) : nullptr;
    if (!s || !s->calls_for) continue;
    calls.emplace_back(*s->calls_for,
                       f.disease.empty() ? fmt::format("{}={}", f.category, f.state)
                                         : fmt::format("{}:{}={}", f.category, f.disease, f.state));
  }
  if (calls.empty()) return out;
  out.opinion = std::min_element(calls.begin(), calls.end(), [](const auto& a, const auto& b) {
                  return Rank(a.first) < Rank(b.first);
                })->first;
  for (const auto& call : calls) {
    if (call.first == out.opinion) out.reasons.push_back(call.second);
  }
  return out;
}

Status ValidatePremarital(const PremaritalRecord& r) {
  FieldErrors errors;
  for (std::size_t i = 0; i < r.findings.size(); ++i) {
    const PremaritalFinding& f = r.findings[i];
    const std::string at = fmt::format("findings[{}]", i);
    const PremaritalCategoryInfo* c = FindPremaritalCategory(f.category);
    if (!c) {
      errors.Add(at + ".category", "unknown_category", "未知的检查类别：" + f.category,
                 "unknown check category: " + f.category);
      continue;
    }
    if (!FindState(*c, f.state)) {
      std::string codes;
      for (const auto& s : c->states) codes += (codes.empty() ? "" : "|") + std::string(s.code);
      errors.Add(at + ".state", "invalid_value",
                 fmt::format("{}的检查结论应为 {}", c->label_zh, codes),
                 fmt::format("the state of a {} finding must be one of {}", c->code, codes));
    }
    if (c->category == PremaritalCategory::kInfectious) {
      if (f.disease.empty() && f.state != "none") {
        errors.Add(at + ".disease", "required", "请填写所患指定传染病",
                   "name the designated infectious disease");
      } else if (!f.disease.empty() && !FindDesignatedDisease(f.disease)) {
        errors.Add(at + ".disease", "invalid_value", "未知的指定传染病：" + f.disease,
                   "unknown designated infectious disease: " + f.disease);
      }
    } else if (!f.disease.empty()) {
      errors.Add(at + ".disease", "invalid_value", "只有指定传染病填写病种",
                 "only an infectious finding names a disease");
    }
  }
  const std::optional<Opinion> opinion = ParseOpinion(r.opinion);
  if (r.opinion.empty()) {
    errors.Add("opinion", "required", "医学意见为必填项", "opinion is required");
  } else if (!opinion) {
    errors.Add("opinion", "invalid_value", "未知的医学意见：" + r.opinion,
               "unknown opinion: " + r.opinion);
  } else if (errors.empty()) {
    const IndicatedOpinion want = Indicate(r);
    if (*opinion != want.opinion) {
      errors.Add("opinion", "contradicts_findings",
                 fmt::format("检查所见应出具“{}”的医学意见", OpinionLabelZh(want.opinion)),
                 fmt::format("the findings call for the opinion {}", OpinionCode(want.opinion)));
    }
  }
  return errors.ToStatus();
}

}  // namespace jd::preconception
