import { Female } from '@element-plus/icons-vue';
import messages from './messages.js';
import homeCards from './homeCards.js';
import { api } from '../../api/client.js';
import { ageMonths } from '../../utils/format.js';
import { useSessionStore } from '../../stores/session.js';

// Maternal health management (孕产妇健康管理, 规范 第三版): a tab on a woman's profile with her
// pregnancies (建册 with the EDD computed as it is typed, the antenatal card, visits, the risk
// colour, delivery or end), the centre's visits-due list and high-risk register, and their counts
// on the home page. The server's API: src/http/openapi/maternal.json.
//
// The tab is for women from 8 years of age (the server refuses an LMP earlier in life).
const canBePregnant = (person) => person.sex === 'F' && (ageMonths(person.birth_date) ?? 0) >= 8 * 12;

const isNewborn = (person) => (ageMonths(person.birth_date) ?? 99) < 2;

const isPmtctAge = (person) => (ageMonths(person.birth_date) ?? 99) < 24 && useSessionStore().can('infection_read');

export default {
  name: 'maternal',
  order: 25,
  messages,
  menu: {
    titleKey: 'maternal.menu',
    icon: Female,
    items: [
      { path: '/maternal/due', titleKey: 'maternal.due', permission: 'person_read' },
      { path: '/maternal/high-risk', titleKey: 'maternal.highRisk', permission: 'person_read' },
      { path: '/maternal/referrals', titleKey: 'maternal.referrals', permission: 'person_read' },
    ],
  },
  routes: [
    { path: 'maternal/due', name: 'maternal-due', component: () => import('./views/MaternalDue.vue'), meta: { permission: 'person_read' } },
    { path: 'maternal/high-risk', name: 'maternal-high-risk', component: () => import('./views/HighRiskRegister.vue'), meta: { permission: 'person_read' } },
    { path: 'maternal/referrals', name: 'maternal-referrals', component: () => import('./views/Referrals.vue'), meta: { permission: 'person_read' } },
  ],
  homeCards,
  profileTabs: [
    { name: 'maternal', titleKey: 'maternal.tab', component: () => import('./components/MaternalTab.vue'), visible: canBePregnant },
    // A baby's PMTCT items (预防艾滋病、梅毒和乙肝母婴传播: the follow-up runs to 18 months), for a
    // user who may see infection data; the tab says when the child has none.
    // A newborn's referrals and green-channel transfers (重症新生儿急救转诊绿色通道): the server refers
    // a child in the first 28 days; the tab stays for the first two months to follow the outcome.
    { name: 'referrals', titleKey: 'maternal.referral.section', component: () => import('./components/NewbornReferralTab.vue'), visible: isNewborn },
    { name: 'pmtct', titleKey: 'maternal.pmtct.tab', component: () => import('./components/PmtctTab.vue'), visible: isPmtctAge },
  ],
  async timeline(personId, person) {
    if (!canBePregnant(person)) return [];
    const { items } = await api.get(`/persons/${personId}/pregnancies`);
    const out = [];
    for (const p of items || []) {
      out.push({ date: p.registered_on, titleKey: 'maternal.timeline.registered', params: { ga: p.registered_ga }, detail: p.clinic_name || p.clinic, type: 'primary' });
      for (const v of p.visits || []) {
        const titleKey = v.kind === 'antenatal' ? 'maternal.timeline.antenatal' : `maternal.kind.${v.kind}`;
        out.push({ date: v.date, titleKey, params: { ga: v.ga }, detail: v.advice || '', type: 'success' });
      }
      if (p.delivery) out.push({ date: p.delivery.delivered_on, titleKey: `maternal.timeline.delivered.${p.delivery.mode}`, detail: p.delivery.place || '', type: 'warning' });
      if (p.ended) out.push({ date: p.ended.ended_on, titleKey: `maternal.timeline.ended.${p.ended.reason}`, type: 'info' });
    }
    return out;
  },
};
