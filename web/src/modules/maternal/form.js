import { reactive, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from '../../utils/feedback.js';

// A maternal form's answer from the server: each field error beside its form item (the API
// client's ApiError.fieldErrors, as every form of the app shows them), and above the form what is
// not tied to one of the form's own fields (a refusal, or a field the form does not show).
export function useServerErrors(fields) {
  const errors = reactive({});
  const general = ref('');
  const busy = ref(false);
  function clear() {
    for (const k of Object.keys(errors)) delete errors[k];
    general.value = '';
  }
  /** Runs `send`; its result, or null when the server refused (the errors are then shown). */
  async function submit(send) {
    clear();
    busy.value = true;
    try {
      return await send();
    } catch (e) {
      if (!e.errors) throw e;
      Object.assign(errors, e.fieldErrors);
      const elsewhere = e.errors.filter((x) => x.field && !fields.includes(x.field)).map((x) => x.message);
      general.value = elsewhere.join('；') || e.generalMessage;
      return null;
    } finally {
      busy.value = false;
    }
  }
  return { errors, general, busy, clear, submit };
}

/**
 * A dialog that saves one form: `save(send)` runs the request, shows the server's errors, or on
 * success says `savedKey`, closes the dialog (its `open` model) and emits "saved" with the answer.
 */
export function useDialogForm(fields, { open, emit, savedKey }) {
  const { t } = useI18n();
  const form = useServerErrors(fields);
  async function save(send) {
    const view = await form.submit(send);
    if (!view) return;
    ElMessage.success(t(typeof savedKey === 'function' ? savedKey() : savedKey));
    open.value = false;
    emit('saved', view);
  }
  return { ...form, save };
}

// The fields of a risk input (RiskFields.vue) that the server names in its errors.
export const RISK_FIELDS = ['height_cm', 'weight_kg', 'haemoglobin_g_l', 'platelets_10e9_l', 'conditions', 'colour', 'hiv_positive', 'syphilis_positive', 'hbsag_positive'];

/** A typed number for the API; absent when the input is empty. */
export function num(v) {
  return v === '' || v === null || v === undefined ? undefined : Number(v);
}

export function emptyRisk() {
  return { height_cm: '', weight_kg: '', haemoglobin_g_l: '', platelets_10e9_l: '', conditions: [], colour: '', hiv_positive: false, syphilis_positive: false, hbsag_positive: false };
}

/** The body of a risk input; the infection results only for a user who may see them. */
export function riskBody(risk, { infections }) {
  const body = {
    height_cm: num(risk.height_cm),
    weight_kg: num(risk.weight_kg),
    haemoglobin_g_l: num(risk.haemoglobin_g_l),
    platelets_10e9_l: num(risk.platelets_10e9_l),
    conditions: [...risk.conditions],
    colour: risk.colour || undefined,
  };
  if (infections) Object.assign(body, { hiv_positive: risk.hiv_positive, syphilis_positive: risk.syphilis_positive, hbsag_positive: risk.hbsag_positive });
  return body;
}
