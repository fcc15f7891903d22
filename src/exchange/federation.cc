#include "exchange/federation.h"

#include <fmt/format.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

#include "auth/access.h"
#include "auth/auth_service.h"
#include "core/ids.h"
#include "exchange/federation_store.h"
#include "exchange/fhir.h"

namespace jd::exchange {

namespace {

using nlohmann::json;

// 试点工作方案 五(四): records follow the migrant across regions within the programme; the
// transfer's legal basis as both ledgers and audits record it.
constexpr const char* kLegalBasis =
    "流动人口基本公共卫生计生服务均等化 跨区域信息互联互通（试点工作方案 "
    "五(四)）：本人迁往该节点所在城市";

std::string Sha256Hex(std::string_view bytes) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[2 * sizeof h + 1];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return hex;
}

std::string Now(const Clock& clock) { return FormatTimestamp(clock.Now()); }

Status NotPeer(const std::string& node) {
  return Status::Invalid(
      {{"to", "unknown_peer", "不是已加入的节点：" + node, "not a node that has joined: " + node}});
}

}  // namespace

json IdentityJson(const FederationIdentity& id) {
  json j = SecretKeysJson(id.keys);
  j["lookup_key"] = Base64(id.lookup_key);
  return j;
}

Result<FederationIdentity> IdentityFromJson(const json& j) {
  auto keys = SecretKeysFromJson(j);
  if (!keys.ok()) return keys.status();
  auto lookup = j.contains("lookup_key") && j["lookup_key"].is_string()
                    ? FromBase64(j["lookup_key"].get<std::string>())
                    : std::nullopt;
  if (!lookup || lookup->size() < 16) {
    return Status::Invalid(
        {{"lookup_key", "invalid_key", "查找密钥无效", "the look-up key is invalid"}});
  }
  return FederationIdentity{*keys, *lookup};
}

std::string IdentityPath(const std::string& db_path) { return db_path + ".federation-key"; }

Result<std::optional<FederationIdentity>> LoadIdentityFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return std::optional<FederationIdentity>();
  std::stringstream text;
  text << f.rdbuf();
  auto id = IdentityFromJson(json::parse(text.str(), nullptr, false));
  if (!id.ok()) return id.status();
  return std::optional<FederationIdentity>(std::move(*id));
}

Federation::Federation(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                       registry::RegistryService& registry,
                       immunization::ImmunizationService& immunization, FederationIdentity identity)
    : db_(db),
      audit_(audit),
      clock_(clock),
      registry_(registry),
      immunization_(immunization),
      identity_(std::move(identity)) {}

Status Federation::Join(const auth::Principal& who, const NodePublicKeys& peer) {
  if (!who.system) return Status::PermissionDenied();
  if (peer.node_id == node_id()) {
    return Status::Invalid(
        {{"node_id", "self", "不能把本节点加为对端", "a node cannot join itself"}});
  }
  const std::string at = Now(clock_);
  JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) {
    FederationStore::PutPeer(s, peer, at, who.username);
    return Status::Ok();
  }));
  return audit_.Record(
      who,
      {.action = "federation.join", .object_type = "federation_peer", .object_id = peer.node_id});
}

Result<std::vector<NodePublicKeys>> Federation::Peers() const {
  std::vector<NodePublicKeys> out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    out = FederationStore::Peers(s);
    return Status::Ok();
  }));
  return out;
}

