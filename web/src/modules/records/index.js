import messages from './messages.js';
import { api } from '../../api/client.js';

// Resident health records (居民健康档案): a tab on the person's page and a timeline entry.
export default {
  name: 'records',
  order: 15,
  messages,
  profileTabs: [
    {
      name: 'health-record',
      titleKey: 'records.tab',
      component: () => import('./components/HealthRecordCard.vue'),
    },
  ],
  async timeline(personId) {
    try {
      const r = await api.get(`/persons/${personId}/health-record`);
      return [{ date: r.established_on, titleKey: 'records.timeline.established', params: { no: r.record_no }, detail: r.clinic_name || r.clinic, type: 'primary' }];
    } catch (e) {
      if (e.status === 404) return [];
      throw e;
    }
  },
};
