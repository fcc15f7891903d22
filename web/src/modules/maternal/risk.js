// The risk colour of a pregnancy (妊娠风险五色分级) as the server grades it (src/maternal/risk.h),
// from the catalogue kept as data (riskCatalogue.json): for a preview in the forms while the
// conditions are ticked, and for grouping the conditions by colour. The server grades again when
// the form is saved. Pure functions of the catalogue, no Vue (the e2e runner checks them against
// the server's worked cases, tests/data/maternal/risk.json).
//
// - The colour is the highest-ranked colour of the conditions (green with none); a coexisting
//   colour (purple, 传染病) is reported beside it, never instead of it.
// - Conditions are the ticked codes and those the catalogue derives from the age in completed
//   years, the BMI (to 0.1), Hb (g/L), platelets (10⁹/L) and positive HIV, syphilis, HBsAg tests.
// - A colour the clinician states is kept when it is in the set, not coexisting and not below the
//   conditions' colour.

/** Age in completed years on `on` (a birthday on 29 February counts from 28 February). */
export function ageInYears(birth, on) {
  if (!birth || !on) return null;
  const [by, bm, bd] = birth.split('-').map(Number);
  const [oy, om, od] = on.split('-').map(Number);
  let age = oy - by;
  const lastDay = new Date(Date.UTC(oy, bm, 0)).getUTCDate(); // of the birthday's month this year
  const birthday = [bm, Math.min(bd, lastDay)];
  if (om < birthday[0] || (om === birthday[0] && od < birthday[1])) age -= 1;
  return age;
}

/** BMI to 0.1 from height (cm) and weight (kg), as the server records it; null without both. */
export function bmiOf(heightCm, weightKg) {
  const h = Number(heightCm);
  const w = Number(weightKg);
  if (!heightCm || !weightKg || !(h > 0) || !(w > 0)) return null;
  return Math.round((w / (h / 100) ** 2) * 10) / 10;
}

const MEASURES = { age_years: 'age_years', bmi: 'bmi', hb: 'haemoglobin_g_l', platelets: 'platelets_10e9_l' };
const TESTS = { hiv: 'hiv_positive', syphilis: 'syphilis_positive', hbsag: 'hbsag_positive' };

function holds(clause, facts) {
  if (clause.test) return !!facts[TESTS[clause.test]];
  const v = facts[MEASURES[clause.measure]];
  if (v === null || v === undefined || v === '') return false;
  if (clause.min !== undefined && v < clause.min) return false;
  if (clause.max !== undefined && v > clause.max) return false;
  if (clause.above !== undefined && v <= clause.above) return false;
  if (clause.below !== undefined && v >= clause.below) return false;
  return true;
}

export const colourOf = (catalogue, code) => catalogue.colours.find((c) => c.code === code);
export const conditionOf = (catalogue, code) => catalogue.conditions.find((c) => c.code === code);

/** A colour's name with its meaning, in Chinese ("橙色（较高风险）") or English ("orange (higher risk)"). */
export function colourName(colour, locale) {
  return locale === 'en' ? `${colour.code} (${colour.meaning_en})` : `${colour.zh}（${colour.meaning_zh}）`;
}

/** Whether a condition is infection data (a coexisting colour's: purple, P1–P6). */
export function isInfectionCode(catalogue, code) {
  const condition = conditionOf(catalogue, code);
  return !!condition && !!colourOf(catalogue, condition.colour)?.coexisting;
}

/** Whether a condition is derived from a test result (HBsAg → Y2.3, syphilis → P2, HIV → P3). */
export function isTestCode(catalogue, code) {
  return !!conditionOf(catalogue, code)?.when?.some((w) => w.test);
}

/**
 * Grades `facts` ({ age_years, bmi, haemoglobin_g_l, platelets_10e9_l, hiv_positive,
 * syphilis_positive, hbsag_positive, ticked: [codes], colour }): { colour, coexisting,
 * conditions: [{ code, colour, derived }], requires: [codes], high_risk, errors: [{ field, code }] }.
 */
export function assess(catalogue, facts) {
  const errors = [];
  const conditions = [];
  const seen = new Set();
  for (const code of facts.ticked || []) {
    const c = conditionOf(catalogue, code);
    if (!c) errors.push({ field: 'conditions', code: 'unknown_condition' });
    else if (!seen.has(code)) {
      seen.add(code);
      conditions.push({ code, colour: c.colour, derived: false });
    }
  }
  for (const c of catalogue.conditions) {
    if (!seen.has(c.code) && (c.when || []).some((w) => holds(w, facts))) {
      seen.add(c.code);
      conditions.push({ code: c.code, colour: c.colour, derived: true });
    }
  }
  let ranked = catalogue.colours.find((c) => !c.coexisting && c.rank === 0);
  const coexisting = [];
  for (const m of conditions) {
    const colour = colourOf(catalogue, m.colour);
    if (colour.coexisting) {
      if (!coexisting.includes(colour)) coexisting.push(colour);
    } else if (colour.rank > ranked.rank) ranked = colour;
  }
  if (facts.colour) {
    const stated = colourOf(catalogue, facts.colour);
    if (!stated) errors.push({ field: 'colour', code: 'unknown_colour' });
    else if (stated.coexisting) errors.push({ field: 'colour', code: 'colour_not_rankable' });
    else if (stated.rank < ranked.rank) errors.push({ field: 'colour', code: 'colour_below_conditions' });
    else ranked = stated;
  }
  const requires = [];
  for (const c of [ranked, ...coexisting]) for (const r of c.requires) if (!requires.includes(r)) requires.push(r);
  return {
    colour: ranked.code,
    coexisting: coexisting.map((c) => c.code),
    conditions,
    requires,
    high_risk: ranked.requires.includes('referral_designated_hospital'),
    errors,
  };
}

/** The conditions grouped by colour, in the colours' order (infection data only when allowed). */
export function conditionGroups(catalogue, { infections }) {
  return catalogue.colours
    .filter((colour) => infections || !colour.coexisting)
    .map((colour) => ({ colour, conditions: catalogue.conditions.filter((c) => c.colour === colour.code) }))
    .filter((g) => g.conditions.length);
}
