#include "cli/common.h"

namespace jd::cli {

void AddNotifyCommands(CLI::App&, http::AppOptions&, const AddDbOptions&, int&) {}

}  // namespace jd::cli
