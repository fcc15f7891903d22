#include "core/temp_file.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

namespace jd {

Result<std::string> BytesViaTempFile(std::string_view prefix,
                                     const std::function<Status(const std::string& path)>& write) {
  const char* tmp = std::getenv("TMPDIR");
  std::string path =
      std::string(tmp && *tmp ? tmp : "/tmp") + "/" + std::string(prefix) + "-XXXXXX";
  int fd = mkstemp(path.data());
  if (fd < 0) return Status::Unavailable("cannot create a temporary file", "无法创建临时文件");
  close(fd);
  Status st = write(path);
  std::string bytes;
  if (st.ok()) {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  unlink(path.c_str());
  if (!st.ok()) return st;
  if (bytes.empty()) {
    return Status::Unavailable("the temporary file came back empty", "临时文件为空");
  }
  return bytes;
}

}  // namespace jd
