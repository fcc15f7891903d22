import { createRouter, createWebHashHistory } from 'vue-router';
import { routes } from './modules/index.js';
import { useSessionStore } from './stores/session.js';

// Every page is loaded when first opened (the login page does not bring the menu or the lists).
const MainLayout = () => import('./layouts/MainLayout.vue');
const LoginView = () => import('./views/LoginView.vue');
const PasswordView = () => import('./views/PasswordView.vue');
const HomeView = () => import('./views/HomeView.vue');
const MessageView = () => import('./views/MessageView.vue');

// Hash history: the server mounts web/dist at / as plain files, so every deep link must resolve
// to index.html without a server-side fallback.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/login', name: 'login', component: LoginView, meta: { public: true, titleKey: 'login.title' } },
    { path: '/password', name: 'password', component: PasswordView, meta: { titleKey: 'password.title' } },
    {
      path: '/',
      component: MainLayout,
      children: [
        { path: '', name: 'home', component: HomeView, meta: { titleKey: 'layout.home' } },
        ...routes,
        { path: 'forbidden', name: 'forbidden', component: MessageView, props: { kind: 'forbidden' }, meta: { titleKey: 'errors.forbidden' } },
        { path: ':rest(.*)*', name: 'not-found', component: MessageView, props: { kind: 'notFound' }, meta: { titleKey: 'errors.notFound' } },
      ],
    },
  ],
});

router.beforeEach(async (to) => {
  const session = useSessionStore();
  if (!session.loaded) {
    // The first page's code loads while the session is asked about, not after (unless the page
    // needs a session this browser has not opened: the login page comes instead).
    const reachable = to.meta.public || session.wasOpened();
    const pages = reachable ? to.matched.map((r) => r.components?.default).filter((c) => typeof c === 'function') : [];
    await Promise.all([session.load(), ...pages.map((load) => load().catch(() => {}))]);
  }
  if (to.meta.public) return true;
  if (!session.signedIn) return { name: 'login', query: { redirect: to.fullPath } };
  if (session.mustChangePassword && to.name !== 'password') return { name: 'password' };
  const needed = to.matched.map((r) => r.meta.permission).filter(Boolean);
  if (!needed.every((p) => session.can(p))) return { name: 'forbidden' };
  return true;
});