Result<json> Federation::RecordBundle(const auth::Principal& who, const std::string& person_id,
                                      registry::Person& person) {
  auto view = registry_.GetPerson(who, person_id);
  if (!view.ok()) return view.status();
  person = view->person;
  auto doses = immunization_.Get(who, person_id, "");
  if (!doses.ok()) return doses.status();
  json entries = json::array();
  auto add = [&](const json& r) {
    entries.push_back(
        {{"fullUrl", fmt::format("urn:uuid:{}", r.value("id", ""))}, {"resource", r}});
  };
  add(PatientOf(person, Disclosure::kFull));
  for (const auto& r : doses->records) {
    if (r.voided) continue;
    std::string clinic = r.clinic_name;
    if (!r.clinic_code.empty()) {
      if (auto org = registry_.FindOrg(r.clinic_code)) clinic = org->name;
    }
    json imm = ImmunizationOf(immunization_.schedule(), r, clinic);
    // The sender's org codes mean nothing at the receiver: the clinic travels by name.
    if (imm.contains("performer")) imm["performer"][0]["actor"].erase("identifier");
    add(imm);
  }
  return json{{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", entries}};
}

Result<TransferRow> Federation::SendPerson(const auth::Principal& who, const std::string& person_id,
                                           const std::string& to_node,
                                           const std::string& to_division) {
  JD_RETURN_IF_ERROR(auth::Require(who, auth::Permission::kPersonWrite));
  if (to_division.size() != 6 || to_division.find_first_not_of("0123456789") != std::string::npos) {
    return Status::Invalid({{"to_division", "invalid_value", "迁往地应为 6 位行政区划代码",
                             "to_division must be a 6-digit division code"}});
  }
  std::optional<NodePublicKeys> peer;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    peer = FederationStore::Peer(s, to_node);
    return Status::Ok();
  }));
  if (!peer) return NotPeer(to_node);
  registry::Person person;
  auto bundle = RecordBundle(who, person_id, person);
  if (!bundle.ok()) return bundle.status();
  if (person.status != registry::PersonStatus::kActive) {
    return Status::FailedPrecondition("the person is not active here", "该人员在本地已非在册状态");
  }
  TransferRow t;
  t.id = NewId();
  t.direction = "out";
  t.peer = to_node;
  t.person_id = person_id;
  t.to_division = to_division;
  t.legal_basis = kLegalBasis;
  t.state = "queued";
  t.resources = static_cast<int>((*bundle)["entry"].size());
  t.created_at = t.updated_at = Now(clock_);
  const json plain = {{"transfer", t.id},
                      {"from", node_id()},
                      {"to", to_node},
                      {"to_division", to_division},
                      {"legal_basis", t.legal_basis},
                      {"sent_on", FormatDate(clock_.Today())},
                      {"bundle", *bundle}};
  const std::string plaintext = plain.dump();
  t.bundle_sha256 = Sha256Hex(plaintext);
  // On the wire: who sends to whom and the ciphertext; nothing about the person.
  const std::string envelope = json{{"v", 1},
                                    {"transfer", t.id},
                                    {"from", node_id()},
                                    {"to", to_node},
                                    {"sealed", Base64(SealFor(plaintext, identity_.keys, *peer))}}
                                   .dump();
  // The queued transfer first, then the move-out: should the second fail, the record still goes
  // (and a repeated send is taken in once), rather than a person leaving without it.
  JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) {
    FederationStore::InsertTransfer(s, t, envelope);
    return Status::Ok();
  }));
  auto moved = registry_.AddResidenceEvent(
      who, person_id,
      {{"type", "moved_out"},
       {"date", FormatDate(clock_.Today())},
       {"note", fmt::format("迁往 {}（节点 {}），记录已随人转出", to_division, to_node)}});
  if (!moved.ok()) return moved.status();
  JD_RETURN_IF_ERROR(audit_.Record(
      who,
      {.action = "federation.send",
       .object_type = "federation_transfer",
       .object_id = t.id,
       .person_id = person_id,
       .detail = json{{"to", to_node}, {"to_division", to_division}, {"legal_basis", kLegalBasis}}
                     .dump()}));
  return t;
}

Result<int> Federation::PublishQueued(NatsLink& link) {
  int published = 0;
  for (;;) {
    std::vector<std::pair<TransferRow, std::string>> queued;
    JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
      queued = FederationStore::Queued(s, 100);
      return Status::Ok();
    }));
    if (queued.empty()) return published;
    for (const auto& item : queued) {
      const TransferRow& row = item.first;
      const std::string& envelope = item.second;
      JD_RETURN_IF_ERROR(link.PublishTransfer(row.peer, envelope, row.id));
      const std::string at = Now(clock_);
      JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) {
        FederationStore::MarkSent(s, row.id, at);
        return Status::Ok();
      }));
      ++published;
    }
  }
}

