import { watch } from 'vue';

// The browser tab names the page ("应种名单与预约 · 均等"), in the chosen language: the deepest
// matched route's meta.titleKey, or the app's name and purpose where a page has none.
export function followPageTitle(router, i18n) {
  const { t, locale } = i18n.global;
  const update = () => {
    const key = [...router.currentRoute.value.matched].reverse().find((r) => r.meta?.titleKey)?.meta.titleKey;
    document.title = key ? `${t(key)} · ${t('app.title')}` : `${t('app.title')} · ${t('app.subtitle')}`;
  };
  router.afterEach(update);
  watch(locale, update);
}
