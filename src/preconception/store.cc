#include "preconception/store.h"

#include <nlohmann/json.hpp>

#include "maternal/store.h"

namespace jd::preconception {

namespace {

using maternal::JoinCodes;
using maternal::SplitCodes;
using nlohmann::json;
using storage::RowInt64;

std::string Text(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i);
}

// The items and results columns are JSON text: read whole with the check, never filtered on.
std::string ItemsJson(const CheckRecord& r) {
  return json{{"woman", r.woman_items}, {"man", r.man_items}}.dump();
}

std::string ResultsJson(const CheckRecord& r) {
  json out = json::array();
  for (const auto& res : r.results) {
    out.push_back(
        {{"partner", PartnerCode(res.partner)}, {"item", res.item}, {"value", res.value}});
  }
  return out.dump();
}

void ReadRecordColumns(const std::string& items, const std::string& results, CheckRecord& r) {
  json i = json::parse(items, nullptr, false);
  if (i.is_object()) {
    r.woman_items = i.value("woman", std::vector<std::string>{});
    r.man_items = i.value("man", std::vector<std::string>{});
  }
  json res = json::parse(results, nullptr, false);
  if (!res.is_array()) return;
  for (const auto& e : res) {
    if (!e.is_object()) continue;
    r.results.push_back({ParsePartner(e.value("partner", "")).value_or(Partner::kWoman),
                         e.value("item", ""), e.value("value", "")});
  }
}

constexpr const char* kColumns =
    "c.id, c.person_id, c.man_person_id, c.man_name, c.man_examined, c.check_date, "
    "c.clinic_code, c.items, c.results, c.risk_factors, c.risk, c.risk_reasons, c.advice, "
    "c.planned_pregnancy_on, c.recorded_at, c.recorded_by, c.version, w.name, m.name, "
    "m.residence_path";

CheckRow ReadCheck(const soci::row& r, const auth::Scope& scope) {
  CheckRow row;
  StoredCheck& c = row.check;
  c.id = r.get<std::string>(0);
  c.person_id = r.get<std::string>(1);
  c.man_person_id = Text(r, 2);
  c.man_name = Text(r, 3);
  c.record.man_examined = RowInt64(r, 4) != 0;
  c.check_date = ParseDate(r.get<std::string>(5)).value_or(Date{});
  c.clinic_code = r.get<std::string>(6);
  ReadRecordColumns(r.get<std::string>(7), r.get<std::string>(8), c.record);
  c.record.risk_factors = SplitCodes(Text(r, 9));
  c.risk = ParseRiskGroup(r.get<std::string>(10)).value_or(RiskGroup::kGeneral);
  c.risk_reasons = SplitCodes(Text(r, 11));
  c.advice = Text(r, 12);
  if (auto d = Text(r, 13); !d.empty()) c.planned_pregnancy_on = ParseDate(d);
  c.recorded_at = r.get<std::string>(14);
  c.recorded_by = r.get<std::string>(15);
  c.version = static_cast<int>(RowInt64(r, 16));
  row.woman_name = Text(r, 17);
  if (!c.man_person_id.empty() && scope.Covers(Text(r, 19))) row.registered_man_name = Text(r, 18);
  return row;
}

// Findings are JSON text as the items of a pre-pregnancy check are.
std::string FindingsJson(const PremaritalRecord& r) {
  json out = json::array();
  for (const auto& f : r.findings) {
    out.push_back({{"category", f.category},
                   {"state", f.state},
                   {"disease", f.disease},
                   {"diagnosis", f.diagnosis}});
  }
  return out.dump();
}

std::vector<PremaritalFinding> ReadFindings(const std::string& text) {
  std::vector<PremaritalFinding> out;
  json j = json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& e : j) {
    if (!e.is_object()) continue;
    out.push_back({e.value("category", ""), e.value("state", ""), e.value("disease", ""),
                   e.value("diagnosis", "")});
  }
  return out;
}

}  // namespace

void PreconceptionStore::InsertCheck(soci::session& s, const StoredCheck& c) {
  std::string man_id = c.man_person_id, items = ItemsJson(c.record),
              results = ResultsJson(c.record), factors = JoinCodes(c.record.risk_factors),
              risk(RiskGroupCode(c.risk)), reasons = JoinCodes(c.risk_reasons),
              date = FormatDate(c.check_date),
              planned = c.planned_pregnancy_on ? FormatDate(*c.planned_pregnancy_on) : "";
  int examined = c.record.man_examined ? 1 : 0;
  soci::indicator i_man = storage::NullIfEmpty(man_id), i_planned = storage::NullIfEmpty(planned);
  s << "INSERT INTO preconception_checks(id, person_id, man_person_id, man_name, man_examined, "
       "check_date, clinic_code, items, results, risk_factors, risk, risk_reasons, advice, "
       "planned_pregnancy_on, recorded_at, recorded_by, version) VALUES (:id, :p, :m, :mn, :me, "
       ":d, :c, :i, :r, :f, :risk, :reasons, :a, :pl, :ra, :rb, :v)",
      soci::use(c.id), soci::use(c.person_id), soci::use(man_id, i_man), soci::use(c.man_name),
      soci::use(examined), soci::use(date), soci::use(c.clinic_code), soci::use(items),
      soci::use(results), soci::use(factors), soci::use(risk), soci::use(reasons),
      soci::use(c.advice), soci::use(planned, i_planned), soci::use(c.recorded_at),
      soci::use(c.recorded_by), soci::use(c.version);
}

