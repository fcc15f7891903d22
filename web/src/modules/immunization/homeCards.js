import { todayInChina, weekOf } from '../../utils/format.js';
import { ownClinic } from './clinic.js';

// The immunisation clinic's work on the home page. Each count is read from the list it links to,
// with the same filters, so the list opens showing exactly that many; count_only: the server sends
// the number alone (no child leaves it, no audit row for a glance at the home page).
const atClinic = (session) => !!ownClinic(session);

async function dueThisWeek(api, session, status) {
  const [from, to] = weekOf(todayInChina());
  const page = await api.get('/immunization/due', { clinic: ownClinic(session), from, to, status, count_only: 'true' });
  return { value: page.total, to: { path: '/immunization/due', query: { from, to, status } }, params: { from, to } };
}

async function appointmentsToday(api, session) {
  const day = todayInChina();
  const list = await api.get('/appointments', { clinic: ownClinic(session), from: day, to: day, count_only: 'true' });
  return { value: list.total, to: { path: '/immunization/due', query: { tab: 'appointments', from: day, to: day } }, params: { day } };
}

export default [
  { key: 'due-week', titleKey: 'immunization.home.dueWeek', hintKey: 'immunization.home.weekHint', permission: 'person_read', visible: atClinic, count: (api, session) => dueThisWeek(api, session, 'due,overdue') },
  { key: 'overdue-week', titleKey: 'immunization.home.overdue', hintKey: 'immunization.home.weekHint', permission: 'person_read', visible: atClinic, tone: 'danger', count: (api, session) => dueThisWeek(api, session, 'overdue') },
  { key: 'appointments-today', titleKey: 'immunization.home.appointmentsToday', hintKey: 'immunization.home.dayHint', permission: 'person_read', visible: atClinic, count: appointmentsToday },
];
