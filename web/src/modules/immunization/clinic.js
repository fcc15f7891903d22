// A 社区卫生服务中心 or 村卫生室 user works at one clinic, their own unit: the due list and the
// appointments open on it. Users above (district, commission) choose a clinic first.
export function ownClinic(session) {
  return ['center', 'village'].includes(session.me?.role) ? session.me.org_code : '';
}
