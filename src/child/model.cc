#include "child/model.h"

namespace jd::child {

LengthMeasure DefaultMeasure(int age_days) {
  return age_days < 731 ? LengthMeasure::kRecumbent : LengthMeasure::kStanding;
}

std::string_view HearingCode(HearingResult r) {
  return r == HearingResult::kPass ? "pass" : "refer";
}

std::optional<HearingResult> ParseHearing(std::string_view code) {
  if (code == "pass") return HearingResult::kPass;
  if (code == "refer") return HearingResult::kRefer;
  return std::nullopt;
}

std::string_view DevelopmentCode(DevelopmentResult r) {
  return r == DevelopmentResult::kNormal ? "normal" : "abnormal";
}

std::optional<DevelopmentResult> ParseDevelopment(std::string_view code) {
  if (code == "normal") return DevelopmentResult::kNormal;
  if (code == "abnormal") return DevelopmentResult::kAbnormal;
  return std::nullopt;
}

std::string_view MeasureCode(LengthMeasure m) {
  return m == LengthMeasure::kRecumbent ? "recumbent" : "standing";
}

std::optional<LengthMeasure> ParseMeasure(std::string_view code) {
  if (code == "recumbent") return LengthMeasure::kRecumbent;
  if (code == "standing") return LengthMeasure::kStanding;
  return std::nullopt;
}

}  // namespace jd::child
