// Referrals and the green channel (转诊与危重急救绿色通道), read the same way by the home-page card
// and by the page it opens. Times travel as Beijing wall-clock time "YYYY-MM-DDTHH:mm" (the server
// reads them as UTC+8), so the pickers use that format whatever the browser's time zone.
export const LIMIT = 1000;
export const TIME_FORMAT = 'YYYY-MM-DDTHH:mm';
export const KINDS = ['green_channel', 'high_risk'];
export const OUTCOMES = ['managed', 'returned', 'declined', 'lost', 'died'];
export const CONTINUATIONS = ['continue', 'termination_advised'];
export const STAGE_TAG = { called: 'danger', in_transfer: 'warning', admitted: 'primary', closed: 'info' };

/** The jurisdiction's referrals: `state` "open" (default) or "all", optionally one kind. */
export async function referralList(api, { state = 'open', kind = '' } = {}) {
  const page = await api.get('/referrals', { state, kind: kind || undefined, limit: LIMIT });
  return { ...page, truncated: (page.items || []).length >= LIMIT, items: page.items || [] };
}

/** How many referrals are open (the number only: no names leave the server, no audit row). */
export async function openReferralCount(api) {
  const page = await api.get('/referrals', { state: 'open', limit: LIMIT, count_only: true });
  return page.total ?? 0;
}

/** "1小时5分" / "1 h 5 min" for a number of minutes; "—" when none. */
export function minutesText(t, m) {
  if (m === null || m === undefined) return '—';
  const h = Math.floor(m / 60);
  return h ? t('maternal.referral.hoursMinutes', { h, m: m % 60 }) : t('maternal.referral.minutes', { m });
}

/** "2026-12-06 14:05" from the server's "2026-12-06T14:05+08:00". */
export function timeText(v) {
  return v ? v.slice(0, 16).replace('T', ' ') : '—';
}

/** The current Beijing wall-clock time in TIME_FORMAT. */
export function nowInChina() {
  const d = new Date(Date.now() + 8 * 3600 * 1000);
  return d.toISOString().slice(0, 16);
}
