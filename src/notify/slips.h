// File: notify/slips.h
// What clinic staff work from: the printable 通知单 of a clinic's day and the phone call list.
// Pure functions of the notices (with the child's name) and the clinic.
//
// SlipsHtml: one self-contained HTML page (inline CSS, no scripts, images or external resources)
//   with one slip per person and kind of reminder — 预防接种通知单 (the child's appointment
//   notices of that day together), 孕产妇检查通知单 (the woman's antenatal or postpartum contacts),
//   儿童健康检查通知单 (the child's check-ups) — laid out to print on A4 without a slip breaking
//   across pages. Every value is HTML-escaped.
// CallListJson / CallListCsv: one entry per phone notice with the full phone number (the list is
//   for dialling), its kind and what it is about; the CSV is UTF-8 with BOM and Chinese headers,
//   for Excel.
// NoticeSubject: what a notice is about, from its payload: the vaccines of an appointment, the
//   label of a schedule's contact.
// HtmlEscape: & < > " ' escaped.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "notify/notice_store.h"
#include "notify/planner.h"

namespace jd::notify {

std::string HtmlEscape(std::string_view text);

std::string NoticeSubject(const Notice& n);

std::string SlipsHtml(const ClinicInfo& clinic, const std::string& date,
                      const std::vector<NoticeRow>& slips);

nlohmann::json CallListJson(const std::vector<NoticeRow>& calls);
std::string CallListCsv(const std::vector<NoticeRow>& calls);

}  // namespace jd::notify
