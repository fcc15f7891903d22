#include "http/openapi_doc.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/embedded.h"

namespace jd::http {

namespace {

nlohmann::json Parse(std::string_view text, const char* name) {
  auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  // The fragments are compiled in and checked by a unit test: a broken one is a build mistake.
  if (doc.is_discarded() || !doc.is_object()) {
    throw std::logic_error(std::string("invalid OpenAPI fragment: ") + name);
  }
  return doc;
}

}  // namespace

const std::string& OpenApiDocument() {
  static const std::string kDocument = [] {
    nlohmann::json doc = Parse(embedded::openapi(), "base");
    struct Fragment {
      const char* name;
      std::string_view text;
    };
    for (const Fragment& f :
         {Fragment{"immunization", embedded::openapi_immunization()},
          Fragment{"notify", embedded::openapi_notify()}, Fragment{"kpi", embedded::openapi_kpi()},
          Fragment{"immunization_programme", embedded::openapi_immunization_programme()},
          Fragment{"records", embedded::openapi_records()},
          Fragment{"maternal", embedded::openapi_maternal()},
          Fragment{"preconception", embedded::openapi_preconception()},
          Fragment{"child", embedded::openapi_child()},
          Fragment{"evaluation", embedded::openapi_evaluation()},
          Fragment{"divisions", embedded::openapi_divisions()},
          Fragment{"mental", embedded::openapi_mental()},
          Fragment{"signals", embedded::openapi_signals()},
          Fragment{"hivtb", embedded::openapi_hivtb()},
          Fragment{"disease", embedded::openapi_disease()},
          Fragment{"network", embedded::openapi_network()},
          Fragment{"education", embedded::openapi_education()},
          Fragment{"family_planning", embedded::openapi_family_planning()},
          Fragment{"fhir", embedded::openapi_fhir()},
          Fragment{"federation", embedded::openapi_federation()}}) {
      nlohmann::json part = Parse(f.text, f.name);
      const nlohmann::json empty = nlohmann::json::object();
      nlohmann::json paths = part.value("paths", empty);
      for (auto it = paths.begin(); it != paths.end(); ++it) doc["paths"][it.key()] = it.value();
      nlohmann::json schemas = part.value("components", empty).value("schemas", empty);
      for (auto it = schemas.begin(); it != schemas.end(); ++it) {
        doc["components"]["schemas"][it.key()] = it.value();
      }
    }
    return doc.dump(1);
  }();
  return kDocument;
}

}  // namespace jd::http
