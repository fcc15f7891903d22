#include "storage/private_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace jd::storage {

Status CreatePrivateFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    if (errno == ELOOP) {
      return Status::FailedPrecondition(path + " is a symbolic link; give a plain file",
                                        "文件为符号链接，请指定普通文件：" + path);
    }
    return Status::Unavailable(fmt::format("cannot create {}: {}", path, std::strerror(errno)),
                               "无法创建文件：" + path);
  }
  // An existing file keeps its mode on open; narrow it before any byte is written.
  bool ok = ::fchmod(fd, 0600) == 0;
  int err = errno;
  ::close(fd);
  if (!ok) {
    return Status::Unavailable(fmt::format("cannot restrict {}: {}", path, std::strerror(err)),
                               "无法设置文件权限：" + path);
  }
  return Status::Ok();
}

Status CheckPrivateFile(const std::string& path, std::string_view what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::Ok();
    return Status::Unavailable(
        fmt::format("cannot read the mode of {}: {}", path, std::strerror(errno)),
        "无法读取文件权限：" + path);
  }
  unsigned mode = st.st_mode & 07777;
  if ((mode & 077) == 0) return Status::Ok();
  return Status::FailedPrecondition(
      fmt::format("the {} {} has mode {:04o}: it holds personal data and must be readable by its "
                  "owner only; restrict it with chmod 600 {}",
                  what, path, mode, path),
      fmt::format(
          "{}的权限为 {:04o}，其他用户可读写；文件含个人信息，仅限属主访问，请执行 chmod 600 {}",
          path, mode, path));
}

Status CheckPrivateDatabase(const std::string& path) {
  JD_RETURN_IF_ERROR(CheckPrivateFile(path, "database file"));
  JD_RETURN_IF_ERROR(CheckPrivateFile(path + "-wal", "database WAL file"));
  return CheckPrivateFile(path + "-shm", "database shared-memory file");
}

}  // namespace jd::storage
