// File: preconception/model.h
// What the preconception store keeps (migrations 0013 and 0016), as plain structs: a couple's
// pre-pregnancy check (孕前优生健康检查), a folic-acid supply (增补叶酸) and one person's
// premarital medical check (婚前医学检查). The completeness and the folic-acid status are not
// stored: they are computed from these (preconception/checks.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/dates.h"
#include "preconception/checks.h"
#include "preconception/premarital.h"

namespace jd::preconception {

struct StoredCheck {
  std::string id;
  std::string person_id;      // the woman
  std::string man_person_id;  // empty when the man is not a registry person
  std::string man_name;       // as typed when he is not registered, else empty
  Date check_date{};
  std::string clinic_code;
  CheckRecord record;  // items per partner, results, risk factors, man_examined
  RiskGroup risk = RiskGroup::kGeneral;
  std::vector<std::string> risk_reasons;
  std::string advice;
  std::optional<Date> planned_pregnancy_on;
  std::string recorded_at, recorded_by;
  int version = 1;
};

struct StoredSupply {
  std::string id;
  std::string person_id;
  Date supplied_on{};
  int quantity_days = 0;
  std::string clinic_code;
  std::string recorded_at, recorded_by;
};

struct StoredPremarital {
  std::string id;
  std::string person_id;          // the person checked
  std::string partner_person_id;  // empty when the partner is not a registry person
  std::string partner_name;       // as typed when the partner is not registered, else empty
  Date check_date{};
  std::string clinic_code;
  PremaritalRecord record;  // findings per category, close_relatives, the opinion
  std::string advice;
  std::string recorded_at, recorded_by;
  int version = 1;
};

}  // namespace jd::preconception