Result<std::string> Federation::LinkPerson(const json& patient, const std::string& to_division,
                                           Date arrived_on, std::string& detail) {
  const auth::Principal system = auth::AuthService::SystemPrincipal("federation");
  auto input = PersonInputOf(patient);
  if (!input.ok()) return input.status();
  // Placed in the district the sender named, else at the city.
  std::optional<registry::OrgUnit> org = registry_.FindOrg(to_division);
  if (!org) org = registry_.RootOrg();
  if (!org) return Status::FailedPrecondition("this node has no org units", "本节点未配置单位");
  (*input)["residence_org"] = org->code;
  (*input)["arrived_on"] = FormatDate(arrived_on);
  input->erase("residence_address");
  auto created = registry_.CreatePerson(system, *input);
  if (created.ok()) return created->person.id;
  const Status& st = created.status();
  if (st.code() != StatusCode::kAlreadyExists || st.detail_ref().empty()) return st;
  // Registered here already (an earlier stay, or an earlier delivery of this very transfer):
  // the person's own record here stays as it is; one who had left comes back.
  const std::string id = st.detail_ref();
  auto existing = registry_.GetPerson(system, id);
  if (!existing.ok()) return existing.status();
  if (existing->person.status == registry::PersonStatus::kMovedOut) {
    auto back = registry_.AddResidenceEvent(
        system, id,
        {{"type", "returned"}, {"date", FormatDate(arrived_on)}, {"org_code", org->code}});
    if (!back.ok()) return back.status();
    detail += "returned; ";
  } else {
    detail += "already registered here; ";
  }
  return id;
}

