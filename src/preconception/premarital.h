// File: preconception/premarital.h
// The premarital medical check (婚前医学检查) of one person of a couple, as pure rules:
//
// - What it covers (中华人民共和国母婴保健法 第八条, with
// 婚前保健工作规范（修订）卫基妇发〔2002〕147号
//   for the fourth category): 严重遗传性疾病 (genetic), 指定传染病 (infectious:
//   艾滋病、淋病、梅毒、 麻风 and other infectious diseases that medically affect marriage and
//   childbearing, as the 法 第三十八条 defines them), 有关精神病 (mental:
//   精神分裂症、躁狂抑郁型精神病 and other severe psychoses) and 其他与婚育有关的疾病 —
//   重要脏器疾病 and 生殖系统发育障碍 (organ_reproductive).
// - The findings recorded per category: a state from the category's list, for an infectious
//   finding the disease, and a free-text diagnosis.
// - The medical opinion (医学意见) of the 婚前医学检查证明, one of the 规范's five wordings, and
// the
//   opinion the findings call for (IndicatedOpinion):
//     · 直系血亲、三代以内旁系血亲 (close_relatives), 重型精神病在发作期有攻击危害行为, 重度、
//       极重度智力低下不具有婚姻意识能力 → 建议不宜结婚 (规范; 民法典 第一千零四十八条);
//     · 指定传染病在传染期内, 有关精神病在发病期内 (母婴保健法 第九条), or another disease for
//       which marriage is to be postponed (规范) → 建议暂缓结婚;
//     · a severe genetic disease for which childbearing is medically inadvisable (第十条), or an
//       important organ disease that makes it so (规范) → 建议不宜生育;
//     · an infectious disease not in its infectious period that may be infectious for life, or a
//       carrier (规范) → 建议采取医学措施，尊重受检者意愿;
//     · otherwise → 未发现医学上不宜结婚情形.
//   Wording confirmed from public copies of the law (第七至十条) and press summaries of the 规范
//   (2009); the text of the 规范 itself and the wording of 建议采取医学措施，尊重受检者意愿 are
//   unconfirmed. The certificate here carries one opinion; where findings call for several the
//   stricter one on marriage wins (不宜结婚 > 暂缓结婚 > 不宜生育 > 采取医学措施) and the others go
//   into the advice — ours, unconfirmed.
//
// All functions are pure and thread-safe; validation returns every field error at once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace jd::preconception {

enum class PremaritalCategory { kGenetic, kInfectious, kMental, kOrganReproductive };

enum class Opinion {
  kNoContraindication,            // 未发现医学上不宜结婚情形
  kNotAdvisableToMarry,           // 建议不宜结婚
  kPostponeMarriage,              // 建议暂缓结婚
  kNotAdvisableToBear,            // 建议不宜生育
  kMedicalMeasuresRespectWishes,  // 建议采取医学措施，尊重受检者意愿
};

// One state a finding of a category may have, and the opinion it calls for (nullopt: none beyond
// counselling).
struct FindingState {
  std::string_view code;
  std::string_view label_zh;
  std::string_view label_en;
  std::optional<Opinion> calls_for;
  std::string_view cite;
};

struct PremaritalCategoryInfo {
  PremaritalCategory category;
  std::string_view code;  // "genetic" | "infectious" | "mental" | "organ_reproductive"
  std::string_view label_zh;
  std::string_view label_en;
  std::vector<FindingState> states;  // the first is "none"
  std::string_view cite;
};

const std::vector<PremaritalCategoryInfo>& PremaritalCategories();
const PremaritalCategoryInfo* FindPremaritalCategory(std::string_view code);
const FindingState* FindState(const PremaritalCategoryInfo& c, std::string_view code);

// 指定传染病 (母婴保健法 第三十八条): codes hiv, gonorrhoea, syphilis, leprosy, other.
struct DesignatedDisease {
  std::string_view code;
  std::string_view label_zh;
  std::string_view label_en;
};
const std::vector<DesignatedDisease>& DesignatedDiseases();
const DesignatedDisease* FindDesignatedDisease(std::string_view code);

std::string_view OpinionCode(Opinion o);
std::string_view OpinionLabelZh(Opinion o);
std::string_view OpinionLabelEn(Opinion o);
std::optional<Opinion> ParseOpinion(std::string_view code);
const std::vector<Opinion>& Opinions();

struct PremaritalFinding {
  std::string category;   // a PremaritalCategories() code
  std::string state;      // a state code of that category
  std::string disease;    // infectious only, and required there unless the state is "none"
  std::string diagnosis;  // as written by the doctor
};

struct PremaritalRecord {
  std::vector<PremaritalFinding> findings;
  bool close_relatives = false;  // 直系血亲或三代以内旁系血亲
  std::string opinion;           // an Opinions() code
};

struct IndicatedOpinion {
  Opinion opinion = Opinion::kNoContraindication;
  // What calls for it: "close_relatives", "infectious:syphilis=infectious_period", ...
  std::vector<std::string> reasons;
};

// The opinion the findings call for. REQUIRES: the findings are valid (ValidatePremarital).
IndicatedOpinion Indicate(const PremaritalRecord& r);

// Field errors: findings[i].category unknown_category; findings[i].state invalid_value;
// findings[i].disease required (an infectious finding other than "none") or invalid_value;
// opinion required or invalid_value, or contradicts_findings when it is not the opinion the
// findings call for (Indicate).
Status ValidatePremarital(const PremaritalRecord& r);

// True when the record holds 指定传染病 data (any infectious finding): infection data.
bool HasInfectiousFinding(const PremaritalRecord& r);
bool IsInfectiousFinding(const PremaritalFinding& f);

}  // namespace jd::preconception
