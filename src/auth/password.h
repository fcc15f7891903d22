// File: auth/password.h
// Password policy and storage. GB/T 22239-2019 第三级 安全计算环境: 身份鉴别 a) asks for complex
// passwords; 数据保密性 asks that authentication data be stored protected, hence a salted, slow
// hash. All functions are thread-safe; libsodium is initialised on first use.
//
// CheckPasswordPolicy(password, username): OK, or Status::Invalid listing every broken rule as a
//   FieldError on field "password":
//     "too_short"          fewer than 12 characters (UTF-8 code points);
//     "too_long"           more than 128 bytes;
//     "too_few_classes"    characters from fewer than 3 of: upper-case A-Z, lower-case a-z,
//                          digits 0-9, anything else (punctuation, spaces, non-ASCII letters);
//     "contains_username"  contains the username, or equals it reversed (ASCII case-insensitive).
//   An empty username skips the username rule.
// HashPassword(password): an argon2id hash in libsodium's crypto_pwhash_str format
//   ("$argon2id$v=19$m=...,t=...,p=...$salt$hash", fresh random salt), or kUnavailable when the
//   memory for hashing cannot be allocated. Does not check the policy.
// VerifyPassword(hash, password): true only when `hash` is a well-formed crypto_pwhash_str string
//   and `password` matches it. Runs in time independent of where the password differs.
// NeedsRehash(hash): true when `hash` was made with other parameters or another algorithm than
//   HashPassword uses now (or is malformed), so the caller should re-hash after a good login.
// DummyVerifyPassword(password): does the work of one VerifyPassword against a fixed hash made with
//   the current parameters and discards the result. Call it when the username does not exist, so
//   the response time does not reveal which usernames exist.
// GenerateOneTimePassword(username): 16 random characters from an alphabet without look-alikes
//   (no I/O/l/o/0/1), with every class present, that satisfy CheckPasswordPolicy for `username`.
//   For one-time passwords that an administrator hands over and the user must change.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace jd::auth {

// GB/T 22239-2019 第三级 身份鉴别 a) asks for complexity without numbers; these are this project's.
inline constexpr std::size_t kPasswordMinChars = 12;
inline constexpr std::size_t kPasswordMaxBytes = 128;
inline constexpr int kPasswordMinClasses = 3;
inline constexpr std::size_t kOneTimePasswordLength = 16;

Status CheckPasswordPolicy(std::string_view password, std::string_view username);

Result<std::string> HashPassword(std::string_view password);

bool VerifyPassword(std::string_view hash, std::string_view password);

bool NeedsRehash(std::string_view hash);

void DummyVerifyPassword(std::string_view password);

std::string GenerateOneTimePassword(std::string_view username = {});

}  // namespace jd::auth
