// File: storage/private_file.h
// Files that hold personal data or secrets (the database and its WAL, backups, export files) are
// readable by their owner only (GB/T 22239-2019 第三级 安全计算环境 数据保密性; PIPL 第51条(三)
// 采取相应的加密、去标识化等安全技术措施). Functions of the file system; thread-safe.
//
// CreatePrivateFile(path): creates `path` with mode 0600, or truncates an existing regular file
//   and sets its mode to 0600, before anything is written to it. A symbolic link at `path` is
//   refused (kFailedPrecondition); other I/O errors are kUnavailable.
// CheckPrivateFile(path, what): Ok when `path` does not exist, or is a file without any group or
//   other permission bit (0600 or stricter). Otherwise kFailedPrecondition with a message that
//   names `what`, the path, its mode and the fix ("chmod 600 PATH"). kUnavailable when the mode
//   cannot be read.
// CheckPrivateDatabase(path): CheckPrivateFile of the database file and of its "-wal" and "-shm"
//   files (SQLite creates those with the database file's mode).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace jd::storage {

[[nodiscard]] Status CreatePrivateFile(const std::string& path);

[[nodiscard]] Status CheckPrivateFile(const std::string& path, std::string_view what);

[[nodiscard]] Status CheckPrivateDatabase(const std::string& path);

}  // namespace jd::storage
