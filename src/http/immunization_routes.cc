#include "http/module_routes.h"

namespace jd::http {

std::vector<Route> ImmunizationRoutes() { return {}; }

}  // namespace jd::http
