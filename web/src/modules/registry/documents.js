// The size of the review queue. GET /documents?status=pending answers pages without a total, so
// the pages are read through, 200 at a time, up to `cap`; `more` says the queue is longer still.
export async function countPendingDocuments(api, cap = 2000) {
  const PAGE = 200;
  let n = 0;
  for (let page = 1; n < cap; page++) {
    const r = await api.get('/documents', { status: 'pending', page, page_size: PAGE });
    const got = (r.items || []).length;
    n += got;
    if (got < PAGE) return { n, more: false };
  }
  return { n, more: true };
}

/** The count as shown: "2000+" when the queue is longer than counted. */
export const countText = ({ n, more }) => (more ? `${n}+` : String(n));
