#include "exchange/fhir_transaction.h"

#include <fmt/format.h>

#include <set>

#include "core/ids.h"
#include "exchange/fhir.h"

namespace jd::exchange {

namespace {

using nlohmann::json;
using Kind = TransactionEntry::Kind;

Status Invalid(std::string field, std::string code, std::string zh, std::string en) {
  return Status::Invalid({{std::move(field), std::move(code), std::move(zh), std::move(en)}});
}

std::string EntryPath(std::size_t i) { return fmt::format("Bundle.entry[{}]", i); }

// W/"3", "3" or 3: the version an ifMatch names.
std::optional<int> VersionOf(std::string tag) {
  if (tag.rfind("W/", 0) == 0) tag = tag.substr(2);
  if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"')
    tag = tag.substr(1, tag.size() - 2);
  if (tag.empty() || tag.size() > 9) return std::nullopt;
  for (char ch : tag) {
    if (ch < '0' || ch > '9') return std::nullopt;
  }
  return std::stoi(tag);
}

// The 居民身份证 number a Patient carries, if any.
std::string ResidentIdOf(const json& patient) {
  auto ids = patient.find("identifier");
  if (ids == patient.end() || !ids->is_array()) return {};
  for (const auto& id : *ids) {
    if (id.is_object() && id.value("system", "") == kSystemResidentId) return id.value("value", "");
  }
  return {};
}

// A failed entry's status: its field errors under the entry's path (If-Match keeps its name so
// that the HTTP status stays 412/428) and one error naming the entry.
Status EntryFailed(const Status& st, const TransactionEntry& e) {
  const std::string path = EntryPath(e.index);
  std::vector<FieldError> errors;
  for (FieldError f : st.field_errors()) {
    if (f.field != "If-Match") f.field = path + ".resource." + f.field;
    errors.push_back(std::move(f));
  }
  errors.push_back(
      {path, "entry_failed",
       fmt::format("第 {} 条（从 0 起）未能处理：{}；整个事务已撤销", e.index, st.message_zh()),
       fmt::format("entry {} failed: {}; the whole transaction was rolled back", e.index,
                   st.message_en())});
  Status out = st;
  out.WithFieldErrors(std::move(errors));
  return out;
}

const char* AuditResultOf(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kPermissionDenied:
      return "denied";
    case StatusCode::kInvalidArgument:
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      return "invalid";
    default:
      return "failed";
  }
}

// A service's field errors named by the FHIR elements they come from.
Status WithElements(const Status& st, std::string (*element_of)(const std::string&)) {
  if (st.field_errors().empty()) return st;
  std::vector<FieldError> errors = st.field_errors();
  for (FieldError& e : errors) e.field = element_of(e.field);
  Status out = st;
  out.WithFieldErrors(std::move(errors));
  return out;
}

}  // namespace

Result<registry::PersonView> CreatePatient(registry::RegistryService& registry,
                                           const auth::Principal& who, const json& patient) {
  auto in = PersonInputOf(patient);
  if (!in.ok()) return in.status();
  auto v = registry.CreatePerson(who, *in);
  if (!v.ok()) return WithElements(v.status(), PatientElementOf);
  return v;
}

Result<registry::PersonView> UpdatePatient(registry::RegistryService& registry,
                                           const auth::Principal& who, const std::string& id,
                                           const json& patient, int expected_version) {
  if (patient.contains("id") && patient.value("id", "") != id) {
    return Invalid("Patient.id", "id_mismatch", "资源的 id 与地址中的不一致",
                   "the resource's id differs from the one in the URL");
  }
  auto in = PersonInputOf(patient);
  if (!in.ok()) return in.status();
  // The residence changes by a residence event (moved within the city), which keeps the history:
  // the extension may repeat the current unit, not name another.
  if (in->contains("residence_org")) {
    auto current = registry.GetPerson(who, id);
    if (!current.ok()) return current.status();
    if ((*in)["residence_org"] != current->person.residence_org) {
      return Invalid("Patient.extension", "use_residence_event",
                     "变更现居住地请登记居住事件（市内迁移）",
                     "record a residence event (moved_within_city) to change the residence");
    }
    in->erase("residence_org");
  }
  auto v = registry.UpdatePerson(who, id, *in, expected_version);
  if (!v.ok()) return WithElements(v.status(), PatientElementOf);
  return v;
}

Result<immunization::VaccinationRecord> CreateImmunization(
    immunization::ImmunizationService& immunization, const auth::Principal& who,
    const json& resource) {
  auto in = DoseInputOf(resource);
  if (!in.ok()) return in.status();
  auto ch = immunization.RecordDose(who, in->person_id, in->record);
  if (!ch.ok()) return WithElements(ch.status(), ImmunizationElementOf);
  return ch->record;
}

