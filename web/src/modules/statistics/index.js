import { DataAnalysis } from '@element-plus/icons-vue';
import messages from './messages.js';

export default {
  name: 'statistics',
  order: 50,
  messages,
  menu: {
    titleKey: 'statistics.menu',
    icon: DataAnalysis,
    items: [
      { path: '/statistics/dashboard', titleKey: 'statistics.dashboard', permission: 'aggregate_read' },
      { path: '/statistics/evaluation', titleKey: 'statistics.evaluation', permission: 'aggregate_read' },
      { path: '/statistics/pilot-cities', titleKey: 'statistics.pilots.title', permission: 'aggregate_read' },
    ],
  },
  routes: [
    { path: 'statistics/dashboard', name: 'statistics-dashboard', component: () => import('./views/IndicatorDashboard.vue'), meta: { permission: 'aggregate_read' } },
    { path: 'statistics/evaluation', name: 'statistics-evaluation', component: () => import('./views/EvaluationFunding.vue'), meta: { permission: 'aggregate_read' } },
    { path: 'statistics/pilot-cities', name: 'statistics-pilot-cities', component: () => import('./views/PilotCities.vue'), meta: { permission: 'aggregate_read' } },
  ],
};