Status Federation::Ingest(std::string_view wire, ReceiveReport& report) {
  const auth::Principal system = auth::AuthService::SystemPrincipal("federation");
  const json envelope = json::parse(wire, nullptr, false);
  const std::string transfer = envelope.is_object() ? envelope.value("transfer", "") : "";
  const std::string from = envelope.is_object() ? envelope.value("from", "") : "";
  TransferRow row;
  row.id = transfer.empty() ? NewId() : transfer;
  row.direction = "in";
  row.peer = from;
  row.legal_basis = kLegalBasis;
  row.created_at = row.updated_at = Now(clock_);
  row.bundle_sha256 = Sha256Hex(wire);
  // A refusal for good: recorded, acknowledged, listed for review.
  auto refuse = [&](const std::string& why) -> Status {
    row.state = "refused";
    row.detail = why;
    JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) {
      FederationStore::InsertTransfer(s, row, "");
      return Status::Ok();
    }));
    ++report.refused;
    spdlog::warn("federation: transfer {} from {} refused: {}", row.id, from, why);
    return audit_.Record(system, {.action = "federation.receive",
                                  .object_type = "federation_transfer",
                                  .object_id = row.id,
                                  .result = "invalid",
                                  .detail = why});
  };
  bool seen = false;
  std::optional<NodePublicKeys> peer;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    seen = !transfer.empty() && FederationStore::HasTransfer(s, transfer);
    if (!from.empty()) peer = FederationStore::Peer(s, from);
    return Status::Ok();
  }));
  if (seen) {
    ++report.duplicates;
    return Status::Ok();
  }
  if (transfer.empty() || envelope.value("to", "") != node_id()) {
    return refuse("not a transfer for this node");
  }
  const bool is_report = envelope.value("kind", "") == "report";
  if (!peer) return refuse("from a node that has not joined: " + from);
  auto sealed = FromBase64(envelope.value("sealed", ""));
  if (!sealed) return refuse("the envelope holds no sealed bundle");
  auto opened = OpenFrom(*sealed, identity_.keys, *peer);
  if (!opened.ok()) return refuse("the bundle cannot be opened or its signature does not check");
  const json plain = json::parse(*opened, nullptr, false);
  if (is_report) {
    if (!plain.is_object() || plain.value("report", "") != transfer ||
        plain.value("kind", "") != "report") {
      return refuse("the envelope is not a city report");
    }
    return IngestReport(plain, from, report);
  }
  if (!plain.is_object() || plain.value("transfer", "") != transfer || !plain.contains("bundle") ||
      !plain["bundle"].is_object()) {
    return refuse("the bundle is not a record transfer");
  }
  const std::optional<Date> sent_on = ParseDate(plain.value("sent_on", ""));
  row.to_division = plain.value("to_division", "");
  json patient;
  std::vector<json> doses;
  for (const json& e : plain["bundle"].value("entry", json::array())) {
    const json& r = e.contains("resource") ? e["resource"] : json();
    if (!r.is_object()) continue;
    if (r.value("resourceType", "") == "Patient") patient = r;
    if (r.value("resourceType", "") == "Immunization") doses.push_back(r);
  }
  if (!patient.is_object()) return refuse("the bundle holds no Patient");
  // The person, the doses and the ledger row in one transaction: the receiving centre never sees
  // the person without the doses, and a passing failure leaves nothing half taken in.
  return db_.Atomically([&]() -> Status {
    std::string detail;
    auto person = LinkPerson(patient, row.to_division, sent_on.value_or(clock_.Today()), detail);
    if (!person.ok()) {
      if (person.status().code() == StatusCode::kUnavailable) {
        ++report.left;
        return person.status();
      }
      std::string why = person.status().message_en();
      for (const auto& fe : person.status().field_errors()) why += "; " + fe.field + ": " + fe.code;
      return refuse("the person cannot be registered here: " + why);
    }
    row.person_id = *person;
    // The doses in one transaction: a bundle's dozen doses cost one write, not a dozen.
    std::vector<json> records;
    int bad = 0;
    for (const json& imm : doses) {
      auto in = DoseInputOf(imm);
      if (!in.ok()) {
        ++bad;
        continue;
      }
      json record = in->record;
      record.erase("clinic");
      record["source"] = "other_region";
      if (!record.contains("clinic_name")) record["clinic_name"] = "节点 " + from;
      records.push_back(std::move(record));
    }
    auto batch = immunization_.RecordDoses(system, *person, records);
    if (!batch.ok()) {
      if (batch.status().code() != StatusCode::kUnavailable) {
        return refuse("the doses cannot be recorded: " + batch.status().message_en());
      }
      ++report.left;
      return batch.status();
    }
    const int added = batch->added, known = batch->already;
    bad += batch->invalid;
    row.state = "ingested";
    row.resources = 1 + static_cast<int>(doses.size());
    row.detail =
        detail + fmt::format("doses: {} added, {} already here, {} not taken", added, known, bad);
    bool inserted = false;
    JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) {
      inserted = FederationStore::InsertTransfer(s, row, "");
      return Status::Ok();
    }));
    if (!inserted) {
      ++report.duplicates;
      return Status::Ok();
    }
    ++report.ingested;
    for (const json& id : patient.value("identifier", json::array())) {
      if (id.is_object() && id.value("system", "") == kSystemResidentId) {
        report.tokens.push_back(LookupToken(identity_.lookup_key, id.value("value", "")));
      }
    }
    return audit_.Record(
        system,
        {.action = "federation.receive",
         .object_type = "federation_transfer",
         .object_id = row.id,
         .person_id = *person,
         .detail = json{{"from", from}, {"legal_basis", row.legal_basis}, {"result", row.detail}}
                       .dump()});
  });
}

Result<ReceiveReport> Federation::ReceiveOnce(NatsLink& link, int batch, int timeout_ms) {
  ReceiveReport report;
  auto deliveries = link.FetchTransfers(node_id(), batch, timeout_ms);
  if (!deliveries.ok()) return deliveries.status();
  for (NatsDelivery& d : *deliveries) {
    Status st = Ingest(d.data(), report);
    // Not acknowledged: JetStream delivers it again after the ack wait.
    if (!st.ok()) {
      spdlog::warn("federation: a transfer is left for later: {}", st.ToString());
      continue;
    }
    JD_RETURN_IF_ERROR(d.Ack());
  }
  // This node now holds the persons it took in: the index says so.
  for (const std::string& token : report.tokens) {
    JD_RETURN_IF_ERROR(link.IndexPut(token, node_id()));
  }
  return report;
}

Result<int> Federation::Announce(NatsLink& link) {
  const auth::Principal system = auth::AuthService::SystemPrincipal("federation");
  int put = 0;
  for (int offset = 0;; offset += 500) {
    registry::PersonSearch q;
    q.status = "active";
    q.limit = 500;
    q.offset = offset;
    auto page = registry_.SearchPersons(system, q);
    if (!page.ok()) return page.status();
    for (const auto& p : page->items) {
      if (p.id_type != registry::IdType::kResidentId || p.id_number.empty()) continue;
      JD_RETURN_IF_ERROR(link.IndexPut(LookupToken(identity_.lookup_key, p.id_number), node_id()));
      ++put;
    }
    if (static_cast<int>(page->items.size()) < 500) return put;
  }
}

