// A user whose unit is a street or a community (a 社区卫生服务中心 or 村卫生室) works at one
// clinic, their own unit: the due list and the appointments open on it. Users above (district,
// city) choose a clinic first.
export function ownClinic(session) {
  return ['street', 'community'].includes(session.me?.org_level) ? session.me.org_code : '';
}
