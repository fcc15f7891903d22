// Dating a pregnancy in the browser by the server's rules (src/maternal/pregnancy.h), so that the
// registration form shows the EDD and the gestational week while they are typed; the server dates
// the pregnancy again when it is saved. Pure functions on YYYY-MM-DD texts, no Vue (the e2e runner
// checks them against the server's worked cases, tests/data/maternal/dating.json).
//
// - EDD by the hand rule of the 母子健康手册 (《妇产科学》第9版: 月份减3或加9，日数加7): the month
//   moves 9 forward (or 3 back and the year 1 on), then the day 7 forward, counted from the 1st
//   of the target month, so a day past the month's end runs into the next month; or the LMP plus
//   exactly 280 days (edd_rule plus_280_days).
// - Gestational age from the LMP: the days since the LMP as weeks+days ("12+6").
// - An early ultrasound (before 14+0): EDD = scan date + 280 − the gestational age at the scan (or
//   the EDD its report states), and the gestational age then follows the EDD (280 − days to EDD).

const DAY_MS = 86400000;
export const TERM_DAYS = 280;
export const EARLY_REGISTRATION_DAYS = 91; // 13+0: 早孕建册 is before
const LATEST_DATING_SCAN_DAYS = 98; // 14+0: a dating scan is before
const MAX_GESTATION_DAYS = 45 * 7;
const MAX_ULTRASOUND_SHIFT_DAYS = 42;

/** A YYYY-MM-DD text as a count of days, or null when it is no real date. */
export function dayNumber(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || '');
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.getTime() / DAY_MS;
}

export function fromDayNumber(n) {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(text, days) {
  return fromDayNumber(dayNumber(text) + days);
}

export function daysBetween(from, to) {
  return dayNumber(to) - dayNumber(from);
}

/** "12+6" or "12" (weeks only) as days; null for anything else or a day part over 6. */
export function parseGa(text) {
  const m = /^(\d{1,2})(?:\+(\d{1,2}))?$/.exec(String(text ?? '').trim());
  if (!m) return null;
  const days = m[2] === undefined ? 0 : Number(m[2]);
  return days > 6 ? null : Number(m[1]) * 7 + days;
}

export function formatGa(days) {
  return days === null || days === undefined || days < 0 ? '' : `${Math.floor(days / 7)}+${days % 7}`;
}

export function eddFromLmp(lmp, rule = 'naegele') {
  if (rule === 'plus_280_days') return addDays(lmp, TERM_DAYS);
  const [y, m, d] = lmp.split('-').map(Number);
  const targetMonth = m <= 3 ? m + 9 : m - 3;
  const targetYear = m <= 3 ? y : y + 1;
  return fromDayNumber(Date.UTC(targetYear, targetMonth - 1, 1) / DAY_MS + d + 7 - 1);
}

export function eddFromUltrasound(scanDate, gaDays) {
  return addDays(scanDate, TERM_DAYS - gaDays);
}

/** The gestational age in days on `date` of a dating { lmp, edd, method }. */
export function gaOn(dating, date) {
  return dating.method === 'lmp' ? daysBetween(dating.lmp, date) : TERM_DAYS - daysBetween(date, dating.edd);
}

/**
 * Dates a pregnancy as the server does on `asOf` (the registration day): { edd, method, errors },
 * errors as [{ field, code }] with the server's fields and codes; edd is null while the LMP is
 * missing or any error stands. Empty inputs are absent.
 */
export function datePregnancy({ lmp, ultrasound_date: scanDate, ultrasound_ga: gaText, ultrasound_edd: statedEdd, edd_rule: rule }, asOf) {
  const errors = [];
  const add = (field, code) => errors.push({ field, code });
  const gaGiven = gaText !== undefined && gaText !== null && String(gaText).trim() !== '';
  const gaDays = gaGiven ? parseGa(gaText) : null;
  // The server reads the text before it dates anything.
  if (gaGiven && gaDays === null) add('ultrasound_ga', 'invalid_gestational_age');
  if (dayNumber(lmp) === null || errors.length) return { edd: null, method: null, errors };
  const lmpAge = daysBetween(lmp, asOf);
  if (lmpAge < 0) add('lmp', 'lmp_in_future');
  else if (lmpAge > MAX_GESTATION_DAYS) add('lmp', 'lmp_too_old');
  const out = { lmp, edd: eddFromLmp(lmp, rule || 'naegele'), method: 'lmp' };
  let ultrasoundEdd = null;
  const scanGiven = !!scanDate || gaGiven;
  if (scanGiven && statedEdd) {
    add('ultrasound_edd', 'ultrasound_ambiguous');
  } else if (scanGiven) {
    if (!scanDate || !gaGiven) {
      add(scanDate ? 'ultrasound_ga' : 'ultrasound_date', 'ultrasound_incomplete');
    } else if (daysBetween(lmp, scanDate) < 0 || daysBetween(scanDate, asOf) < 0) {
      add('ultrasound_date', 'ultrasound_date_out_of_range');
    } else if (gaDays >= LATEST_DATING_SCAN_DAYS) {
      add('ultrasound_ga', 'ultrasound_too_late');
    } else {
      ultrasoundEdd = eddFromUltrasound(scanDate, gaDays);
    }
  } else if (statedEdd) {
    if (daysBetween(lmp, statedEdd) <= 0) add('ultrasound_edd', 'edd_before_lmp');
    else ultrasoundEdd = statedEdd;
  }
  if (ultrasoundEdd) {
    if (Math.abs(daysBetween(out.edd, ultrasoundEdd)) > MAX_ULTRASOUND_SHIFT_DAYS) {
      add(statedEdd ? 'ultrasound_edd' : 'ultrasound_ga', 'edd_inconsistent');
    } else {
      out.edd = ultrasoundEdd;
      out.method = 'ultrasound';
    }
  }
  return errors.length ? { edd: null, method: null, errors } : { ...out, errors };
}
