import { todayInChina } from '../../utils/format.js';
import { behindCount } from './worklists.js';

// The centre's health-education work on the home page: its points with a shortfall due by today
// this year, the rows of the norms page the card opens (filtered to them).
const records = (session) => session.can('education_write');

async function behind(api) {
  const year = Number(todayInChina().slice(0, 4));
  const value = await behindCount(api, year);
  return { value, to: { path: '/education/norms', query: { year: String(year), behind: 'true' } }, params: { year } };
}

export default [{ key: 'education-behind', titleKey: 'education.home.behind', hintKey: 'education.home.behindHint', permission: 'org_read', visible: records, count: behind }];
