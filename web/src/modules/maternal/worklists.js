// The centre's maternal worklists, read the same way by the home-page cards and by the pages they
// open, so that a card's count is the number of rows its page shows. The server sends at most
// LIMIT rows (its largest page): a list that reaches it says so. The cards ask for the count alone
// (count_only: no names leave the server and no audit row is written).
export const LIMIT = 1000;
export const OPEN_STATUSES = ['due', 'overdue', 'upcoming'];

/** The women whose next contact opens by `dueBy`, optionally only those whose next contact has one of `statuses`. */
export async function dueList(api, dueBy, statuses = []) {
  const page = await api.get('/maternal/due', { due_by: dueBy, limit: LIMIT });
  const items = page.items || [];
  return { ...page, truncated: items.length >= LIMIT, items: statuses.length ? items.filter((i) => statuses.includes(i.next_contact?.status)) : items };
}

/** The high-risk register: open pregnancies graded orange or red, or with a coexisting colour (purple). */
export async function highRiskList(api) {
  const page = await api.get('/maternal/high-risk', { limit: LIMIT });
  return { ...page, truncated: (page.items || []).length >= LIMIT, items: page.items || [] };
}

/** How many women the due list shows for `dueBy` (next contact open by then: due or overdue on today). */
export async function dueCount(api, dueBy) {
  const page = await api.get('/maternal/due', { due_by: dueBy, limit: LIMIT, count_only: true });
  return page.total ?? 0;
}

/** How many women the high-risk register shows. */
export async function highRiskCount(api) {
  const page = await api.get('/maternal/high-risk', { limit: LIMIT, count_only: true });
  return page.total ?? 0;
}
