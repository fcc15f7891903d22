// File: storage/database.h
// The database of one city node: SQLite 3 through SOCI, in WAL mode with foreign keys on and
// synchronous=FULL, so a write acknowledged to a caller survives a crash or power loss. Writes go
// through one writer connection, serialised by a mutex (SQLite allows one writer at a time; queuing
// in-process is cheaper than busy-waiting). Reads use a small pool of read connections that see the
// last committed state and never block the writer. Versioned migrations (storage/migrations/) run
// in one transaction when the database is opened. SQL used by modules is portable (ISO-8601 text
// dates, bound parameters, no SQLite-only functions) so that a PostgreSQL backend can follow.
// Thread-safe.
#pragma once

#include <soci/soci.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/status.h"

namespace jd::storage {

struct OpenOptions {
  std::string path;
  int read_connections = 4;
  std::chrono::milliseconds busy_timeout{10000};
  // Page cache of the writer connection. Index inserts in random key order (names, ID numbers)
  // touch pages all over each index: a cache that holds the indexes keeps a bulk load from
  // re-reading them (SQLite's default is 2 MiB).
  int writer_cache_mib = 256;
  int reader_cache_mib = 32;
  // Refuse to open a database file that does not exist yet (serve, backup) instead of creating it.
  bool must_exist = false;
};

// One schema migration: applied in order of `version`, each exactly once.
struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};
const std::vector<Migration>& Migrations();

class Database {
 public:
  // Opens (or creates) the database and brings its schema up to date.
  static Result<std::unique_ptr<Database>> Open(const OpenOptions& options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs `fn` inside BEGIN IMMEDIATE … COMMIT on the writer connection. A non-OK status returned by
  // `fn`, or any exception, rolls the transaction back; the write is durable when Write returns OK.
  // Database errors become kUnavailable (busy, I/O) or kAlreadyExists (a UNIQUE constraint).
  Status Write(const std::function<Status(soci::session&)>& fn);

  // `hook` runs after every committed Write, on the writing thread, once the writer connection is
  // free (the live statistics view reads the new change events then). Hooks may read; a hook that
  // writes runs the hooks again.
  void AddCommitHook(std::function<void()> hook);

  // Runs `fn` on a pooled read connection inside one read transaction (a consistent snapshot).
  // Inside Atomically on the same thread it runs on the open transaction instead, so it sees the
  // rows written before it.
  Status Read(const std::function<Status(soci::session&)>& fn);

  // Runs `fn` as one transaction: every Write and Read that `fn` makes on this database from this
  // thread joins it, each Write in a SAVEPOINT of its own (a failed Write is undone alone and its
  // status returned, as outside). Everything commits when `fn` returns OK and is rolled back
  // otherwise; commit hooks run once, after the commit. For work that must be all or nothing
  // across services, such as a FHIR transaction Bundle. Atomically inside Atomically joins the
  // outer one. Other threads' writes wait until it ends.
  Status Atomically(const std::function<Status()>& fn);

  // A Write that stands whatever an enclosing Atomically does: outside Atomically it is Write;
  // inside, it runs as a Write of its own once that transaction has ended, committed or rolled
  // back, and OK is returned at once (a failure then is logged). For records of facts that
  // happened even if the transaction fails: a read, a refused attempt. `fn` must own what it uses.
  Status WriteIndependently(std::function<Status(soci::session&)> fn);

  // The newest applied migration version.
  int schema_version() const { return schema_version_; }
  const std::string& path() const { return path_; }

  // An online, consistent copy of the database to `dest` (SQLite backup API); writers wait only
  // for the copy of each step.
  Status Backup(const std::string& dest);

  // "ok", or the problems PRAGMA integrity_check lists.
  Result<std::string> IntegrityCheck();

 private:
  Database() = default;
  std::unique_ptr<soci::session> AcquireReader();
  void ReleaseReader(std::unique_ptr<soci::session> s);

  std::string path_;
  int schema_version_ = 0;
  Status WriteLocked(const std::function<Status(soci::session&)>& fn);
  // A Write or Read made inside Atomically: `fn` in a savepoint of the open transaction.
  Status WriteNested(const std::function<Status(soci::session&)>& fn);
  void RunCommitHooks();
  // True while this thread runs Atomically on this database.
  bool InAtomically() const;

  std::mutex write_mu_;
  std::unique_ptr<soci::session> writer_;
  std::mutex hooks_mu_;
  std::vector<std::function<void()>> commit_hooks_;
  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<soci::session>> readers_;
};

// Maps a SOCI/SQLite error to a Status (shared by Write, Read and the CLI).
Status StatusFromDatabaseError(const std::exception& e);

// An integer column of a row, whatever width the backend reports it in (SOCI's SQLite backend
// reports INTEGER as int and BIGINT as long long; PostgreSQL reports by the column's type).
inline long long RowInt64(const soci::row& r, std::size_t i) {
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_integer:
      return r.get<int>(i);
    case soci::dt_long_long:
      return r.get<long long>(i);
    case soci::dt_unsigned_long_long:
      return static_cast<long long>(r.get<unsigned long long>(i));
    case soci::dt_double:
      return static_cast<long long>(r.get<double>(i));
    default:
      return std::stoll(r.get<std::string>(i));
  }
}

// Indicator helpers for optional text columns: empty string <-> SQL NULL.
inline soci::indicator NullIfEmpty(const std::string& s) {
  return s.empty() ? soci::i_null : soci::i_ok;
}

}  // namespace jd::storage
