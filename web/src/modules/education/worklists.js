// The points of the caller's area measured against the norms for a year, read the same way by the
// home-page card and the page it opens, so that the card's count is the number of rows the page
// shows (behind: only the points with a shortfall due by today).
export async function normsList(api, year, behind) {
  const page = await api.get('/education/norms', { year, behind: behind ? 'true' : undefined });
  return { ...page, points: page.points || [] };
}

/** How many points the norms page shows with the behind filter for `year`. */
export async function behindCount(api, year) {
  const page = await normsList(api, year, true);
  return page.points.length;
}
