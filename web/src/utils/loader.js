import { ref } from 'vue';

/**
 * A page's list read from the server: `load()` runs `fetch` and keeps its answer in `data`, with
 * `loading` while it runs and the server's message in `error` when it fails (the old data stays).
 */
export function useLoader(fetch, initial = { items: [] }) {
  const data = ref(initial);
  const loading = ref(false);
  const error = ref('');
  async function load() {
    loading.value = true;
    error.value = '';
    try {
      data.value = await fetch();
    } catch (e) {
      error.value = e.generalMessage || e.message;
    } finally {
      loading.value = false;
    }
  }
  return { data, loading, error, load };
}
