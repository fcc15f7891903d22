// Dates are shown as YYYY-MM-DD in the user's local calendar; numbers shown in lists are masked.

function pad(n) {
  return String(n).padStart(2, '0');
}

/** A Date (or ISO string) as YYYY-MM-DD in local time; date-only strings pass through. */
export function ymd(value) {
  if (!value) return '';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A timestamp as YYYY-MM-DD HH:mm in local time. */
export function ymdhm(value) {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return `${ymd(d)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function today() {
  return ymd(new Date());
}

export function addDays(dateText, days) {
  const [y, m, d] = dateText.split('-').map(Number);
  return ymd(new Date(y, m - 1, d + days));
}

export function percent(value, digits = 1) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return `${(value * 100).toFixed(digits)}%`;
}

/** Whole months from birth to a date (as the server counts ages of children). */
export function ageMonths(birth, at = today()) {
  if (!birth) return null;
  const [by, bm, bd] = birth.split('-').map(Number);
  const [ay, am, ad] = at.split('-').map(Number);
  return (ay - by) * 12 + (am - bm) - (ad < bd ? 1 : 0);
}

/** Today's date in China (Asia/Shanghai), the clinics' working day, whatever this computer's zone. */
export function todayInChina(now = new Date()) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The Monday and the Sunday of the week holding a YYYY-MM-DD date. */
export function weekOf(dateText) {
  const [y, m, d] = dateText.split('-').map(Number);
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay(); // 0 = Sunday
  const monday = addDays(dateText, -((weekday + 6) % 7));
  return [monday, addDays(monday, 6)];
}
