import type { SettingValue } from './runRow';

/**
 * Top-level fields of an experiment that are not settings: the table shows them elsewhere or not
 * at all. A sweep section says how trials were chosen; each trial's chosen values are its settings.
 */
const NOT_SETTINGS = new Set(['$schema', 'name', 'description', 'sweep']);

function isPlainValue(value: unknown): value is SettingValue {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/**
 * The experiment's settings as `path → value`, in the file's order: objects by their keys
 * (`training.optimizer.learningRate`), lists of objects by index (`model.layers.0.units`).
 * A list of plain values (`model.input.shape`) is one setting, written as JSON (`[1,8,8]`),
 * so a shape reads as one column rather than three.
 */
export function flattenSettings(config: unknown): Record<string, SettingValue> {
  const settings: Record<string, SettingValue> = {};
  const visit = (value: unknown, path: string): void => {
    if (isPlainValue(value)) {
      settings[path] = value;
    } else if (Array.isArray(value)) {
      if (value.every(isPlainValue)) settings[path] = JSON.stringify(value);
      else value.forEach((item, index) => visit(item, `${path}.${index}`));
    } else if (typeof value === 'object') {
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        if (path === '' && NOT_SETTINGS.has(key)) continue;
        visit(child, path === '' ? key : `${path}.${key}`);
      }
    }
  };
  if (typeof config === 'object' && config !== null && !Array.isArray(config)) visit(config, '');
  return settings;
}
