import { UserFilled } from '@element-plus/icons-vue';
import messages from './messages.js';

// Severe mental disorders (严重精神障碍患者管理, 规范 第三版; 严重精神障碍管理治疗工作规范 2018):
// the patients of the caller's area with their class and next follow-up, the follow-up form (danger
// level, symptoms, insight, adherence…) and, for 综治/police partner users, the danger alerts of
// their area (name, address, level and time only) to acknowledge. The server's API:
// src/http/openapi/mental.json.
export default {
  name: 'mental',
  order: 32,
  messages,
  menu: {
    titleKey: 'mental.menu',
    icon: UserFilled,
    items: [
      { path: '/mental/patients', titleKey: 'mental.patients', permission: 'mental_health' },
      { path: '/mental/alerts', titleKey: 'mental.alerts', permission: 'partner_alert' },
    ],
  },
  routes: [
    { path: 'mental/patients', name: 'mental-patients', component: () => import('./views/Patients.vue'), meta: { permission: 'mental_health' } },
    { path: 'mental/patients/:id', name: 'mental-patient', component: () => import('./views/Patient.vue'), meta: { permission: 'mental_health', titleKey: 'mental.patient' } },
    { path: 'mental/alerts', name: 'mental-alerts', component: () => import('./views/Alerts.vue'), meta: { permission: 'partner_alert' } },
  ],
  homeCards: [
    // Patients whose next follow-up date has passed (≥4 follow-ups a year, sooner when unstable).
    {
      key: 'mental-overdue',
      titleKey: 'mental.home.overdue',
      hintKey: 'mental.home.overdueHint',
      permission: 'mental_health',
      tone: 'danger',
      count: async (api) => {
        const page = await api.get('/mental/patients', { overdue: true, limit: 1000 });
        return { value: (page.items || []).length, to: { path: '/mental/patients', query: { overdue: '1' } } };
      },
    },
    // Danger alerts of the partner's area not yet acknowledged.
    {
      key: 'mental-alerts',
      titleKey: 'mental.home.alerts',
      hintKey: 'mental.home.alertsHint',
      permission: 'partner_alert',
      tone: 'danger',
      count: async (api) => {
        const page = await api.get('/mental/alerts', { state: 'open', limit: 1000 });
        return { value: (page.items || []).length, to: { path: '/mental/alerts', query: { state: 'open' } } };
      },
    },
  ],
};
