import { User } from '@element-plus/icons-vue';
import messages from './messages.js';
import { countPendingDocuments } from './documents.js';

export default {
  name: 'registry',
  order: 10,
  messages,
  menu: {
    titleKey: 'registry.menu',
    icon: User,
    items: [
      { path: '/registry/persons', titleKey: 'registry.search', permission: 'person_read' },
      { path: '/registry/register', titleKey: 'registry.register', permission: 'person_write' },
      { path: '/registry/documents', titleKey: 'registry.documents', permission: 'document_review' },
    ],
  },
  routes: [
    { path: 'registry/persons', name: 'person-search', component: () => import('./views/PersonSearch.vue'), meta: { permission: 'person_read' } },
    { path: 'registry/register', name: 'person-register', component: () => import('./views/PersonRegister.vue'), meta: { permission: 'person_write' } },
    { path: 'registry/documents', name: 'document-queue', component: () => import('./views/DocumentQueue.vue'), meta: { permission: 'document_review' } },
    { path: 'persons/:id', name: 'person-profile', component: () => import('./views/PersonProfile.vue'), props: true, meta: { permission: 'person_read', titleKey: 'registry.profile' } },
  ],
  // Documents waiting for review, for the users who may review them.
  homeCards: [
    {
      key: 'documents-pending',
      titleKey: 'registry.home.documentsPending',
      permission: 'document_review',
      count: async (api) => ({ value: await countPendingDocuments(api), to: { path: '/registry/documents' } }),
    },
  ],
  // The registry's own parts of the timeline: arrival, registration, documents.
  async timeline(_personId, person) {
    const out = [];
    if (person.arrived_on) out.push({ date: person.arrived_on, titleKey: 'registry.timeline.arrived', type: 'primary' });
    if (person.created_at) out.push({ date: person.created_at, titleKey: 'registry.timeline.registered', type: 'info' });
    for (const e of person.residence_events || []) {
      if (e.type !== 'arrived') out.push({ date: e.date, title: e.type_label || e.type, detail: e.address || e.note || '', type: 'warning' });
    }
    for (const d of person.documents || []) {
      out.push({ date: d.submitted_at, titleKey: 'registry.timeline.document', params: { type: d.type_label || d.type }, detail: d.number || '' });
      if (d.reviewed_at) {
        out.push({ date: d.reviewed_at, titleKey: `registry.timeline.${d.status}`, params: { type: d.type_label || d.type }, detail: d.review_reason || '', type: d.status === 'approved' ? 'success' : 'danger' });
      }
    }
    return out;
  },
};
