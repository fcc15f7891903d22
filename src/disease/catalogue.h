// File: disease/catalogue.h
// The notifiable infectious diseases (法定传染病) as data (data/disease/catalogue.json): class
// (甲/乙/丙), whether a Class B disease is managed as Class A (乙类甲管), the reporting time limit
// and the early-warning method of each, versioned by the date each revision of the lists took
// effect (2020-01-20 COVID-19 乙类甲管, 2023-01-08 乙类乙管, 2023-09-20 mpox, 2025-09-01 the
// revised 传染病防治法). Sources: data/disease/SOURCE.md.
//
// DiseaseCatalogue::Parse(json_text): the catalogue, or Status::Invalid naming the first bad entry
//   (unknown class or method, bad date, a percentile outside 1–99, a duplicate code). Never throws.
// DiseaseCatalogue::Builtin(): the embedded catalogue (parsed once; a bad embedded file is a bug).
// ListedOn(as_of): the diseases notifiable on that date, with their class and limit on that date,
//   in catalogue order; Status::Invalid before the first revision (2020-01-20).
// Find(code, as_of): one disease on that date; Status::NotFound when the code is unknown or the
//   disease is not notifiable on that date.
// Thread-safe after construction.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "core/status.h"

namespace jd::disease {

enum class DiseaseClass { kA, kB, kC };
enum class DetectionMethod { kFixedThreshold, kMovingPercentile, kNone };

std::string_view DiseaseClassName(DiseaseClass c);  // "A", "B", "C"

struct Listing {
  Date from{};
  std::optional<Date> to;  // exclusive
  DiseaseClass disease_class = DiseaseClass::kB;
  bool managed_as_a = false;
};

struct DiseaseEntry {
  std::string code, name_zh, name_en;
  std::vector<Listing> listed;
  DetectionMethod detection = DetectionMethod::kNone;
  int percentile = 0;  // for kMovingPercentile
  // A form of the disease under Class A measures (e.g. 肺炭疽), reported within 2 hours.
  std::string class_a_measures_form;
  std::vector<std::string> unconfirmed;
};

// One disease as it stands on a date.
struct NotifiableDisease {
  const DiseaseEntry* entry = nullptr;
  DiseaseClass disease_class = DiseaseClass::kB;
  bool managed_as_a = false;
  int report_limit_hours = 24;  // 2 for Class A and managed as Class A
};

struct Revision {
  Date effective{};
  std::string what_zh, what_en, source;
};

class DiseaseCatalogue {
 public:
  static Result<DiseaseCatalogue> Parse(std::string_view json_text);
  static const DiseaseCatalogue& Builtin();

  Result<std::vector<NotifiableDisease>> ListedOn(Date as_of) const;
  Result<NotifiableDisease> Find(std::string_view code, Date as_of) const;
  const std::vector<DiseaseEntry>& entries() const { return entries_; }
  const std::vector<Revision>& revisions() const { return revisions_; }

 private:
  std::optional<NotifiableDisease> On(const DiseaseEntry& e, Date as_of) const;

  std::vector<DiseaseEntry> entries_;
  std::vector<Revision> revisions_;
  int limit_class_a_ = 2, limit_other_ = 24;
};

}  // namespace jd::disease
