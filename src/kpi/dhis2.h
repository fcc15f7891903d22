// File: kpi/dhis2.h
// The aggregate exchange with a DHIS2 instance (a province's or a partner's): the engine's values
// (kpi/model.h) as a DHIS2 `dataValueSets` JSON document or as an ADX message (IHE QRPH ADX, the
// form DHIS2 reads at the same /api/dataValueSets endpoint as application/adx+xml). Pure functions:
// the caller posts the text. data/kpi/schema/dataValueSets.schema.json is the JSON Schema of what
// WriteDataValueSets produces.
//
// What is sent. A DHIS2 data element holds raw numbers that DHIS2 adds up the org-unit tree and
// over periods; a DHIS2 *indicator* is a formula over data elements. A rate or a mean sent as a
// value would be summed into nonsense at the province, so:
//   - a count (IndicatorKind::kCount) is one data value: the count, default category option combo
//     (the field is left out);
//   - a rate or a mean (kRate, kMeanDays) is two data values of the same data element, its
//     numerator and its denominator, told apart by the category option combo. The receiving
//     instance gives these data elements a category combo of one category (code `JD_PART` by
//     default) with two options coded `JD_NUM` (numerator) and `JD_DEN` (denominator), and gives
//     the two category option combos DHIS2 generates from them the same codes (the defaults of
//     Dhis2Options); a DHIS2 indicator over the two (× 100 for a percentage) then gives the rate
//     at every level. A rate whose denominator is 0 is sent as 0 and 0: the zero is a fact.
// The rate itself, the target and the met flag are not sent: the receiver computes the first and
// holds its own targets.
//
// Identifiers. Data elements by the catalogue's `dhis2_uid` (11 characters); org units by their
// code (GB/T 2260 and the statistical codes, `orgUnitIdScheme=CODE`), since a receiving instance
// holds the national division codes as its org units' codes; category option combos by code. The
// JSON document states its id schemes in the payload ("dataElementIdScheme": "UID",
// "orgUnitIdScheme": "CODE", "categoryOptionComboIdScheme": "CODE"), which DHIS2 prefers over the
// query string. ADX identifies everything by code by default and the message has no place for
// schemes, so an ADX message is posted with `?dataElementIdScheme=UID` (org units, data set and
// the JD_PART category and its options by code). In ADX the numerator/denominator split is the
// ADX way, an attribute named after the category's code: <dataValue dataElement="…"
// JD_PART="JD_NUM" value="85"/>, so only the category and option codes need to match there.
//
// Periods in DHIS2 form: "202611", "2026Q4", "2026" in JSON; ADX takes an ISO 8601 start and
// duration: "2026-11-01/P1M", "2026-10-01/P3M", "2026-01-01/P1Y".
//
// WriteDataValueSets(values, indicators, options): the JSON text. Every data value carries its
//   own period and org unit (one document may hold several units); the top level also has the
//   period when all values share it, and the org unit when there is only one.
// WriteAdx(values, indicators, options, exported): the XML text, one <group> per org unit and
//   period (in the order first met), `exported` as the root's mandatory timestamp (UTC). ADX
//   needs a data set: options.data_set is required.
// Both fail with field errors (field "values" or "options") for a value of an indicator not in
//   `indicators`, an indicator whose UID is not 11 characters (a letter, then letters or digits),
//   an org unit that is not a code of 6, 9 or 12 digits, a number that is not finite, two values
//   of one indicator for one unit and period (the receiver would keep only the last), or codes in
//   the options that cannot serve (ADX: not an XML name for the category).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "kpi/model.h"

namespace jd::kpi {

struct Dhis2Options {
  // The data set: its UID in JSON (optional there), its code in ADX (required there).
  std::string data_set;
  std::string numerator_combo = "JD_NUM";    // category option combo / option code
  std::string denominator_combo = "JD_DEN";  //   of the numerator and the denominator
  std::string part_category = "JD_PART";     // ADX: the category's code (an XML attribute name)
};

// "2026-11-01/P1M", "2026-10-01/P3M", "2026-01-01/P1Y".
std::string AdxPeriod(const Period& p);
// A number as DHIS2 reads it: "85", "12.5", "-3"; shortest text that reads back the same.
std::string Dhis2Number(double x);
// Text made safe inside a double-quoted XML attribute (or element content): & < > " ' escaped,
// tab, line feed and carriage return as character references so that attribute normalisation
// keeps them, and characters XML 1.0 cannot hold (other C0 controls, invalid UTF-8) dropped.
std::string XmlEscape(std::string_view text);

Result<std::string> WriteDataValueSets(const std::vector<IndicatorValue>& values,
                                       const std::vector<Indicator>& indicators,
                                       const Dhis2Options& options = {});

// ReadDataValueSets(text, indicators, options): a document WriteDataValueSets wrote (a city
//   node's monthly report, received by the pilot-wide aggregator), back as values: one per
//   indicator, org unit and period, a count from its value, a rate or a mean from its numerator
//   and denominator (value = numerator ÷ denominator, null when the denominator is 0; target and
//   met from `indicators`). Data elements not in `indicators` are skipped (a node of a newer
//   version may report more). Field errors "dataValues[i]" for a value that is not a finite
//   number, a period or org unit that cannot be read, an unknown category option combo, a rate
//   without its denominator or numerator, or a part given twice; "" for text that is not such a
//   document.
Result<std::vector<IndicatorValue>> ReadDataValueSets(std::string_view text,
                                                      const std::vector<Indicator>& indicators,
                                                      const Dhis2Options& options = {});

Result<std::string> WriteAdx(const std::vector<IndicatorValue>& values,
                             const std::vector<Indicator>& indicators, const Dhis2Options& options,
                             std::chrono::system_clock::time_point exported);

}  // namespace jd::kpi
