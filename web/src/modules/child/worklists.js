// The children with a check-up due, read the same way by the home-page card and the page it opens,
// so that the card's count is the number of rows the page shows.
export const LIMIT = 1000;

/** The children whose next open check-up opens by `dueBy`. */
export async function dueList(api, dueBy) {
  const page = await api.get('/child-checkups/due', { due_by: dueBy, limit: LIMIT });
  const items = page.items || [];
  return { ...page, items, truncated: items.length >= LIMIT };
}

/** How many children the due list shows for `dueBy`. */
export async function dueCount(api, dueBy) {
  const page = await api.get('/child-checkups/due', { due_by: dueBy, limit: LIMIT, count_only: true });
  return page.total ?? 0;
}
