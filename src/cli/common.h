// File: cli/common.h
// What the command files share: exit codes, error printing, reading input, and how each module
// adds its commands (cli/<module>_commands.cc).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <istream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"
#include "http/app.h"

namespace jd::cli {

// The one table from status codes to exit codes (sysexits-like).
int ExitCodeOf(StatusCode code);
// Prints the error (Chinese / English, with field errors) to stderr; returns the exit code.
int Fail(const Status& st);
std::string OsUser();
Result<std::string> ReadAll(std::istream& in, std::size_t max_bytes);
Result<std::string> ReadFile(const std::string& path, std::size_t max_bytes);
Result<nlohmann::json> ReadJsonStdin();
std::string ReadPasswordStdin();

// Adds --db and --audit-key to a command.
using AddDbOptions = std::function<void(CLI::App*)>;

// Each module's commands. `app_options` is filled by the options; `exit_code` is what Run returns.
void AddImmunizationCommands(CLI::App& cli, http::AppOptions& app_options,
                             const AddDbOptions& add_db, int& exit_code);
void AddKpiCommands(CLI::App& cli, http::AppOptions& app_options, const AddDbOptions& add_db,
                    int& exit_code);
// `jundeng kpi evaluate | funding | population` (cli/evaluation_commands.cc); after AddKpiCommands.
void AddEvaluationCommands(CLI::App& cli, http::AppOptions& app_options, const AddDbOptions& add_db,
                           int& exit_code);
void AddNotifyCommands(CLI::App& cli, http::AppOptions& app_options, const AddDbOptions& add_db,
                       int& exit_code);
// `jundeng records show | establish | update` (cli/records_commands.cc).
void AddRecordsCommands(CLI::App& cli, http::AppOptions& app_options, const AddDbOptions& add_db,
                        int& exit_code);
// Due lists, vaccination files and doses (cli/immunization_records_commands.cc), under the
// `immunization` command given (or the root).
void AddImmunizationRecordCommands(CLI::App& cli, http::AppOptions& app_options,
                                   const AddDbOptions& add_db, int& exit_code);
// 查漏补种, campaigns, entry checks and coverage (cli/immunization_programme_commands.cc), under
// `jundeng immunization`.
void AddImmunizationProgrammeCommands(CLI::App& cli, http::AppOptions& app_options,
                                      const AddDbOptions& add_db, int& exit_code);

// `jundeng growth zscore` (cli/growth_commands.cc): needs no database.
void AddGrowthCommands(CLI::App& cli, int& exit_code);

// `jundeng network circle` (cli/network_commands.cc): needs no database.
void AddNetworkCommands(CLI::App& cli, int& exit_code);
// `jundeng surveillance ears` (cli/surveillance_commands.cc; needs no database) and
// `jundeng surveillance run` (the daily early-warning run over the database) and `jundeng
// surveillance report` (the periodic analysis of the city as a workbook).
void AddSurveillanceCommands(CLI::App& cli, http::AppOptions& app_options,
                             const AddDbOptions& add_db, int& exit_code);
// `jundeng education norms` and `jundeng family-planning payments` (cli/programme_commands.cc).
void AddProgrammeCommands(CLI::App& cli, http::AppOptions& app_options, const AddDbOptions& add_db,
                          int& exit_code);
// The node's part in the federation beside `jundeng serve --federation URLS` (one thread):
// publishes what `federation send` queued and takes in the transfers for this node, reconnecting
// after a failure, until destroyed. With `report_to`, it also sends the aggregator node the city's
// figures of last month and of the year so far, at start and every `report_every` after.
struct FederationServeOptions {
  std::string urls;  // empty: no federation
  std::string ca;
  int replicas = 1;
  std::string report_to;  // the aggregator node's id; empty: no reports
  std::chrono::seconds report_every{6 * 3600};
};
class FederationLoop {
 public:
  static Result<std::unique_ptr<FederationLoop>> Start(http::App& app, const std::string& db_path,
                                                       const FederationServeOptions& options);
  virtual ~FederationLoop() = default;
};

// `jundeng federation init | join | status | send | receive | announce | lookup`
// (cli/federation_commands.cc).
void AddFederationCommands(CLI::App& cli, http::AppOptions& app_options, const AddDbOptions& add_db,
                           int& exit_code);

}  // namespace jd::cli
