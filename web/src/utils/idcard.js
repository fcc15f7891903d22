// 公民身份号码 (GB 11643-1999): 6-digit division, 8-digit birth date, 3-digit sequence (odd: male),
// and a check character from ISO 7064 MOD 11-2. Checked while typing; the server checks again.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function checkCharacter(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/**
 * Returns { ok: true, birthDate, sex } or { ok: false, reason } where reason is one of
 * 'length', 'format', 'birth_date', 'check_digit'.
 */
export function parseResidentId(raw) {
  const id = (raw || '').trim().toUpperCase();
  if (id.length !== 18) return { ok: false, reason: 'length' };
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, reason: 'format' };
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(y, m - 1, d);
  if (y < 1900 || date.getFullYear() !== y || date.getMonth() !== m - 1 || date.getDate() !== d || date > new Date()) {
    return { ok: false, reason: 'birth_date' };
  }
  if (checkCharacter(id) !== id[17]) return { ok: false, reason: 'check_digit', expected: checkCharacter(id) };
  return {
    ok: true,
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    sex: Number(id[16]) % 2 === 1 ? 'M' : 'F',
  };
}
