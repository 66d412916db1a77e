// Small building blocks for the type guards every receiver uses to narrow an
// incoming message (from a webview or the training process) before touching it.

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `value` is an object whose `type` field equals `type`. */
export function hasType<T extends string>(
  value: unknown,
  type: T,
): value is { type: T } & Record<string, unknown> {
  return isRecord(value) && value.type === type;
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'number');
}

export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

export function isBoolean(value: unknown): value is boolean {
  return typeof value === 'boolean';
}
