// The signals list, read the same way by the home card and by the page it opens, so that the card's
// count is the number of rows the page shows.
export const SIGNAL_STATUSES = ['open', 'verified', 'excluded', 'event_opened'];
export const SIGNAL_KINDS = ['fixed_threshold', 'moving_percentile', 'ears_c1', 'ears_c2', 'ears_c3', 'work_site_cluster'];
export const EVENT_KINDS = ['cluster', 'outbreak'];

export async function signalList(api, { status = 'open', district = '', disease = '' } = {}) {
  const page = await api.get('/disease/signals', { status, district, disease, limit: 1000 });
  return { ...page, items: page.items || [] };
}

/** Open signals of the caller's area and how many of them are past their verification limit. */
export async function openSignalCount(api) {
  const s = await api.get('/disease/signals/summary');
  return { open: s.open ?? 0, overdue: s.overdue ?? 0 };
}

// The card's 人群分类 (传染病报告卡 2015), stored as written on the card.
export const OCCUPATIONS = ['幼托儿童', '散居儿童', '学生', '教师', '保育员及保姆', '餐饮食品业', '商业服务', '医务人员', '工人', '民工', '农民', '牧民', '渔(船)民', '干部职员', '离退人员', '家务及待业', '其他', '不详'];
export const CASE_CLASSES = ['confirmed', 'clinical', 'suspected', 'carrier'];
export const BELONGS = ['this_county', 'other_county', 'other_city', 'other_province', 'hmt', 'foreign'];
export const SITE_KINDS = ['', 'construction_site', 'factory', 'market', 'dormitory', 'other'];
export const TIME_FORMAT = 'YYYY-MM-DDTHH:mm';
// 病毒性肝炎 by type (甲/乙/丙/丁/戊/未分型) and 炭疽 by form, as the card has them.
export const SUBTYPES = { viral_hepatitis: ['a', 'b', 'c', 'd', 'e', 'unclassified'], anthrax: ['pulmonary', 'cutaneous', 'unclassified'] };

/** Now in Asia/Shanghai as "YYYY-MM-DDTHH:mm", the form's time format. */
export function nowInChina(now = new Date()) {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 16);
}

/** A server time shown in Asia/Shanghai as "YYYY-MM-DD HH:mm": a UTC timestamp ("…Z") converted, a local one as it is. */
export function chinaTime(v) {
  if (!v) return '—';
  if (!String(v).endsWith('Z')) return String(v).slice(0, 16).replace('T', ' ');
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  return new Date(d.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 16).replace('T', ' ');
}
