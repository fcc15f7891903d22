// File: cli/cli.h
// The `jundeng` command line (CLI11): serve, init, demo, user, import, export, backup, id check,
// eligibility and audit verify. Every command has --help and --db PATH (default var/jundeng.db).
#pragma once

namespace jd::cli {

// Runs the command line and returns the process exit code.
int Run(int argc, char** argv);

}  // namespace jd::cli
