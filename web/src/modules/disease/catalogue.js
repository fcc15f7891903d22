import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { api } from '../../api/client.js';

// The notifiable diseases in force today (GET /disease/catalogue), read once per page, and a
// disease's name in the interface's language.
export function useDiseases() {
  const { locale } = useI18n();
  const diseases = ref([]);
  api.get('/disease/catalogue').then((r) => (diseases.value = r.items || [])).catch(() => (diseases.value = []));
  const label = (d) => (locale.value === 'en' ? d.name_en : d.name_zh);
  const diseaseName = (code) => {
    const d = diseases.value.find((x) => x.code === code);
    return d ? label(d) : code;
  };
  return { diseases, label, diseaseName };
}
