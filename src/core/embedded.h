// File: core/embedded.h
// Reference data compiled into the binary (cmake/modules.cmake jd_embed). Each returns the whole
// file.
#pragma once

#include <string_view>

namespace jd::embedded {

// data/divisions/areacodes_history_1981_2024.csv: every GB/T 2260 code 1981–2024 (UTF-8 with BOM).
std::string_view divisions_history();
// data/divisions/gbt2260_mca2024_all_levels.csv: code,name,level as of 2024-12-31.
std::string_view divisions_current();
// data/registry/ethnicities_gbt3304.csv: GB/T 3304 ethnicity codes.
std::string_view ethnicities();
// data/registry/pinyin_initials.csv: each Chinese character's pinyin initial letters.
std::string_view pinyin_initials();
// src/http/openapi/base.json and the modules' fragments: merged into /api/v1/openapi.json.
std::string_view openapi();
std::string_view openapi_immunization();
std::string_view openapi_notify();
std::string_view openapi_kpi();
std::string_view openapi_immunization_programme();
std::string_view openapi_records();
std::string_view openapi_maternal();
std::string_view openapi_preconception();
std::string_view openapi_child();
std::string_view openapi_disease();
std::string_view openapi_evaluation();
std::string_view openapi_divisions();
std::string_view openapi_mental();
std::string_view openapi_signals();
std::string_view openapi_hivtb();
std::string_view openapi_network();
std::string_view openapi_education();
std::string_view openapi_fhir();
std::string_view openapi_federation();
std::string_view openapi_family_planning();
// data/immunization/: the vaccine catalogue and the official schedule versions.
std::string_view immunization_catalogue();
std::string_view immunization_nip_2021();
std::string_view immunization_dtap_2025();
// data/immunization/targets.json: the coverage targets and where they are set.
std::string_view immunization_targets();
// data/disease/catalogue.json: the notifiable diseases and their early-warning method.
std::string_view disease_catalogue();
std::string_view kpi_indicators();
// data/kpi/assessment.json and data/kpi/funding.json: the assessment scheme and the funding
// parameters (kpi/evaluation.h, kpi/funding.h).
std::string_view kpi_assessment();
std::string_view kpi_funding();
std::string_view kpi_pilot_cities();  // data/kpi/pilot_cities.json
// data/maternal/risk_catalogue.json: the pregnancy risk colours and conditions (maternal/risk.h).
std::string_view maternal_risk_catalogue();
// data/who-growth/: the WHO Child Growth Standards' LMS tables (child/growth.h).
std::string_view who_growth_wfa();
std::string_view who_growth_lhfa();
std::string_view who_growth_wfl();
std::string_view who_growth_wfh();
std::string_view who_growth_bfa();
std::string_view who_growth_hcfa();
std::string_view who_growth_acfa();
std::string_view who_growth_tsfa();
std::string_view who_growth_ssfa();
// data/education/norms.json: the health education norms (education/norms.h).
std::string_view education_norms();
// data/family_planning/: the contraceptive caps, the procedures and the reward rules
// (family_planning/supplies.h, rules.h, rewards.h).
std::string_view family_planning_caps();
std::string_view family_planning_procedures();
std::string_view family_planning_rewards();

}  // namespace jd::embedded
