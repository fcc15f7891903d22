import { api } from '../../api/client.js';

// GB/T 2260 divisions and GB/T 3304 ethnicities from the server (GET /divisions, /ethnicities),
// asked for as the pickers need them and kept for the session: the whole table never ships in the
// app's bundle.
const children = new Map();
const resolved = new Map();
let ethnicities = null;

/** The divisions directly under `parent` ('' → the provinces). */
export function divisionChildren(parent = '') {
  if (!children.has(parent)) {
    const q = parent ? `?parent=${parent}` : '';
    children.set(parent, api.get(`/divisions${q}`).then((r) => r.items || []).catch((e) => {
      children.delete(parent);
      throw e;
    }));
  }
  return children.get(parent);
}

/** Current divisions whose name contains `q`, whose pinyin initials start with it, or whose code does. */
export async function searchDivisions(q) {
  const text = (q || '').trim();
  if (!text) return [];
  const r = await api.get(`/divisions?q=${encodeURIComponent(text.slice(0, 20))}&limit=20`);
  return r.items || [];
}

/** One code with its name (in `year`, for an old ID) and, when it is no longer in use, its successors. */
export function resolveDivision(code, year) {
  if (!/^\d{6}$/.test(code || '')) return Promise.resolve(null);
  const key = `${code}:${year || ''}`;
  if (!resolved.has(key)) {
    resolved.set(key, api.get(`/divisions/${code}${year ? `?year=${year}` : ''}`).catch(() => {
      resolved.delete(key);
      return null;
    }));
  }
  return resolved.get(key);
}

/** The GB/T 3304 table: [{ code, name_zh, name_en, initials }]. */
export function loadEthnicities() {
  if (!ethnicities) {
    ethnicities = api.get('/ethnicities').then((r) => r.items || []).catch((e) => {
      ethnicities = null;
      throw e;
    });
  }
  return ethnicities;
}

/** Whether a typed text finds a name: any part of it, its pinyin initials' start, or its code's start. */
export function matchesName(text, { name, initials, code }) {
  const q = (text || '').trim().toLowerCase();
  if (!q) return true;
  return (name || '').includes(q) || (initials || '').startsWith(q) || (code || '').startsWith(q);
}
