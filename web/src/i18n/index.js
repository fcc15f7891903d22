import { createI18n } from 'vue-i18n';
import zhCN from './zh-CN.js';
import en from './en.js';
import { modules } from '../modules/index.js';
import { setApiLanguage } from '../api/client.js';

export const LANGUAGES = [
  { code: 'zh-CN', label: '简体中文' },
  { code: 'en', label: 'English' },
];

const STORAGE_KEY = 'jundeng.language';

function merged(lang, base) {
  const out = { ...base };
  for (const m of modules) {
    if (m.messages?.[lang]) out[m.name] = m.messages[lang];
  }
  return out;
}

const saved = localStorage.getItem(STORAGE_KEY);
const initial = LANGUAGES.some((l) => l.code === saved) ? saved : 'zh-CN';

export const i18n = createI18n({
  legacy: false,
  locale: initial,
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': merged('zh-CN', zhCN), en: merged('en', en) },
});

setApiLanguage(initial);
document.documentElement.lang = initial;

export function setLanguage(code) {
  i18n.global.locale.value = code;
  localStorage.setItem(STORAGE_KEY, code);
  setApiLanguage(code);
  document.documentElement.lang = code;
}
