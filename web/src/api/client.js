// The one way the app talks to the server: JSON under /api/v1, RFC 7807 problems turned into
// ApiError, 401 (session ended) and 403 password_change_required reported to the session layer.
// The session travels in the server's HttpOnly cookie, so no token is kept in script-visible storage.

const BASE = '/api/v1';

let currentLanguage = 'zh-CN';
const listeners = { unauthenticated: () => {}, passwordChangeRequired: () => {} };

export function setApiLanguage(lang) {
  currentLanguage = lang;
}

export function onUnauthenticated(fn) {
  listeners.unauthenticated = fn;
}

export function onPasswordChangeRequired(fn) {
  listeners.passwordChangeRequired = fn;
}

/** An error answer of the API, carrying the problem document and its field errors. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.code = this.problem.code || '';
    this.errors = Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }

  /** Field name → message, for showing each problem beside its form item. */
  get fieldErrors() {
    const out = {};
    for (const e of this.errors) {
      if (e.field && !out[e.field]) out[e.field] = e.message;
    }
    return out;
  }

  /** Messages not tied to a field (or all of them when none is). */
  get generalMessage() {
    const general = this.errors.filter((e) => !e.field).map((e) => e.message);
    return general.length ? general.join('；') : this.message;
  }
}

function buildUrl(path, query) {
  const url = new URL(BASE + path, window.location.origin);
  for (const [k, v] of Object.entries(query || {})) {
    if (v === undefined || v === null || v === '') continue;
    url.searchParams.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  return url.pathname + url.search;
}

async function readProblem(res) {
  const type = res.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try {
      return await res.json();
    } catch {
      return null;
    }
  }
  return { title: `HTTP ${res.status}`, detail: (await res.text()).slice(0, 200) };
}

/**
 * Sends one request. `body` is sent as JSON unless it is a Blob/File/FormData; `raw: true` returns
 * the Response itself (for downloads). Rejects with ApiError on any non-2xx answer.
 */
export async function request(method, path, { query, body, headers = {}, raw = false } = {}) {
  const init = {
    method,
    credentials: 'same-origin',
    headers: { Accept: 'application/json', 'Accept-Language': currentLanguage, ...headers },
  };
  if (body !== undefined) {
    if (body instanceof Blob || body instanceof FormData) {
      init.body = body;
    } else {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
  }
  let res;
  try {
    res = await fetch(buildUrl(path, query), init);
  } catch (e) {
    throw new ApiError(0, { code: 'unavailable', detail: e.message });
  }
  if (!res.ok) {
    const problem = await readProblem(res);
    const err = new ApiError(res.status, problem);
    if (res.status === 401 && path !== '/auth/login') listeners.unauthenticated(err);
    if (res.status === 403 && err.errors.some((e) => e.code === 'password_change_required')) {
      listeners.passwordChangeRequired(err);
    }
    throw err;
  }
  if (raw) return res;
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  return type.includes('json') ? res.json() : res.text();
}

export const api = {
  get: (path, query, opts) => request('GET', path, { ...opts, query }),
  post: (path, body, opts) => request('POST', path, { ...opts, body }),
  patch: (path, body, opts) => request('PATCH', path, { ...opts, body }),
  put: (path, body, opts) => request('PUT', path, { ...opts, body }),
};

function fileNameOf(res, fallback) {
  const cd = res.headers.get('Content-Disposition') || '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  return plain ? plain[1] : fallback;
}

/** Fetches a file from the API and hands it to the browser as a download; returns its name. */
export async function download(path, query, fallbackName = 'download') {
  const res = await request('GET', path, { query, raw: true, headers: { Accept: '*/*' } });
  const blob = await res.blob();
  const name = fileNameOf(res, fallbackName);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return name;
}
