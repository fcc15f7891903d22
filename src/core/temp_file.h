// File: core/temp_file.h
// Bytes of a file that a library can only write by path (libxlsxwriter writes workbooks to a
// file): BytesViaTempFile(prefix, write) creates a private temporary file (mkstemp, mode 0600,
// under $TMPDIR or /tmp, named "<prefix>-XXXXXX"), lets `write` fill it by its path, reads it back
// and removes it before returning. `write`'s failure is returned as it is; kUnavailable when the
// file cannot be created or comes back empty. Thread-safe (each call has its own file).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace jd {

Result<std::string> BytesViaTempFile(std::string_view prefix,
                                     const std::function<Status(const std::string& path)>& write);

}  // namespace jd
