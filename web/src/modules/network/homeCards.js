// For the users who read aggregates of a district or the whole city: the number of communities
// of their area outside the ten-minute circle, opening the map of that area whose ranked table
// lists exactly those communities (GET /network/areas/{code}/circle, a count of communities: no
// person leaves the server).
const aboveStreets = (session) => ['district', 'city'].includes(session.me?.org_level);

async function outsideCircle(api, session) {
  const area = session.me.org_code;
  const circle = await api.get(`/network/areas/${encodeURIComponent(area)}/circle`);
  return { value: (circle.outside || []).length, to: { path: '/network/map', query: { area } } };
}

export default [
  { key: 'network-outside', titleKey: 'network.home.outside', hintKey: 'network.home.outsideHint', permission: 'aggregate_read', visible: aboveStreets, tone: 'danger', count: outsideCircle },
];
