#include "http/request_guard.h"

#include <gtest/gtest.h>

namespace jd::http {
namespace {

TEST(IsCrossSiteWrite, ReadsAreNeverRefused) {
  EXPECT_FALSE(IsCrossSiteWrite("GET", "cross-site", "https://evil.example", "node.example"));
  EXPECT_FALSE(IsCrossSiteWrite("HEAD", "cross-site", "", "node.example"));
}

TEST(IsCrossSiteWrite, FetchMetadataDecidesWhenPresent) {
  EXPECT_FALSE(IsCrossSiteWrite("POST", "same-origin", "", "node.example"));
  EXPECT_FALSE(IsCrossSiteWrite("PATCH", "none", "", "node.example"));
  EXPECT_TRUE(IsCrossSiteWrite("POST", "cross-site", "", "node.example"));
  EXPECT_TRUE(IsCrossSiteWrite("DELETE", "same-site", "", "node.example"));
  // Fetch metadata wins over a matching Origin.
  EXPECT_TRUE(IsCrossSiteWrite("POST", "cross-site", "http://node.example", "node.example"));
}

TEST(IsCrossSiteWrite, OriginMustNameThisHost) {
  EXPECT_FALSE(IsCrossSiteWrite("POST", "", "http://127.0.0.1:8080", "127.0.0.1:8080"));
  EXPECT_FALSE(IsCrossSiteWrite("POST", "", "https://Node.Example", "node.example"));
  EXPECT_FALSE(IsCrossSiteWrite("POST", "", "https://node.example:443", "node.example"));
  EXPECT_TRUE(IsCrossSiteWrite("POST", "", "http://127.0.0.1:9999", "127.0.0.1:8080"));
  EXPECT_TRUE(IsCrossSiteWrite("PUT", "", "https://evil.example", "node.example"));
  EXPECT_TRUE(IsCrossSiteWrite("POST", "", "null", "node.example"));
  EXPECT_TRUE(IsCrossSiteWrite("POST", "", "https://node.example/path", "node.example"));
  EXPECT_TRUE(IsCrossSiteWrite("POST", "", "https://node.example", ""));
}

TEST(IsCrossSiteWrite, ScriptsWithoutBrowserHeadersPass) {
  EXPECT_FALSE(IsCrossSiteWrite("POST", "", "", "127.0.0.1:8080"));
}

}  // namespace
}  // namespace jd::http
