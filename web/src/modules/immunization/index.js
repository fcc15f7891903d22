import { FirstAidKit } from '@element-plus/icons-vue';
import messages from './messages.js';
import { api } from '../../api/client.js';
import { ageMonths } from '../../utils/format.js';
import homeCards from './homeCards.js';

export default {
  name: 'immunization',
  order: 20,
  messages,
  menu: {
    titleKey: 'immunization.menu',
    icon: FirstAidKit,
    items: [
      { path: '/immunization/due', titleKey: 'immunization.due', permission: 'person_read' },
      { path: '/immunization/catch-up', titleKey: 'immunization.catchUp', permission: 'person_read' },
      { path: '/immunization/campaigns', titleKey: 'immunization.campaigns', permission: 'person_read' },
      { path: '/immunization/entry-checks', titleKey: 'immunization.entryChecks', permission: 'person_read' },
    ],
  },
  routes: [
    { path: 'immunization/due', name: 'immunization-due', component: () => import('./views/DueList.vue'), meta: { permission: 'person_read' } },
    { path: 'immunization/catch-up', name: 'immunization-catch-up', component: () => import('./views/CatchUpRounds.vue'), meta: { permission: 'person_read' } },
    { path: 'immunization/campaigns', name: 'immunization-campaigns', component: () => import('./views/CampaignList.vue'), meta: { permission: 'person_read' } },
    { path: 'immunization/entry-checks', name: 'immunization-entry-checks', component: () => import('./views/EntryChecks.vue'), meta: { permission: 'person_read' } },
  ],
  homeCards,
  // The child's vaccination card, for children and adolescents (the schedule runs to 14 years).
  profileTabs: [
    {
      name: 'immunization',
      titleKey: 'immunization.tab',
      component: () => import('./components/ImmunizationCard.vue'),
      visible: (person) => (ageMonths(person.birth_date) ?? 999) < 18 * 12,
    },
    // The children a person is the certificate guardian of (a guardian is at least 16).
    {
      name: 'wards',
      titleKey: 'immunization.guardian.wardsTab',
      component: () => import('./components/WardsTab.vue'),
      visible: (person) => (ageMonths(person.birth_date) ?? 0) >= 16 * 12,
    },
  ],
  async timeline(personId, person) {
    if ((ageMonths(person.birth_date) ?? 999) >= 18 * 12) return [];
    const view = await api.get(`/persons/${personId}/immunization`);
    const out = (view.records || [])
      .filter((r) => r.status !== 'voided')
      .map((r) => ({ date: r.date, titleKey: 'immunization.timeline.dose', params: { vaccine: r.vaccine_name_zh || r.vaccine }, detail: r.clinic_name || '', type: 'success' }));
    if (view.file) {
      out.push({ date: view.file.issued_on, titleKey: 'immunization.timeline.file', params: { no: view.file.certificate_no }, detail: view.file.issuing_clinic_name || '', type: 'primary' });
    }
    return out;
  },
};
