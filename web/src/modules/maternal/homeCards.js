import { todayInChina } from '../../utils/format.js';
import { ownClinic } from '../immunization/clinic.js';
import { dueCount, highRiskCount } from './worklists.js';
import { openReferralCount } from './referrals.js';

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

async function referralsOpen(api) {
  const value = await openReferralCount(api);
  return { value, to: { path: '/maternal/referrals', query: { state: 'open' } } };
}

export default [
  { key: 'maternal-due', titleKey: 'maternal.home.due', hintKey: 'maternal.home.dueHint', permission: 'person_read', visible: atClinic, count: dueToday },
  { key: 'maternal-high-risk', titleKey: 'maternal.home.highRisk', hintKey: 'maternal.home.highRiskHint', permission: 'person_read', visible: atClinic, tone: 'danger', count: highRisk },
  { key: 'maternal-referrals', titleKey: 'maternal.home.referrals', hintKey: 'maternal.home.referralsHint', permission: 'person_read', visible: atClinic, tone: 'danger', count: referralsOpen },
];
