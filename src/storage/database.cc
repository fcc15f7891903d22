#include "storage/database.h"

#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <filesystem>

#include "core/dates.h"
#include "storage/private_file.h"

namespace jd::storage {

// SOCI declares the SQLite C API inside namespace sqlite_api.
using namespace sqlite_api;  // NOLINT

namespace {

constexpr std::string_view kBusyHint = "database is locked";

std::unique_ptr<soci::session> Connect(const std::string& path,
                                       std::chrono::milliseconds busy_timeout, bool writer,
                                       int cache_mib) {
  auto s = std::make_unique<soci::session>();
  // SOCI's sqlite3 "timeout" is in seconds; we set the exact busy timeout by PRAGMA below.
  s->open(soci::sqlite3, "db=\"" + path + "\" timeout=10");
  *s << "PRAGMA busy_timeout = " + std::to_string(busy_timeout.count());
  *s << "PRAGMA foreign_keys = ON";
  // FULL: the WAL is synced at every commit, so an acknowledged write survives power loss, not
  // just a process crash (NORMAL would only guarantee the latter in WAL mode).
  *s << "PRAGMA synchronous = FULL";
  *s << "PRAGMA cache_size = " + std::to_string(-1024 * cache_mib);
  *s << "PRAGMA temp_store = MEMORY";
  if (writer) {
    std::string mode;
    *s << "PRAGMA journal_mode = WAL", soci::into(mode);
    if (mode != "wal") throw soci::soci_error("could not switch the database to WAL mode");
  }
  return s;
}

sqlite3* NativeHandle(soci::session& s) {
  auto* backend = static_cast<soci::sqlite3_session_backend*>(s.get_backend());
  return backend->conn_;
}

}  // namespace

Status StatusFromDatabaseError(const std::exception& e) {
  std::string what = e.what();
  if (what.find("UNIQUE constraint failed") != std::string::npos) {
    return Status::AlreadyExists("a record with the same key already exists", "记录已存在");
  }
  if (what.find(kBusyHint) != std::string::npos ||
      what.find("database is busy") != std::string::npos) {
    return Status::Unavailable("the database is busy, try again", "数据库繁忙，请稍后重试");
  }
  if (what.find("FOREIGN KEY constraint failed") != std::string::npos) {
    return Status::FailedPrecondition("a referenced record does not exist", "引用的记录不存在");
  }
  spdlog::error("database error: {}", what);
  return Status::Unavailable("database error: " + what, "数据库错误");
}

Result<std::unique_ptr<Database>> Database::Open(const OpenOptions& options) {
  namespace fs = std::filesystem;
  if (options.path.empty())
    return Status::Invalid({{"db", "required", "未指定数据库文件", "no database file given"}});
  std::error_code ec;
  if (options.must_exist && !fs::exists(options.path, ec)) {
    return Status::NotFound(
        "database file " + options.path + " does not exist (run `jundeng init` or `jundeng demo`)",
        "数据库文件 " + options.path + " 不存在（请先运行 jundeng init 或 jundeng demo）");
  }
  fs::path parent = fs::path(options.path).parent_path();
  if (!parent.empty() && !fs::exists(parent, ec)) fs::create_directories(parent, ec);
  // A new database file is made 0600 before SQLite opens it; SQLite gives its -wal and -shm files
  // the database file's mode, so they are private too.
  if (!options.path.starts_with(":memory:") && !options.path.starts_with("file:") &&
      !fs::exists(options.path, ec)) {
    JD_RETURN_IF_ERROR(CreatePrivateFile(options.path));
  }

  std::unique_ptr<Database> db(new Database());
  db->path_ = options.path;
  try {
    db->writer_ =
        Connect(options.path, options.busy_timeout, /*writer=*/true, options.writer_cache_mib);
    soci::session& w = *db->writer_;
    w << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
         "name TEXT NOT NULL, applied_at TEXT NOT NULL)";
    int current = 0;
    soci::indicator ind;
    w << "SELECT MAX(version) FROM schema_migrations", soci::into(current, ind);
    if (ind == soci::i_null) current = 0;
    for (const Migration& m : Migrations()) {
      if (m.version <= current) continue;
      // One transaction per migration: a failed migration leaves the previous schema intact.
      soci::transaction tr(w);
      sqlite3* h = NativeHandle(w);
      char* err = nullptr;
      std::string sql(m.sql);
      if (sqlite3_exec(h, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        tr.rollback();
        return Status::Internal(
            fmt::format("migration {} ({}) failed: {}", m.version, m.name, msg));
      }
      std::string name(m.name);
      std::string now = FormatTimestamp(std::chrono::system_clock::now());
      w << "INSERT INTO schema_migrations(version, name, applied_at) VALUES (:v, :n, :a)",
          soci::use(m.version), soci::use(name), soci::use(now);
      tr.commit();
      spdlog::info("applied migration {} {}", m.version, m.name);
      current = m.version;
    }
    db->schema_version_ = current;
    for (int i = 0; i < options.read_connections; ++i) {
      db->readers_.push_back(
          Connect(options.path, options.busy_timeout, /*writer=*/false, options.reader_cache_mib));
    }
  } catch (const std::exception& e) {
    return StatusFromDatabaseError(e);
  }
  return db;
}

Database::~Database() = default;

namespace {
// The database whose Atomically this thread is running, if any, and the savepoints it has named.
thread_local const Database* atomically_on = nullptr;
thread_local int savepoint_serial = 0;
thread_local std::vector<std::function<Status(soci::session&)>> writes_after_atomically;
}  // namespace

Status Database::WriteIndependently(std::function<Status(soci::session&)> fn) {
  if (!InAtomically()) return Write(fn);
  writes_after_atomically.push_back(std::move(fn));
  return Status::Ok();
}

bool Database::InAtomically() const { return atomically_on == this; }

Status Database::Write(const std::function<Status(soci::session&)>& fn) {
  if (InAtomically()) return WriteNested(fn);
  Status st = WriteLocked(fn);
  if (st.ok()) RunCommitHooks();
  return st;
}

void Database::RunCommitHooks() {
  // After the writer is released: subscribers read on their own connections.
  std::vector<std::function<void()>> hooks;
  {
    std::lock_guard lock(hooks_mu_);
    hooks = commit_hooks_;
  }
  for (const auto& hook : hooks) hook();
}

Status Database::WriteNested(const std::function<Status(soci::session&)>& fn) {
  // The writer mutex is held by Atomically on this thread; the session is in its transaction.
  soci::session& s = *writer_;
  const std::string savepoint = "jd_sp" + std::to_string(++savepoint_serial);
  try {
    s << "SAVEPOINT " + savepoint;
  } catch (const std::exception& e) {
    return StatusFromDatabaseError(e);
  }
  try {
    Status st = fn(s);
    if (!st.ok()) {
      s << "ROLLBACK TO SAVEPOINT " + savepoint;
      s << "RELEASE SAVEPOINT " + savepoint;
      return st;
    }
    s << "RELEASE SAVEPOINT " + savepoint;
    return Status::Ok();
  } catch (const std::exception& e) {
    try {
      s << "ROLLBACK TO SAVEPOINT " + savepoint;
      s << "RELEASE SAVEPOINT " + savepoint;
    } catch (...) {
    }
    return StatusFromDatabaseError(e);
  }
}

Status Database::Atomically(const std::function<Status()>& fn) {
  if (InAtomically()) return fn();
  Status st = WriteLocked([&](soci::session&) {
    atomically_on = this;
    savepoint_serial = 0;
    Status inner;
    try {
      inner = fn();
    } catch (...) {
      atomically_on = nullptr;
      throw;
    }
    atomically_on = nullptr;
    return inner;
  });
  if (st.ok()) RunCommitHooks();
  auto after = std::move(writes_after_atomically);
  writes_after_atomically.clear();
  for (const auto& write : after) {
    Status written = Write(write);
    if (!written.ok())
      spdlog::error("a write after a transaction failed: {}", written.message_en());
  }
  return st;
}

void Database::AddCommitHook(std::function<void()> hook) {
  std::lock_guard lock(hooks_mu_);
  commit_hooks_.push_back(std::move(hook));
}

Status Database::WriteLocked(const std::function<Status(soci::session&)>& fn) {
  std::lock_guard lock(write_mu_);
  soci::session& s = *writer_;
  try {
    // IMMEDIATE takes the write lock up front, so a concurrent writer from another process (a CLI
    // import next to the server) waits on busy_timeout instead of failing mid-transaction.
    s << "BEGIN IMMEDIATE";
  } catch (const std::exception& e) {
    return StatusFromDatabaseError(e);
  }
  try {
    Status st = fn(s);
    if (!st.ok()) {
      s << "ROLLBACK";
      return st;
    }
    s << "COMMIT";
    return Status::Ok();
  } catch (const std::exception& e) {
    try {
      s << "ROLLBACK";
    } catch (...) {
    }
    return StatusFromDatabaseError(e);
  }
}

std::unique_ptr<soci::session> Database::AcquireReader() {
  std::unique_lock lock(pool_mu_);
  pool_cv_.wait(lock, [&] { return !readers_.empty(); });
  auto s = std::move(readers_.back());
  readers_.pop_back();
  return s;
}

void Database::ReleaseReader(std::unique_ptr<soci::session> s) {
  {
    std::lock_guard lock(pool_mu_);
    readers_.push_back(std::move(s));
  }
  pool_cv_.notify_one();
}

Status Database::Read(const std::function<Status(soci::session&)>& fn) {
  // A read inside Atomically sees what the transaction wrote so far; a savepoint keeps a failed
  // read from undoing it.
  if (InAtomically()) return WriteNested(fn);
  auto s = AcquireReader();
  Status result;
  try {
    *s << "BEGIN";
    result = fn(*s);
    *s << "COMMIT";
  } catch (const std::exception& e) {
    try {
      *s << "ROLLBACK";
    } catch (...) {
    }
    result = StatusFromDatabaseError(e);
  }
  ReleaseReader(std::move(s));
  return result;
}

Status Database::Backup(const std::string& dest) {
  std::error_code ec;
  if (std::filesystem::exists(dest, ec)) {
    return Status::AlreadyExists("backup file " + dest + " already exists",
                                 "备份文件已存在：" + dest);
  }
  // The copy holds everyone's data: 0600 from its first byte.
  JD_RETURN_IF_ERROR(CreatePrivateFile(dest));
  auto s = AcquireReader();
  Status result;
  sqlite3* target = nullptr;
  if (sqlite3_open(dest.c_str(), &target) != SQLITE_OK) {
    result = Status::Unavailable("cannot create backup file " + dest, "无法创建备份文件");
  } else {
    sqlite3_backup* b = sqlite3_backup_init(target, "main", NativeHandle(*s), "main");
    if (b == nullptr) {
      result = Status::Unavailable(sqlite3_errmsg(target), "备份失败");
    } else {
      int rc;
      do {
        rc = sqlite3_backup_step(b, 1024);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
      } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
      sqlite3_backup_finish(b);
      if (rc != SQLITE_DONE) result = Status::Unavailable(sqlite3_errmsg(target), "备份失败");
    }
  }
  if (target) sqlite3_close(target);
  ReleaseReader(std::move(s));
  return result;
}

Result<std::string> Database::IntegrityCheck() {
  std::string out;
  Status st = Read([&](soci::session& s) {
    soci::rowset<std::string> rows = (s.prepare << "PRAGMA integrity_check");
    for (const auto& r : rows) {
      if (!out.empty()) out += "\n";
      out += r;
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace jd::storage