Result<std::optional<std::string>> Federation::Lookup(NatsLink& link,
                                                      const std::string& id_number) {
  return link.IndexGet(LookupToken(identity_.lookup_key, id_number));
}

Result<std::vector<TransferRow>> Federation::Ledger(int limit) const {
  std::vector<TransferRow> out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    out = FederationStore::Recent(s, limit);
    return Status::Ok();
  }));
  return out;
}

Result<std::string> Federation::SendReport(const auth::Principal& who, NatsLink& link,
                                           const std::string& to_node, const std::string& city,
                                           const std::string& period, const std::string& document) {
  JD_RETURN_IF_ERROR(auth::Require(who, auth::Permission::kAggregateRead));
  std::optional<NodePublicKeys> peer;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    peer = FederationStore::Peer(s, to_node);
    return Status::Ok();
  }));
  if (!peer) return NotPeer(to_node);
  const std::string id = NewId();
  const json plain = {{"kind", "report"},    {"report", id},     {"from", node_id()},
                      {"city", city},        {"period", period}, {"sent_at", Now(clock_)},
                      {"document", document}};
  const std::string envelope =
      json{{"v", 1},         {"kind", "report"},
           {"transfer", id}, {"from", node_id()},
           {"to", to_node},  {"sealed", Base64(SealFor(plain.dump(), identity_.keys, *peer))}}
          .dump();
  JD_RETURN_IF_ERROR(link.PublishTransfer(to_node, envelope, id));
  JD_RETURN_IF_ERROR(audit_.Record(
      who, {.action = "federation.report.send",
            .object_type = "aggregate_report",
            .object_id = id,
            .detail = json{{"to", to_node}, {"city", city}, {"period", period}}.dump()}));
  return id;
}

Status Federation::IngestReport(const json& plain, const std::string& from, ReceiveReport& report) {
  const auth::Principal system = auth::AuthService::SystemPrincipal("federation");
  CityReportRow row;
  row.id = plain.value("report", "");
  row.city = plain.value("city", "");
  row.period = plain.value("period", "");
  row.node = from;
  row.document = plain.value("document", "");
  row.sent_at = plain.value("sent_at", "");
  row.received_at = Now(clock_);
  const bool city_ok =
      row.city.size() == 6 && row.city.find_first_not_of("0123456789") == std::string::npos;
  if (!city_ok || row.period.empty() || row.period.size() > 7 || row.document.empty()) {
    ++report.refused;
    spdlog::warn("federation: report {} from {} refused: no city, period or document", row.id,
                 from);
    return audit_.Record(system, {.action = "federation.report.receive",
                                  .object_type = "aggregate_report",
                                  .object_id = row.id,
                                  .result = "invalid",
                                  .detail = "no city, period or document"});
  }
  bool inserted = false;
  JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) {
    inserted = FederationStore::InsertReport(s, row, Sha256Hex(row.document));
    return Status::Ok();
  }));
  if (!inserted) {
    ++report.duplicates;
    return Status::Ok();
  }
  ++report.reports;
  return audit_.Record(
      system, {.action = "federation.report.receive",
               .object_type = "aggregate_report",
               .object_id = row.id,
               .detail = json{{"from", from}, {"city", row.city}, {"period", row.period}}.dump()});
}

Result<std::vector<CityReportRow>> Federation::Reports(const auth::Principal& who,
                                                       const std::string& period) const {
  JD_RETURN_IF_ERROR(auth::Require(who, auth::Permission::kAggregateRead));
  std::vector<CityReportRow> out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    out = FederationStore::Reports(s, period);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<std::string>> Federation::ReportPeriods(const auth::Principal& who) const {
  JD_RETURN_IF_ERROR(auth::Require(who, auth::Permission::kAggregateRead));
  std::vector<std::string> out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    out = FederationStore::ReportPeriods(s);
    return Status::Ok();
  }));
  return out;
}

}  // namespace jd::exchange
