import { Avatar } from '@element-plus/icons-vue';
import messages from './messages.js';
import homeCards from './homeCards.js';
import { api } from '../../api/client.js';
import { ageMonths } from '../../utils/format.js';

// Child health management 0–6 years (0～6岁儿童健康管理, 规范 第三版): a tab on a child's profile
// with the schedule of check-ups and their status, recording a check-up, the check-ups with their
// WHO z-scores and the growth charts (weight-for-age, length/height-for-age against the WHO
// standards' SD curves), the centre's list of children with a check-up due and its count on the
// home page. The server's API: src/http/openapi/child.json.
//
// The tab is for children under 7 (规范 一、服务对象).
const underSeven = (person) => (ageMonths(person.birth_date) ?? 999) < 84;

export default {
  name: 'child',
  order: 26,
  messages,
  menu: {
    titleKey: 'child.menu',
    icon: Avatar,
    items: [{ path: '/child/due', titleKey: 'child.due', permission: 'person_read' }],
  },
  routes: [{ path: 'child/due', name: 'child-due', component: () => import('./views/ChildDue.vue'), meta: { permission: 'person_read' } }],
  homeCards,
  profileTabs: [{ name: 'child', titleKey: 'child.tab', component: () => import('./components/ChildTab.vue'), visible: underSeven }],
  async timeline(personId, person) {
    if (!underSeven(person)) return [];
    const card = await api.get(`/persons/${personId}/child-health`);
    return (card.checkups || []).map((c) => ({
      date: c.date,
      titleKey: c.contact ? `child.contact.${c.contact}` : 'child.timeline.extra',
      detail: [c.weight_kg != null ? `${c.weight_kg} kg` : '', c.length_height_cm != null ? `${c.length_height_cm} cm` : ''].filter(Boolean).join(' · '),
      type: 'success',
    }));
  },
};