Result<std::vector<TransactionEntry>> ParseTransaction(const json& bundle) {
  if (!bundle.is_object() || bundle.value("resourceType", "") != "Bundle") {
    return Invalid("resourceType", "wrong_resource_type", "resourceType 应为 Bundle",
                   "resourceType must be Bundle");
  }
  if (bundle.value("type", "") != "transaction") {
    return Invalid("Bundle.type", "unsupported_bundle_type",
                   "只接受 type 为 transaction 的 Bundle（全部成功或全部撤销）",
                   "only a Bundle of type transaction is accepted (all or nothing)");
  }
  auto entries = bundle.find("entry");
  if (entries == bundle.end() || !entries->is_array() || entries->empty()) {
    return Invalid("Bundle.entry", "required", "Bundle.entry 至少应有一条",
                   "Bundle.entry must hold at least one entry");
  }
  if (entries->size() > kMaxTransactionEntries) {
    return Invalid("Bundle.entry", "too_many_entries",
                   fmt::format("一个事务最多 {} 条，请分批提交", kMaxTransactionEntries),
                   fmt::format("at most {} entries per transaction; send it in parts",
                               kMaxTransactionEntries));
  }
  FieldErrors errors;
  std::vector<TransactionEntry> out;
  std::set<std::string> full_urls;
  for (std::size_t i = 0; i < entries->size(); ++i) {
    const json& entry = (*entries)[i];
    const std::string path = EntryPath(i);
    if (!entry.is_object()) {
      errors.Add(path, "invalid_entry", "条目应为对象", "an entry must be an object");
      continue;
    }
    TransactionEntry e;
    e.index = i;
    e.full_url = entry.value("fullUrl", "");
    if (!e.full_url.empty()) {
      if (e.full_url.rfind("urn:uuid:", 0) == 0 && !IsUuid(e.full_url.substr(9))) {
        errors.Add(path + ".fullUrl", "invalid_value", "fullUrl 的 urn:uuid 不是有效的 UUID",
                   "the fullUrl's urn:uuid is not a UUID");
      } else if (!full_urls.insert(e.full_url).second) {
        errors.Add(path + ".fullUrl", "duplicate", "fullUrl 在 Bundle 中重复",
                   "the fullUrl appears twice in the Bundle");
      }
    }
    const json* request = nullptr;
    if (auto r = entry.find("request"); r != entry.end() && r->is_object()) request = &*r;
    const json* resource = nullptr;
    if (auto r = entry.find("resource"); r != entry.end() && r->is_object()) resource = &*r;
    if (request == nullptr) {
      errors.Add(path + ".request", "required", "事务条目须有 request（method 与 url）",
                 "a transaction entry needs a request (method and url)");
      continue;
    }
    if (resource == nullptr) {
      errors.Add(path + ".resource", "required", "条目须带资源", "the entry needs a resource");
      continue;
    }
    const std::string method = request->value("method", "");
    const std::string url = request->value("url", "");
    const std::string type = resource->value("resourceType", "");
    if (method == "POST" && url == "Patient" && type == "Patient") {
      e.kind = Kind::kCreatePatient;
      const std::string condition = request->value("ifNoneExist", "");
      if (!condition.empty()) {
        const std::string prefix = "identifier=" + std::string(kSystemResidentId) + "|";
        const std::string own = ResidentIdOf(*resource);
        if (condition.rfind(prefix, 0) != 0 || condition.substr(prefix.size()).empty() ||
            condition.substr(prefix.size()) != own) {
          errors.Add(path + ".request.ifNoneExist", "unsupported_condition",
                     "ifNoneExist 只能为 identifier=" + std::string(kSystemResidentId) +
                         "|<本资源的身份证号>",
                     "ifNoneExist can only be identifier=" + std::string(kSystemResidentId) +
                         "|<the resource's own ID number>");
        }
        e.if_none_exist_id_number = own;
      }
    } else if (method == "PUT" && url.rfind("Patient/", 0) == 0 && type == "Patient") {
      e.kind = Kind::kUpdatePatient;
      e.id = url.substr(8);
      if (!IsUuid(e.id)) {
        errors.Add(path + ".request.url", "invalid_value", "url 应为 Patient/<编号>",
                   "url must be Patient/<id>");
      }
      e.if_match = VersionOf(request->value("ifMatch", ""));
      if (!e.if_match) {
        errors.Add(path + ".request.ifMatch", "version_required",
                   "更新须在 ifMatch 中给出所改记录的版本号（W/\"n\"）",
                   "an update needs ifMatch with the version it changes (W/\"n\")");
      }
    } else if (method == "POST" && url == "Immunization" && type == "Immunization") {
      e.kind = Kind::kCreateImmunization;
    } else {
      errors.Add(path + ".request", "unsupported_interaction",
                 "事务中只支持 POST Patient、PUT Patient/<编号> 与 POST Immunization，"
                 "且 url 与资源类型一致",
                 "a transaction supports POST Patient, PUT Patient/<id> and POST Immunization, "
                 "with the url matching the resource's type");
      continue;
    }
    e.resource = *resource;
    out.push_back(std::move(e));
  }
  if (!errors.empty()) return errors.ToStatus();
  return out;
}