std::vector<CheckRow> PreconceptionStore::ChecksOfPerson(soci::session& s, const auth::Scope& scope,
                                                         const std::string& person_id) {
  const auth::PathRange range = scope.Range();
  std::vector<CheckRow> out;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kColumns +
                        " FROM preconception_checks c JOIN persons w ON w.id = c.person_id "
                        "LEFT JOIN persons m ON m.id = c.man_person_id "
                        "WHERE (c.person_id = :p OR c.man_person_id = :p2) AND "
                        "w.residence_path >= :lo AND w.residence_path < :hi "
                        "ORDER BY c.check_date DESC, c.id",
       soci::use(person_id), soci::use(person_id), soci::use(range.lo), soci::use(range.hi));
  for (const auto& r : rows) out.push_back(ReadCheck(r, scope));
  return out;
}

void PreconceptionStore::InsertSupply(soci::session& s, const StoredSupply& supply) {
  std::string date = FormatDate(supply.supplied_on);
  s << "INSERT INTO folic_acid_supplies(id, person_id, supplied_on, quantity_days, clinic_code, "
       "recorded_at, recorded_by) VALUES (:id, :p, :d, :q, :c, :ra, :rb)",
      soci::use(supply.id), soci::use(supply.person_id), soci::use(date),
      soci::use(supply.quantity_days), soci::use(supply.clinic_code), soci::use(supply.recorded_at),
      soci::use(supply.recorded_by);
}

std::vector<StoredSupply> PreconceptionStore::Supplies(soci::session& s, const auth::Scope& scope,
                                                       const std::string& person_id) {
  const auth::PathRange range = scope.Range();
  std::vector<StoredSupply> out;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT f.id, f.person_id, f.supplied_on, f.quantity_days, f.clinic_code, "
                    "f.recorded_at, f.recorded_by FROM folic_acid_supplies f JOIN persons p ON "
                    "p.id = f.person_id WHERE f.person_id = :p AND p.residence_path >= :lo AND "
                    "p.residence_path < :hi ORDER BY f.supplied_on, f.id",
       soci::use(person_id), soci::use(range.lo), soci::use(range.hi));
  for (const auto& r : rows) {
    StoredSupply f;
    f.id = r.get<std::string>(0);
    f.person_id = r.get<std::string>(1);
    f.supplied_on = ParseDate(r.get<std::string>(2)).value_or(Date{});
    f.quantity_days = static_cast<int>(RowInt64(r, 3));
    f.clinic_code = r.get<std::string>(4);
    f.recorded_at = r.get<std::string>(5);
    f.recorded_by = r.get<std::string>(6);
    out.push_back(std::move(f));
  }
  return out;
}

void PreconceptionStore::InsertPremarital(soci::session& s, const StoredPremarital& c) {
  std::string partner = c.partner_person_id, findings = FindingsJson(c.record),
              date = FormatDate(c.check_date);
  int relatives = c.record.close_relatives ? 1 : 0;
  soci::indicator i_partner = storage::NullIfEmpty(partner);
  s << "INSERT INTO premarital_checks(id, person_id, partner_person_id, partner_name, check_date, "
       "clinic_code, findings, close_relatives, opinion, advice, recorded_at, recorded_by, "
       "version) VALUES (:id, :p, :pp, :pn, :d, :c, :f, :cr, :o, :a, :ra, :rb, :v)",
      soci::use(c.id), soci::use(c.person_id), soci::use(partner, i_partner),
      soci::use(c.partner_name), soci::use(date), soci::use(c.clinic_code), soci::use(findings),
      soci::use(relatives), soci::use(c.record.opinion), soci::use(c.advice),
      soci::use(c.recorded_at), soci::use(c.recorded_by), soci::use(c.version);
}

std::vector<PremaritalRow> PreconceptionStore::PremaritalOfPerson(soci::session& s,
                                                                  const auth::Scope& scope,
                                                                  const std::string& person_id) {
  const auth::PathRange range = scope.Range();
  std::vector<PremaritalRow> out;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT c.id, c.person_id, c.partner_person_id, c.partner_name, c.check_date, "
                    "c.clinic_code, c.findings, c.close_relatives, c.opinion, c.advice, "
                    "c.recorded_at, c.recorded_by, c.version, p.name, m.name, m.residence_path "
                    "FROM premarital_checks c JOIN persons p ON p.id = c.person_id "
                    "LEFT JOIN persons m ON m.id = c.partner_person_id "
                    "WHERE c.person_id = :p AND p.residence_path >= :lo AND "
                    "p.residence_path < :hi ORDER BY c.check_date DESC, c.id",
       soci::use(person_id), soci::use(range.lo), soci::use(range.hi));
  for (const auto& r : rows) {
    PremaritalRow row;
    StoredPremarital& c = row.check;
    c.id = r.get<std::string>(0);
    c.person_id = r.get<std::string>(1);
    c.partner_person_id = Text(r, 2);
    c.partner_name = Text(r, 3);
    c.check_date = ParseDate(r.get<std::string>(4)).value_or(Date{});
    c.clinic_code = r.get<std::string>(5);
    c.record.findings = ReadFindings(r.get<std::string>(6));
    c.record.close_relatives = RowInt64(r, 7) != 0;
    c.record.opinion = r.get<std::string>(8);
    c.advice = Text(r, 9);
    c.recorded_at = r.get<std::string>(10);
    c.recorded_by = r.get<std::string>(11);
    c.version = static_cast<int>(RowInt64(r, 12));
    row.person_name = Text(r, 13);
    if (!c.partner_person_id.empty() && scope.Covers(Text(r, 15))) {
      row.registered_partner_name = Text(r, 14);
    }
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace jd::preconception
