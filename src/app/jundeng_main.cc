// jundeng: the command line and server of one city node.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

#include "cli/cli.h"

int main(int argc, char** argv) {
  // Logs go to standard error as structured one-line records; standard output stays for results.
  auto logger = spdlog::stderr_color_mt("jundeng");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z level=%l %v");
  spdlog::set_default_logger(logger);
  const char* level = std::getenv("JUNDENG_LOG_LEVEL");
  spdlog::set_level(level ? spdlog::level::from_str(level) : spdlog::level::info);
  return jd::cli::Run(argc, argv);
}
