// File: exchange/federation_crypto.h
// The cryptography of the federation of city nodes (libsodium), as pure functions of keys and
// bytes:
//   - each node has an encryption key pair (X25519, crypto_box) and a signing key pair (Ed25519,
//     crypto_sign); their public halves are exchanged when a node joins (PublicKeysJson);
//   - the nodes of a federation share one look-up key: a person is looked up by the keyed hash
//     HMAC-SHA-256(look-up key, normalised ID number), so no raw ID number travels in a look-up
//     and a party without the key cannot test a guessed number against the hashes it sees;
//   - a record bundle is signed by the sending node and sealed to the receiving node's public key
//     (crypto_sign, then crypto_box_seal): the message engine carries only ciphertext, only the
//     receiver can open it, and the receiver knows which node made it.
// Thread-safe: no state beyond libsodium's (sodium_init is called once, on first use).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace jd::exchange {

struct NodePublicKeys {
  std::string node_id;      // the node's division code, e.g. "450100"
  std::string box_public;   // raw bytes
  std::string sign_public;  // raw bytes
};

struct NodeSecretKeys {
  NodePublicKeys pub;
  std::string box_secret;   // raw bytes
  std::string sign_secret;  // raw bytes
};

// A new node's key pairs.
NodeSecretKeys NewNodeKeys(const std::string& node_id);
// A new federation look-up key (32 random bytes), made once by the first node and given to the
// others out of band.
std::string NewLookupKey();

// {node_id, box_public, sign_public} (base64), the file a node hands to its peers.
nlohmann::json PublicKeysJson(const NodePublicKeys& k);
Result<NodePublicKeys> PublicKeysFromJson(const nlohmann::json& j);
// The secret file adds box_secret and sign_secret (base64). Kept 0600 by whoever writes it.
nlohmann::json SecretKeysJson(const NodeSecretKeys& k);
Result<NodeSecretKeys> SecretKeysFromJson(const nlohmann::json& j);

// The look-up token of an ID number (already normalised: upper case, 18 characters), hex.
std::string LookupToken(std::string_view lookup_key, std::string_view id_number);

// The bundle `plaintext` signed by `from` and sealed to `to`.
std::string SealFor(std::string_view plaintext, const NodeSecretKeys& from,
                    const NodePublicKeys& to);
// Opens what SealFor made for `self` and checks the signature of `from`. A message for another
// node, a tampered one, or one signed by another key is an error (kPermissionDenied), never a
// plaintext.
Result<std::string> OpenFrom(std::string_view sealed, const NodeSecretKeys& self,
                             const NodePublicKeys& from);

std::string Base64(std::string_view bytes);
std::optional<std::string> FromBase64(std::string_view text);

}  // namespace jd::exchange
