import { Reading } from '@element-plus/icons-vue';
import messages from './messages.js';
import homeCards from './homeCards.js';

// Health education (规范 第三版 健康教育服务规范 二(二)): the activities of the service points of
// the caller's area and a form to record one (centres, stations and village clinics), and every
// point's year against the norms with the shortfalls due by today in red; the centre's home page
// counts its points behind. The server's API: src/http/openapi/education.json.
export default {
  name: 'education',
  order: 41,
  messages,
  menu: {
    titleKey: 'education.menu',
    icon: Reading,
    items: [
      { path: '/education/activities', titleKey: 'education.activities', permission: 'org_read' },
      { path: '/education/norms', titleKey: 'education.norms', permission: 'org_read' },
    ],
  },
  routes: [
    { path: 'education/activities', name: 'education-activities', component: () => import('./views/Activities.vue'), meta: { permission: 'org_read' } },
    { path: 'education/norms', name: 'education-norms', component: () => import('./views/Norms.vue'), meta: { permission: 'org_read' } },
  ],
  homeCards,
};
