// The size of the review queue in the user's jurisdiction: the server counts it
// (GET /documents?status=pending&count_only=true answers the total alone).
export async function countPendingDocuments(api) {
  const r = await api.get('/documents', { status: 'pending', count_only: 'true' });
  return r.total;
}
