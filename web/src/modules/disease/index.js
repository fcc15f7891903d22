import { Warning } from '@element-plus/icons-vue';
import messages from './messages.js';
import { openSignalCount } from './signals.js';

// Infectious diseases (传染病报告和处理, 规范 第三版; 传染病信息报告管理规范 2015): the report card
// (传染病报告卡) form, the cards of the caller's area with their corrections, and the early-warning
// signals a CDC verifies and turns into events, and the periodic analysis (疫情分析: curve, heat
// table by area, occupations, work sites, the workbook). The server's API:
// src/http/openapi/disease.json and signals.json. Cards of HIV/AIDS and tuberculosis only reach users who may see them (the server
// leaves them out for the others).
export default {
  name: 'disease',
  order: 30,
  messages,
  menu: {
    titleKey: 'disease.menu',
    icon: Warning,
    items: [
      { path: '/disease/report', titleKey: 'disease.report', permission: 'disease_report' },
      { path: '/disease/cards', titleKey: 'disease.cards', permission: 'disease_read' },
      { path: '/disease/signals', titleKey: 'disease.signals', permission: 'disease_read' },
      { path: '/disease/events', titleKey: 'disease.events', permission: 'disease_read' },
      { path: '/disease/analysis', titleKey: 'disease.analysisMenu', permission: 'disease_read' },
    ],
  },
  routes: [
    { path: 'disease/report', name: 'disease-report', component: () => import('./views/CardReport.vue'), meta: { permission: 'disease_report' } },
    { path: 'disease/cards', name: 'disease-cards', component: () => import('./views/Cards.vue'), meta: { permission: 'disease_read' } },
    { path: 'disease/cards/:id', name: 'disease-card', component: () => import('./views/CardDetail.vue'), meta: { permission: 'disease_read', titleKey: 'disease.card.title' } },
    { path: 'disease/signals', name: 'disease-signals', component: () => import('./views/Signals.vue'), meta: { permission: 'disease_read' } },
    { path: 'disease/events', name: 'disease-events', component: () => import('./views/Events.vue'), meta: { permission: 'disease_read' } },
    { path: 'disease/analysis', name: 'disease-analysis', component: () => import('./views/Analysis.vue'), meta: { permission: 'disease_read' } },
  ],
  homeCards: [
    // The signals the CDC of the area must verify (传染病自动预警信号: 及时核实), the overdue ones
    // counted in the hint.
    {
      key: 'disease-signals',
      titleKey: 'disease.home.signals',
      hintKey: 'disease.home.signalsHint',
      permission: 'signal_respond',
      tone: 'danger',
      count: async (api) => {
        const { open, overdue } = await openSignalCount(api);
        return { value: open, to: { path: '/disease/signals', query: { status: 'open' } }, params: { overdue } };
      },
    },
  ],
};
