// File: core/ids.h
// Record identifiers: UUIDv7 (RFC 9562) text, globally unique and time-ordered, so records can move
// between city nodes without renumbering. Thread-safe.
#pragma once

#include <chrono>
#include <string>

namespace jd {

// A new UUIDv7 "xxxxxxxx-xxxx-7xxx-yxxx-xxxxxxxxxxxx" from the system clock and libsodium's CSPRNG.
// Ids made by one process are strictly increasing.
std::string NewId();

// True when `s` is a canonical lower-case UUID text.
bool IsUuid(std::string_view s);

// `bytes` random bytes from the CSPRNG as lower-case hex.
std::string RandomHex(std::size_t bytes);

}  // namespace jd
