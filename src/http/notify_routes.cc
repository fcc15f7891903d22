#include "http/module_routes.h"

namespace jd::http {

std::vector<Route> NotifyRoutes() { return {}; }

}  // namespace jd::http
