#include "exchange/federation_crypto.h"

#include <gtest/gtest.h>

namespace jd::exchange {
namespace {

TEST(FederationCryptoTest, OnlyTheReceiverOpensAndOnlyTheSendersSignatureCounts) {
  const NodeSecretKeys nanning = NewNodeKeys("450100");
  const NodeSecretKeys shenzhen = NewNodeKeys("440300");
  const NodeSecretKeys other = NewNodeKeys("350200");
  const std::string bundle = R"({"resourceType":"Bundle","entry":[]})";
  const std::string sealed = SealFor(bundle, nanning, shenzhen.pub);
  EXPECT_EQ(sealed.find("Bundle"), std::string::npos) << "the plaintext shows through";

  auto opened = OpenFrom(sealed, shenzhen, nanning.pub);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, bundle);
  // A node without the receiver's key cannot read it.
  EXPECT_EQ(OpenFrom(sealed, other, nanning.pub).status().code(), StatusCode::kPermissionDenied);
  // Claimed to come from another node: the signature does not check.
  EXPECT_EQ(OpenFrom(sealed, shenzhen, other.pub).status().code(), StatusCode::kPermissionDenied);
  // One flipped bit anywhere: refused.
  std::string tampered = sealed;
  tampered[tampered.size() / 2] ^= 1;
  EXPECT_FALSE(OpenFrom(tampered, shenzhen, nanning.pub).ok());
  EXPECT_FALSE(OpenFrom("short", shenzhen, nanning.pub).ok());
}

TEST(FederationCryptoTest, LookupTokensAreKeyedAndStable) {
  const std::string key = NewLookupKey();
  const std::string a = LookupToken(key, "450103202303150023");
  EXPECT_EQ(a.size(), 64u);
  EXPECT_EQ(a, LookupToken(key, "450103202303150023"));
  EXPECT_NE(a, LookupToken(key, "450103202303150031"));
  EXPECT_NE(a, LookupToken(NewLookupKey(), "450103202303150023"));
  EXPECT_EQ(a.find("450103"), std::string::npos);
  // RFC 4231 test case 2: HMAC-SHA-256("Jefe", "what do ya want for nothing?").
  EXPECT_EQ(LookupToken("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(FederationCryptoTest, KeyFilesRoundTripAndRefuseDamage) {
  const NodeSecretKeys k = NewNodeKeys("450100");
  auto back = SecretKeysFromJson(SecretKeysJson(k));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->box_secret, k.box_secret);
  EXPECT_EQ(back->pub.sign_public, k.pub.sign_public);
  auto pub = PublicKeysFromJson(PublicKeysJson(k.pub));
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(pub->node_id, "450100");
  EXPECT_FALSE(PublicKeysJson(k.pub).contains("box_secret"));
  nlohmann::json broken = PublicKeysJson(k.pub);
  broken["box_public"] = "AAAA";
  EXPECT_FALSE(PublicKeysFromJson(broken).ok());
  EXPECT_FALSE(PublicKeysFromJson(nlohmann::json::array()).ok());
}

}  // namespace
}  // namespace jd::exchange
