import { todayInChina } from '../../utils/format.js';
import { ownClinic } from '../immunization/clinic.js';
import { dueList, highRiskList } from './worklists.js';

// The centre's maternal work on the home page, for a user at a clinic (a street or community
// unit) who records maternal care. Each count is the rows of the page its card opens, read with
// the same filters.
const atClinic = (session) => !!ownClinic(session) && session.can('maternal_care');
const DUE_NOW = ['due', 'overdue'];

async function dueToday(api) {
  const day = todayInChina();
  const list = await dueList(api, day, DUE_NOW);
  return { value: list.items.length, to: { path: '/maternal/due', query: { due_by: day, status: DUE_NOW.join(',') } }, params: { day } };
}

async function highRisk(api) {
  const list = await highRiskList(api);
  return { value: list.items.length, to: { path: '/maternal/high-risk' } };
}

export default [
  { key: 'maternal-due', titleKey: 'maternal.home.due', hintKey: 'maternal.home.dueHint', permission: 'person_read', visible: atClinic, count: dueToday },
  { key: 'maternal-high-risk', titleKey: 'maternal.home.highRisk', hintKey: 'maternal.home.highRiskHint', permission: 'person_read', visible: atClinic, tone: 'danger', count: highRisk },
];
