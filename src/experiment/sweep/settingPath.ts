/**
 * Dotted setting paths of a sweep (`training.optimizer.learningRate`,
 * `model.layers.0.units`): parsing them into JSON paths, and reading and
 * replacing the setting in a copy of the experiment.
 */
import * as l10n from '@vscode/l10n';
import type { JsonValue } from '../../contract/experiment';

export type SettingPath = (string | number)[];

/** `model.layers.0.units` → ['model', 'layers', 0, 'units']; undefined when a segment is empty. */
export function parseSettingPath(dotted: string): SettingPath | undefined {
  const segments = dotted.split('.');
  if (segments.some((segment) => segment === '')) return undefined;
  return segments.map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

type Container = Record<string, unknown> | unknown[];

const isContainer = (value: unknown): value is Container => typeof value === 'object' && value !== null;

/**
 * Why `path` cannot be set in `document`: a list index past the end, or a
 * segment that walks into a plain value; undefined when it can (missing
 * objects on the way are created by `withSetting`).
 */
export function unreachableSetting(document: unknown, path: SettingPath): string | undefined {
  let node: unknown = document;
  for (let depth = 0; depth < path.length; depth++) {
    const segment = path[depth];
    const where = path.slice(0, depth).join('.') || l10n.t('the experiment');
    if (typeof segment === 'number') {
      if (!Array.isArray(node)) return l10n.t('{0} is not a list', where);
      if (segment >= node.length)
        return node.length === 1
          ? l10n.t('{0} has 1 item (0 to 0), no {1}', where, segment)
          : l10n.t('{0} has {1} items (0 to {2}), no {3}', where, node.length, node.length - 1, segment);
    } else if (node !== undefined && (!isContainer(node) || Array.isArray(node))) {
      return l10n.t('{0} is not an object', where);
    }
    node = node === undefined ? undefined : (node as Record<string | number, unknown>)[segment];
  }
  return undefined;
}

/** A deep copy of `document` with the setting at `path` replaced by `value` (objects on the way created). */
export function withSetting<T>(document: T, path: SettingPath, value: JsonValue): T {
  const copy = structuredClone(document);
  let node = copy as unknown as Container;
  path.forEach((segment, depth) => {
    const slot = node as Record<string | number, unknown>;
    if (depth === path.length - 1) {
      slot[segment] = structuredClone(value);
      return;
    }
    if (!isContainer(slot[segment])) slot[segment] = {};
    node = slot[segment] as Container;
  });
  return copy;
}
