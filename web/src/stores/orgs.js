import { defineStore } from 'pinia';
import { api } from '../api/client.js';

// The org units the user may see, loaded once per session: names for codes shown in lists,
// and the choices of forms (residence unit, clinic, area).
export const useOrgStore = defineStore('orgs', {
  state: () => ({ units: [], loading: null }),
  getters: {
    byCode: (s) => Object.fromEntries(s.units.map((u) => [u.code, u])),
    nameOf() {
      return (code) => this.byCode[code]?.name || code || '';
    },
    ofLevel: (s) => (levels) => s.units.filter((u) => levels.includes(u.level)),
    childrenOf: (s) => (code) => s.units.filter((u) => u.parent_code === code),
  },
  actions: {
    async ensure() {
      if (this.units.length) return this.units;
      if (!this.loading) {
        this.loading = api
          .get('/org-units')
          .then((r) => {
            this.units = Array.isArray(r) ? r : r.items || [];
            return this.units;
          })
          .finally(() => {
            this.loading = null;
          });
      }
      return this.loading;
    },
    reset() {
      this.units = [];
    },
  },
});
