import { Female } from '@element-plus/icons-vue';
import messages from './messages.js';
import { ageMonths } from '../../utils/format.js';

// Free family-planning services for migrants (南宁市实施办法 四(七)): the area's register of women
// aged 15–49 with this year's guidance and free-service coverage, a 计划生育 tab on a person's
// profile with the forms that record a distribution of free contraceptives, a procedure, a check
// and guidance, and the payment list of rewards and hardship support for finance.
// The server's API: src/http/openapi/family_planning.json.
const years = (person) => (ageMonths(person.birth_date) ?? 0) / 12;

export default {
  name: 'familyPlanning',
  order: 42,
  messages,
  menu: {
    titleKey: 'familyPlanning.menu',
    icon: Female,
    items: [
      { path: '/family-planning/register', titleKey: 'familyPlanning.register', permission: 'person_read' },
      { path: '/family-planning/payments', titleKey: 'familyPlanning.payments', permission: 'aggregate_read' },
    ],
  },
  routes: [
    { path: 'family-planning/register', name: 'fp-register', component: () => import('./views/Register.vue'), meta: { permission: 'person_read' } },
    { path: 'family-planning/payments', name: 'fp-payments', component: () => import('./views/Payments.vue'), meta: { permission: 'aggregate_read' } },
  ],
  profileTabs: [
    { name: 'family-planning', titleKey: 'familyPlanning.tab', component: () => import('./components/FpTab.vue'), visible: (p) => years(p) >= 15 && years(p) < 60 },
  ],
  homeCards: [
    // Procedure follow-ups due within 30 days either side of today with no check since.
    {
      key: 'fp-follow-ups',
      titleKey: 'familyPlanning.home.followUps',
      hintKey: 'familyPlanning.home.followUpsHint',
      permission: 'family_planning',
      count: async (api) => {
        const r = await api.get('/family-planning/register', { limit: 1 });
        return { value: r.follow_ups_due || 0, to: { path: '/family-planning/register', query: { due: '1' } } };
      },
    },
  ],
};
