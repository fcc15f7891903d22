import { defineStore } from 'pinia';
import { api } from '../api/client.js';

// The signed-in user as the server describes it (GET /auth/me). The session itself is the
// server's HttpOnly cookie; this store only remembers who it belongs to. Whether a session was
// opened in this browser is remembered too (no secret, only a mark), so that a visitor who never
// logged in, or logged out, is not asked about with a request the server can only refuse.
const OPENED = 'jundeng.session';

export const useSessionStore = defineStore('session', {
  state: () => ({ me: null, loaded: false, expired: false }),
  getters: {
    signedIn: (s) => !!s.me,
    mustChangePassword: (s) => !!s.me?.must_change_password,
    can: (s) => (permission) => !permission || !!s.me?.permissions?.includes(permission),
  },
  actions: {
    async load() {
      let me = null;
      if (this.wasOpened()) {
        try {
          me = await api.get('/auth/me');
        } catch {
          localStorage.removeItem(OPENED);
        }
      }
      this.me = me;
      this.loaded = true;
      return this.me;
    },
    /** Whether this browser opened a session that has not been closed since (it may have expired). */
    wasOpened() {
      return !!localStorage.getItem(OPENED);
    },
    async login(username, password) {
      await api.post('/auth/login', { username, password });
      localStorage.setItem(OPENED, '1');
      this.expired = false;
      return this.load();
    },
    async changePassword(current, next) {
      await api.post('/auth/password', { current_password: current, new_password: next });
      return this.load();
    },
    async logout() {
      try {
        await api.post('/auth/logout', {});
      } finally {
        localStorage.removeItem(OPENED);
        this.me = null;
      }
    },
    /** The server said the session is gone (idle, expired or logged out elsewhere). */
    markExpired() {
      localStorage.removeItem(OPENED);
      if (this.me) this.expired = true;
      this.me = null;
    },
  },
});
