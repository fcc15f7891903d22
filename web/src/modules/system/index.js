import { Setting } from '@element-plus/icons-vue';
import messages from './messages.js';

export default {
  name: 'system',
  order: 90,
  messages,
  menu: {
    titleKey: 'system.menu',
    icon: Setting,
    items: [
      { path: '/system/users', titleKey: 'system.users', permission: 'user_manage' },
      { path: '/system/audit', titleKey: 'system.audit', permission: 'audit_read' },
      { path: '/system/import', titleKey: 'system.import', permission: 'person_import' },
    ],
  },
  routes: [
    { path: 'system/users', name: 'system-users', component: () => import('./views/UserAdmin.vue'), meta: { permission: 'user_manage' } },
    { path: 'system/audit', name: 'system-audit', component: () => import('./views/AuditLog.vue'), meta: { permission: 'audit_read' } },
    { path: 'system/import', name: 'system-import', component: () => import('./views/PersonImport.vue'), meta: { permission: 'person_import' } },
  ],
};
