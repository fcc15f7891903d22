#include "exchange/federation_crypto.h"

#include <sodium.h>

#include <stdexcept>
#include <vector>

namespace jd::exchange {

namespace {

using nlohmann::json;

void InitSodium() {
  static const bool ok = sodium_init() >= 0;
  if (!ok) throw std::runtime_error("libsodium could not be initialised");
}

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string Raw(const unsigned char* p, std::size_t n) {
  return std::string(reinterpret_cast<const char*>(p), n);
}

Status BadKey(const std::string& what) {
  return Status::Invalid({{what, "invalid_key", "密钥无效：" + what, "invalid key: " + what}});
}

std::optional<std::string> KeyMember(const json& j, const char* name, std::size_t size) {
  auto it = j.find(name);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  auto raw = FromBase64(it->get<std::string>());
  if (!raw || raw->size() != size) return std::nullopt;
  return raw;
}

}  // namespace

std::string Base64(std::string_view bytes) {
  InitSodium();
  const std::size_t n = sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  std::string out(n, '\0');
  sodium_bin2base64(out.data(), n, Bytes(bytes), bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(n - 1);  // the terminating NUL
  return out;
}

std::optional<std::string> FromBase64(std::string_view text) {
  InitSodium();
  std::string out(text.size(), '\0');
  std::size_t n = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &n, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  out.resize(n);
  return out;
}

NodeSecretKeys NewNodeKeys(const std::string& node_id) {
  InitSodium();
  unsigned char box_pk[crypto_box_PUBLICKEYBYTES], box_sk[crypto_box_SECRETKEYBYTES];
  unsigned char sign_pk[crypto_sign_PUBLICKEYBYTES], sign_sk[crypto_sign_SECRETKEYBYTES];
  crypto_box_keypair(box_pk, box_sk);
  crypto_sign_keypair(sign_pk, sign_sk);
  NodeSecretKeys k;
  k.pub = {node_id, Raw(box_pk, sizeof box_pk), Raw(sign_pk, sizeof sign_pk)};
  k.box_secret = Raw(box_sk, sizeof box_sk);
  k.sign_secret = Raw(sign_sk, sizeof sign_sk);
  sodium_memzero(box_sk, sizeof box_sk);
  sodium_memzero(sign_sk, sizeof sign_sk);
  return k;
}

std::string NewLookupKey() {
  InitSodium();
  unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
  crypto_auth_hmacsha256_keygen(key);
  std::string out = Raw(key, sizeof key);
  sodium_memzero(key, sizeof key);
  return out;
}

json PublicKeysJson(const NodePublicKeys& k) {
  return {{"node_id", k.node_id},
          {"box_public", Base64(k.box_public)},
          {"sign_public", Base64(k.sign_public)}};
}

Result<NodePublicKeys> PublicKeysFromJson(const json& j) {
  if (!j.is_object() || !j.contains("node_id") || !j["node_id"].is_string() ||
      j["node_id"].get<std::string>().empty()) {
    return BadKey("node_id");
  }
  auto box = KeyMember(j, "box_public", crypto_box_PUBLICKEYBYTES);
  if (!box) return BadKey("box_public");
  auto sign = KeyMember(j, "sign_public", crypto_sign_PUBLICKEYBYTES);
  if (!sign) return BadKey("sign_public");
  return NodePublicKeys{j["node_id"].get<std::string>(), *box, *sign};
}

json SecretKeysJson(const NodeSecretKeys& k) {
  json j = PublicKeysJson(k.pub);
  j["box_secret"] = Base64(k.box_secret);
  j["sign_secret"] = Base64(k.sign_secret);
  return j;
}

Result<NodeSecretKeys> SecretKeysFromJson(const json& j) {
  auto pub = PublicKeysFromJson(j);
  if (!pub.ok()) return pub.status();
  auto box = KeyMember(j, "box_secret", crypto_box_SECRETKEYBYTES);
  if (!box) return BadKey("box_secret");
  auto sign = KeyMember(j, "sign_secret", crypto_sign_SECRETKEYBYTES);
  if (!sign) return BadKey("sign_secret");
  return NodeSecretKeys{*pub, *box, *sign};
}

std::string LookupToken(std::string_view lookup_key, std::string_view id_number) {
  InitSodium();
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, Bytes(lookup_key), lookup_key.size());
  crypto_auth_hmacsha256_update(&st, Bytes(id_number), id_number.size());
  crypto_auth_hmacsha256_final(&st, mac);
  char hex[2 * sizeof mac + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return hex;
}

std::string SealFor(std::string_view plaintext, const NodeSecretKeys& from,
                    const NodePublicKeys& to) {
  InitSodium();
  std::vector<unsigned char> signed_msg(plaintext.size() + crypto_sign_BYTES);
  unsigned long long signed_len = 0;
  crypto_sign(signed_msg.data(), &signed_len, Bytes(plaintext), plaintext.size(),
              Bytes(from.sign_secret));
  std::string sealed(signed_len + crypto_box_SEALBYTES, '\0');
  crypto_box_seal(reinterpret_cast<unsigned char*>(sealed.data()), signed_msg.data(), signed_len,
                  Bytes(to.box_public));
  return sealed;
}

Result<std::string> OpenFrom(std::string_view sealed, const NodeSecretKeys& self,
                             const NodePublicKeys& from) {
  InitSodium();
  const Status refused = Status::PermissionDenied("the bundle cannot be opened or verified",
                                                  "记录包无法解密或验证签名");
  if (sealed.size() < crypto_box_SEALBYTES + crypto_sign_BYTES) return refused;
  std::vector<unsigned char> signed_msg(sealed.size() - crypto_box_SEALBYTES);
  if (crypto_box_seal_open(signed_msg.data(), Bytes(sealed), sealed.size(),
                           Bytes(self.pub.box_public), Bytes(self.box_secret)) != 0) {
    return refused;
  }
  std::string plain(signed_msg.size() - crypto_sign_BYTES, '\0');
  unsigned long long plain_len = 0;
  if (crypto_sign_open(reinterpret_cast<unsigned char*>(plain.data()), &plain_len,
                       signed_msg.data(), signed_msg.size(), Bytes(from.sign_public)) != 0) {
    return refused;
  }
  plain.resize(plain_len);
  return plain;
}

}  // namespace jd::exchange
