// File: http/module_routes.h
// The route lists of the modules, one function per file http/<module>_routes.cc. A module adds its
// API by adding its function here and to the list in server.cc, and its OpenAPI paths as
// http/openapi/<module>.json (merged into /api/v1/openapi.json).
#pragma once

#include <vector>

#include "http/handler.h"

namespace jd::http {

std::vector<Route> RegistryRoutes();      // server.cc: auth, org units, persons, documents, users
std::vector<Route> ImmunizationRoutes();  // immunization_routes.cc
std::vector<Route> NotifyRoutes();        // notify_routes.cc
std::vector<Route> ImmunizationProgrammeRoutes();  // immunization_programme_routes.cc
std::vector<Route> KpiRoutes();                    // kpi_routes.cc
std::vector<Route> RecordsRoutes();                // records_routes.cc
std::vector<Route> EvaluationRoutes();             // evaluation_routes.cc
std::vector<Route> MaternalRoutes();  // maternal_routes.cc, with PmtctRoutes() and ReferralRoutes()
std::vector<Route> PmtctRoutes();     // pmtct_routes.cc
std::vector<Route> ReferralRoutes();  // referral_routes.cc
std::vector<Route> ChildRoutes();     // child_routes.cc
std::vector<Route> PreconceptionRoutes();  // preconception_routes.cc
std::vector<Route> DivisionRoutes();       // divisions_routes.cc: divisions, ethnicities
std::vector<Route> MentalRoutes();         // mental_routes.cc
std::vector<Route> SignalRoutes();         // signal_routes.cc: early-warning signals, events
std::vector<Route> HivTbRoutes();          // hivtb_routes.cc: HIV care, TB treatment courses
std::vector<Route> DiseaseRoutes();        // disease_routes.cc: case cards, catalogue
std::vector<Route> NetworkRoutes();        // network_routes.cc: service points, places, the circle
std::vector<Route> EducationRoutes();      // education_routes.cc: activities, norms per point

// family_planning_routes.cc: FP records, the register of women 15–49, rewards.
std::vector<Route> FamilyPlanningRoutes();

// fhir_routes.cc: the HL7 FHIR R4 API under /fhir/r4 (exchange/fhir.h).
std::vector<Route> FhirRoutes();
// federation_routes.cc: the nodes this node exchanges records with; a person's move out.
std::vector<Route> FederationRoutes();

}  // namespace jd::http
