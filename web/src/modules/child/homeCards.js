import { todayInChina } from '../../utils/format.js';
import { ownClinic } from '../immunization/clinic.js';
import { dueCount } from './worklists.js';

// The centre's child-health work on the home page, for a user at a clinic who records check-ups:
// the children whose next check-up is due or overdue today, the rows of the page the card opens.
// The count alone is asked for (count_only: no names leave the server, no audit row).
const atClinic = (session) => !!ownClinic(session) && session.can('maternal_care');

async function dueToday(api) {
  const day = todayInChina();
  const value = await dueCount(api, day);
  return { value, to: { path: '/child/due', query: { due_by: day } }, params: { day } };
}

export default [{ key: 'child-due', titleKey: 'child.home.due', hintKey: 'child.home.dueHint', permission: 'person_read', visible: atClinic, count: dueToday }];
