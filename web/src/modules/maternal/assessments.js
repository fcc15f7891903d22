import catalogue from './riskCatalogue.json';
import { conditionOf } from './risk.js';
import { emptyRisk } from './form.js';

/** The latest risk assessment of a pregnancy view (the server lists them oldest first). */
export function lastAssessment(pregnancy) {
  const list = pregnancy.assessments || [];
  return list[list.length - 1] || null;
}

/**
 * A risk input that starts from the last assessment: the conditions ticked then (not those the
 * server derived from measurements), and the positive tests its derived conditions show (HIV →
 * P3, syphilis → P2, HBsAg → Y2.3) for a user who may see them. A re-assessment replaces the
 * conditions of the last one, so they are carried forward unless unticked.
 */
export function lastAssessmentAsInput(pregnancy, { infections }) {
  const risk = emptyRisk();
  for (const c of lastAssessment(pregnancy)?.conditions || []) {
    if (!c.derived) {
      risk.conditions.push(c.code);
      continue;
    }
    for (const clause of conditionOf(catalogue, c.code)?.when || []) {
      if (clause.test && infections) risk[`${clause.test}_positive`] = true;
    }
  }
  return risk;
}
