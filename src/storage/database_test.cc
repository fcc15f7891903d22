#include "storage/database.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/ids.h"

namespace jd::storage {
namespace {

namespace fs = std::filesystem;

class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("jd_db_test_" + RandomHex(6));
    fs::create_directories(dir_);
    auto db = Database::Open({.path = (dir_ / "t.db").string()});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
  }
  void TearDown() override {
    db_.reset();
    fs::remove_all(dir_);
  }
  Status InsertOrg(const std::string& code, const std::string& parent) {
    return db_->Write([&](soci::session& s) {
      soci::indicator pind = NullIfEmpty(parent);
      std::string path = code + "/";
      s << "INSERT INTO org_units(code, name, level, parent_code, path) VALUES "
           "(:c, :n, 'city', :p, :path)",
          soci::use(code), soci::use(code), soci::use(parent, pind), soci::use(path);
      return Status::Ok();
    });
  }
  int OrgCount() {
    int count = -1;
    EXPECT_TRUE(db_->Read([&](soci::session& s) {
                     s << "SELECT COUNT(*) FROM org_units", soci::into(count);
                     return Status::Ok();
                   })
                    .ok());
    return count;
  }
  fs::path dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(DatabaseTest, OpensInWalWithForeignKeysAndFullSync) {
  std::string mode;
  int fk = 0, sync = 0;
  ASSERT_TRUE(db_->Read([&](soci::session& s) {
                   s << "PRAGMA journal_mode", soci::into(mode);
                   s << "PRAGMA foreign_keys", soci::into(fk);
                   s << "PRAGMA synchronous", soci::into(sync);
                   return Status::Ok();
                 })
                  .ok());
  EXPECT_EQ(mode, "wal");
  EXPECT_EQ(fk, 1);
  EXPECT_EQ(sync, 2);  // FULL
  EXPECT_EQ(db_->schema_version(), Migrations().back().version);
}

TEST_F(DatabaseTest, MigrationsApplyOnceAcrossReopen) {
  db_.reset();
  auto again = Database::Open({.path = (dir_ / "t.db").string()});
  ASSERT_TRUE(again.ok());
  int count = 0;
  ASSERT_TRUE((*again)
                  ->Read([&](soci::session& s) {
                    s << "SELECT COUNT(*) FROM schema_migrations", soci::into(count);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(count, static_cast<int>(Migrations().size()));
}

TEST_F(DatabaseTest, ErrorStatusRollsBackTheWholeTransaction) {
  Status st = db_->Write([&](soci::session& s) {
    s << "INSERT INTO org_units(code, name, level, path) VALUES ('450100', 'x', 'city', '450100/')";
    return Status::Invalid({{"f", "bad", "错", "bad"}});
  });
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(OrgCount(), 0);
}

TEST_F(DatabaseTest, ConstraintErrorsBecomeStatuses) {
  ASSERT_TRUE(InsertOrg("450100", "").ok());
  EXPECT_EQ(InsertOrg("450100", "").code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(InsertOrg("450103", "999999").code(), StatusCode::kFailedPrecondition);
}

TEST_F(DatabaseTest, AtomicallyCommitsNestedWritesTogetherAndRunsHooksOnce) {
  int hooks = 0;
  db_->AddCommitHook([&] { ++hooks; });
  int seen_inside = -1;
  Status st = db_->Atomically([&] {
    JD_RETURN_IF_ERROR(InsertOrg("450000", ""));
    JD_RETURN_IF_ERROR(InsertOrg("450100", "450000"));
    // A read inside sees the rows written before it, on the open transaction.
    return db_->Read([&](soci::session& s) {
      s << "SELECT COUNT(*) FROM org_units", soci::into(seen_inside);
      return Status::Ok();
    });
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(seen_inside, 2);
  EXPECT_EQ(hooks, 1);
  EXPECT_EQ(OrgCount(), 2);
}

TEST_F(DatabaseTest, AtomicallyRollsBackEveryNestedWriteWhenItFails) {
  int hooks = 0;
  db_->AddCommitHook([&] { ++hooks; });
  Status failed_alone;
  Status st = db_->Atomically([&] {
    JD_RETURN_IF_ERROR(InsertOrg("450000", ""));
    // A failed write inside is undone alone and returns its status, as outside.
    failed_alone = InsertOrg("450000", "");
    JD_RETURN_IF_ERROR(InsertOrg("450100", "450000"));
    return Status::Invalid({{"entry[2]", "bad", "错", "bad"}});
  });
  EXPECT_EQ(failed_alone.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(hooks, 0);
  EXPECT_EQ(OrgCount(), 0);
  // The writer is free again, outside any transaction.
  EXPECT_TRUE(InsertOrg("450000", "").ok());
}

TEST_F(DatabaseTest, AWriteIndependentOfAtomicallyStandsWhenItRollsBack) {
  Status st = db_->Atomically([&] {
    JD_RETURN_IF_ERROR(InsertOrg("450000", ""));
    JD_RETURN_IF_ERROR(db_->WriteIndependently([](soci::session& s) {
      s << "INSERT INTO org_units(code, name, level, path) VALUES "
           "('450100', 'kept', 'city', '450100/')";
      return Status::Ok();
    }));
    return Status::Invalid({{"entry[1]", "bad", "错", "bad"}});
  });
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  std::vector<std::string> codes(4);
  ASSERT_TRUE(db_->Read([&](soci::session& s) {
                   s << "SELECT code FROM org_units ORDER BY code", soci::into(codes);
                   return Status::Ok();
                 })
                  .ok());
  EXPECT_EQ(codes, std::vector<std::string>{"450100"});
}

TEST_F(DatabaseTest, AuditLogIsAppendOnly) {
  ASSERT_TRUE(
      db_->Write([&](soci::session& s) {
           s << "INSERT INTO audit_log(seq, at, user_id, username, role, action, object_type, "
                "object_id, person_id, result, client, request_id, detail, hmac) VALUES "
                "(1, 't', 'u', 'u', 'r', 'a', 'o', 'i', '', 'ok', 'c', 'q', '', 'h')";
           return Status::Ok();
         })
          .ok());
  Status upd = db_->Write([&](soci::session& s) {
    s << "UPDATE audit_log SET detail = 'x'";
    return Status::Ok();
  });
  EXPECT_FALSE(upd.ok());
  Status del = db_->Write([&](soci::session& s) {
    s << "DELETE FROM audit_log";
    return Status::Ok();
  });
  EXPECT_FALSE(del.ok());
}

TEST_F(DatabaseTest, BackupIsAConsistentCopy) {
  ASSERT_TRUE(InsertOrg("450100", "").ok());
  std::string dest = (dir_ / "backup.db").string();
  ASSERT_TRUE(db_->Backup(dest).ok());
  EXPECT_EQ(db_->Backup(dest).code(), StatusCode::kAlreadyExists);
  auto copy = Database::Open({.path = dest, .must_exist = true});
  ASSERT_TRUE(copy.ok());
  int count = 0;
  ASSERT_TRUE((*copy)
                  ->Read([&](soci::session& s) {
                    s << "SELECT COUNT(*) FROM org_units", soci::into(count);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(count, 1);
  auto check = (*copy)->IntegrityCheck();
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(*check, "ok");
}

TEST_F(DatabaseTest, MustExistRefusesMissingFile) {
  auto missing = Database::Open({.path = (dir_ / "nope.db").string(), .must_exist = true});
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace jd::storage
