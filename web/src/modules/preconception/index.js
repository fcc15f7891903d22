import messages from './messages.js';
import { ageMonths } from '../../utils/format.js';

// Pre-pregnancy health checks (国家免费孕前优生健康检查, 19 items) and folic-acid supplementation
// (增补叶酸): a 孕前优生 tab on the profile of an adult of 18–49 with the couple's checks (items done
// and missing for each partner, the risk group, the advice), a form to record one, and the woman's
// folic-acid supplies and status. The server's API: src/http/openapi/preconception.json.
const years = (person) => (ageMonths(person.birth_date) ?? 0) / 12;
const ofReproductiveAge = (person) => years(person) >= 18 && years(person) < 50;

export default {
  name: 'preconception',
  order: 26,
  messages,
  profileTabs: [
    { name: 'preconception', titleKey: 'preconception.tab', component: () => import('./components/PreconceptionTab.vue'), visible: ofReproductiveAge },
  ],
};