Result<FhirTransactions::Outcome> FhirTransactions::RunEntry(
    const auth::Principal& who, const TransactionEntry& e,
    std::vector<std::pair<std::string, std::string>>& patient_ids) {
  Outcome out;
  switch (e.kind) {
    case Kind::kCreatePatient: {
      auto v = CreatePatient(registry_, who, e.resource);
      out.status = 201;
      if (!v.ok() && v.status().code() == StatusCode::kAlreadyExists &&
          !e.if_none_exist_id_number.empty() && !v.status().detail_ref().empty()) {
        // Conditional create: the person is here already and visible to the caller.
        v = registry_.GetPerson(who, v.status().detail_ref());
        out.status = 200;
      }
      if (!v.ok()) return v.status();
      if (!e.full_url.empty()) patient_ids.emplace_back(e.full_url, v->person.id);
      out.location = fmt::format("Patient/{}/_history/{}", v->person.id, v->person.version);
      out.version = v->person.version;
      out.resource = PatientOf(v->person, Disclosure::kFull);
      return out;
    }
    case Kind::kUpdatePatient: {
      auto v = UpdatePatient(registry_, who, e.id, e.resource, *e.if_match);
      if (!v.ok()) return v.status();
      out.status = 200;
      out.location = fmt::format("Patient/{}/_history/{}", v->person.id, v->person.version);
      out.version = v->person.version;
      out.resource = PatientOf(v->person, Disclosure::kFull);
      return out;
    }
    case Kind::kCreateImmunization: {
      json resource = e.resource;
      // A reference to a Patient of this Bundle by its fullUrl becomes the id it was given.
      if (auto p = resource.find("patient"); p != resource.end() && p->is_object()) {
        const std::string ref = p->value("reference", "");
        for (const auto& [url, id] : patient_ids) {
          if (url == ref) (*p)["reference"] = "Patient/" + id;
        }
        if ((*p)["reference"] == ref && ref.rfind("urn:uuid:", 0) == 0) {
          return Invalid("Immunization.patient", "unresolved_reference",
                         "patient.reference 指向的 Patient 不在本 Bundle 中",
                         "patient.reference names no Patient of this Bundle");
        }
      }
      auto r = CreateImmunization(immunization_, who, resource);
      if (!r.ok()) return r.status();
      std::string clinic;
      if (!r->clinic_code.empty()) {
        if (auto org = registry_.FindOrg(r->clinic_code)) clinic = org->name;
      }
      out.status = 201;
      out.location = fmt::format("Immunization/{}/_history/{}", r->id, r->version);
      out.version = r->version;
      out.resource = ImmunizationOf(immunization_.schedule(), *r, clinic);
      return out;
    }
  }
  return Status::Internal("unknown transaction entry kind");
}

Result<json> FhirTransactions::Run(const auth::Principal& who,
                                   const std::vector<TransactionEntry>& entries) {
  std::vector<std::optional<Outcome>> outcomes(entries.size());
  std::vector<std::pair<std::string, std::string>> patient_ids;  // fullUrl → person id
  const TransactionEntry* failed = nullptr;
  Status st = db_.Atomically([&]() -> Status {
    // R4 http.html#trules: POST before PUT; Patients before the doses that may reference them.
    for (Kind pass : {Kind::kCreatePatient, Kind::kCreateImmunization, Kind::kUpdatePatient}) {
      for (std::size_t i = 0; i < entries.size(); ++i) {
        const TransactionEntry& e = entries[i];
        if (e.kind != pass) continue;
        auto outcome = RunEntry(who, e, patient_ids);
        if (!outcome.ok()) {
          failed = &e;
          return EntryFailed(outcome.status(), e);
        }
        outcomes[i] = std::move(outcome).value();
      }
    }
    // The Bundle's own row commits with its entries.
    return db_.Write([&](soci::session& s) {
      return audit_.Append(s, who,
                           {.action = "fhir.transaction",
                            .object_type = "bundle",
                            .detail = fmt::format("{{\"entries\":{}}}", entries.size())});
    });
  });
  if (!st.ok()) {
    JD_RETURN_IF_ERROR(audit_.Record(
        who, {.action = "fhir.transaction",
              .object_type = "bundle",
              .result = AuditResultOf(st.code()),
              .detail = fmt::format("{{\"entries\":{},\"failed_entry\":{}}}", entries.size(),
                                    failed == nullptr ? -1 : static_cast<long>(failed->index))}));
    return st;
  }
  json response_entries = json::array();
  for (const auto& o : outcomes) {
    const char* text = o->status == 201 ? "201 Created" : "200 OK";
    response_entries.push_back({{"fullUrl", o->location.substr(0, o->location.find("/_history/"))},
                                {"resource", o->resource},
                                {"response",
                                 {{"status", text},
                                  {"location", o->location},
                                  {"etag", fmt::format("W/\"{}\"", o->version)}}}});
  }
  return json{{"resourceType", "Bundle"},
              {"type", "transaction-response"},
              {"entry", std::move(response_entries)}};
}

}  // namespace jd::exchange
