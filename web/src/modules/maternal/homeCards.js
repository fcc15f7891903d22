import { todayInChina } from '../../utils/format.js';
import { ownClinic } from '../immunization/clinic.js';
import { dueCount, highRiskCount } from './worklists.js';

// The centre's maternal work on the home page, for a user at a clinic (a street or community
// unit) who records maternal care. Each count is the rows of the page its card opens, read with
// the same filters.
const atClinic = (session) => !!ownClinic(session) && session.can('maternal_care');
const DUE_NOW = ['due', 'overdue'];

// Due by today: a next contact whose window has opened and not closed, i.e. due or overdue.
async function dueToday(api) {
  const day = todayInChina();
  const value = await dueCount(api, day);
  return { value, to: { path: '/maternal/due', query: { due_by: day, status: DUE_NOW.join(',') } }, params: { day } };
}

async function highRisk(api) {
  const value = await highRiskCount(api);
  return { value, to: { path: '/maternal/high-risk' } };
}

export default [
  { key: 'maternal-due', titleKey: 'maternal.home.due', hintKey: 'maternal.home.dueHint', permission: 'person_read', visible: atClinic, count: dueToday },
  { key: 'maternal-high-risk', titleKey: 'maternal.home.highRisk', hintKey: 'maternal.home.highRiskHint', permission: 'person_read', visible: atClinic, tone: 'danger', count: highRisk },
];
