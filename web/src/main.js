import { createApp } from 'vue';
import { createPinia } from 'pinia';
import { dayjs } from 'element-plus';
import 'element-plus/theme-chalk/base.css';
import './styles.css';
import App from './App.vue';
import { i18n } from './i18n/index.js';
import { router } from './router.js';
import { onPasswordChangeRequired, onUnauthenticated } from './api/client.js';
import { useSessionStore } from './stores/session.js';
import { useStrictDateParsing } from './utils/strictDates.js';
import { followPageTitle } from './utils/title.js';

useStrictDateParsing(dayjs);

const app = createApp(App);
const pinia = createPinia();
app.use(pinia).use(i18n).use(router);
followPageTitle(router, i18n);

// A session that ends while a page is open (idle timeout, logout elsewhere) sends the user to the
// login page, which says why and brings them back to where they were.
onUnauthenticated(() => {
  const session = useSessionStore(pinia);
  if (!session.signedIn) return;
  session.markExpired();
  const here = router.currentRoute.value;
  if (here.name !== 'login') router.replace({ name: 'login', query: { redirect: here.fullPath } });
});
onPasswordChangeRequired(() => {
  router.replace({ name: 'password' });
});

app.mount('#app');
