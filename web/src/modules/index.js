// Every folder under modules/ with an index.js is a module of the app. Its manifest gives
//   name        the key of its messages (t('<name>.…')) and its identity
//   order       its place in the menu
//   messages    { 'zh-CN': {...}, en: {...} }
//   menu        { titleKey, icon, items: [{ path, titleKey, permission? }] }
//   routes      vue-router records, mounted inside the main layout (meta.permission checked;
//               meta.titleKey names the page in the browser tab, by default its menu entry's)
//   profileTabs [{ name, titleKey, component, visible?(person) }] added to a person's profile
//   timeline    async (personId, person) => [{ date, titleKey|title, detail, type }] for the profile
//   homeCards   [{ key, titleKey, hintKey?, permission?, visible?(session), count: async (api, session) => ({ value, to, params? }) }]
//               today's work on the home page: a count and the list it counts (`to`, a route
//               location that opens the list filtered so that it shows exactly `value` entries;
//               `params` fill the hint's placeholders). A card whose count fails shows a dash and
//               a retry; the rest of the page is not affected.
// Adding a module's pages is therefore one folder with its manifest.
import { defineAsyncComponent } from 'vue';

const found = import.meta.glob('./*/index.js', { eager: true });

export const modules = Object.values(found)
  .map((m) => m.default)
  .sort((a, b) => (a.order ?? 100) - (b.order ?? 100));

// A tab's component may be given as a loader (() => import('…')) so that it loads on first use.
export const profileTabs = modules
  .flatMap((m) => m.profileTabs || [])
  .map((tab) => ({ ...tab, component: typeof tab.component === 'function' ? defineAsyncComponent(tab.component) : tab.component }));
export const routes = modules.flatMap((m) =>
  (m.routes || []).map((route) => {
    const entry = m.menu?.items.find((i) => i.path === `/${route.path}`);
    return entry && !route.meta?.titleKey ? { ...route, meta: { ...route.meta, titleKey: entry.titleKey } } : route;
  }),
);
export const homeCards = modules.flatMap((m) => m.homeCards || []);
export const timelineSources = modules.filter((m) => m.timeline).map((m) => m.timeline);
