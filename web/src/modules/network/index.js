import { Location } from '@element-plus/icons-vue';
import messages from './messages.js';
import homeCards from './homeCards.js';

// The service network (南宁市实施办法 §六(二), §六(六)): the service points of the caller's area
// with their kind, position (WGS-84) and whether they count in the ten-minute circle, and per
// district the demonstration point ("六个一") against its deadline and the family-planning
// associations of the places migrants gather; the ten-minute circle of an area on a map with the
// communities left outside ranked and the sites greedy placement suggests, and for district and
// city users the number of their communities outside the circle on the home page. The server's API: src/http/openapi/network.json.
export default {
  name: 'network',
  order: 40,
  messages,
  menu: {
    titleKey: 'network.menu',
    icon: Location,
    items: [
      { path: '/network/points', titleKey: 'network.points', permission: 'org_read' },
      { path: '/network/summary', titleKey: 'network.summary', permission: 'org_read' },
      { path: '/network/map', titleKey: 'network.map.title', permission: 'aggregate_read' },
    ],
  },
  routes: [
    { path: 'network/points', name: 'network-points', component: () => import('./views/Points.vue'), meta: { permission: 'org_read' } },
    { path: 'network/summary', name: 'network-summary', component: () => import('./views/Summary.vue'), meta: { permission: 'org_read' } },
    { path: 'network/map', name: 'network-map', component: () => import('./views/Map.vue'), meta: { permission: 'aggregate_read' } },
  ],
  homeCards,
};
