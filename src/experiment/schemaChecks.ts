/**
 * The basic checks of `schemas/experiment.schema.json` (types, required
 * fields, enums, bounds, unknown fields), read from the schema itself so the
 * editor's squiggles and the CLI never disagree. Only the keywords that
 * schema uses are understood: this is not a general JSON Schema validator.
 */
import * as l10n from '@vscode/l10n';
import type { JSONPath } from 'jsonc-parser';
import schemaJson from '../../schemas/experiment.schema.json';

interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  required?: string[];
  properties?: Record<string, SchemaNode>;
  /** false: no other fields; a schema: what every other field must be. */
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  pattern?: string;
  oneOf?: SchemaNode[];
  allOf?: { if: SchemaNode; then: SchemaNode }[];
}

export interface SchemaIssue {
  path: JSONPath;
  message: string;
}

const schema = schemaJson as SchemaNode & { definitions: Record<string, SchemaNode> };

function resolve(node: SchemaNode): SchemaNode {
  return node.$ref ? schema.definitions[node.$ref.replace('#/definitions/', '')] : node;
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(value: unknown, type: string | string[]): boolean {
  const actual = typeOf(value);
  return [type].flat().some((t) => t === actual || (t === 'number' && actual === 'integer'));
}

const describeType = (type: string | string[]): string =>
  [type]
    .flat()
    .map((t) => TYPE_NAMES[t]?.() ?? t)
    .join(l10n.t(' or '));

/** JSON schema types as a sentence names them. */
const TYPE_NAMES: Record<string, () => string> = {
  integer: () => l10n.t('a whole number'),
  array: () => l10n.t('a list'),
  number: () => l10n.t('a number'),
  string: () => l10n.t('a string'),
  boolean: () => l10n.t('a boolean'),
  object: () => l10n.t('an object'),
  null: () => l10n.t('null'),
};

/** "model.layers[2].units": the list index says which layer (or split, or metric) is meant. */
const fieldName = (path: JSONPath): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') ||
  l10n.t('the file');

/** Does `value` satisfy an `if` clause (only `properties` with type, const or enum)? */
function matchesCondition(value: unknown, condition: SchemaNode): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(condition.properties ?? {}).every(([key, rule]) => {
    const field = (value as Record<string, unknown>)[key];
    if (rule.type !== undefined) return typeMatches(field, rule.type);
    return rule.const !== undefined ? field === rule.const : (rule.enum ?? []).includes(field);
  });
}

function check(value: unknown, rawNode: SchemaNode, path: JSONPath, issues: SchemaIssue[]): void {
  const node = resolve(rawNode);
  const name = fieldName(path);
  if (node.oneOf) {
    if (node.oneOf.some((option) => collect(value, option, path).length === 0)) return;
    // A value of only one option's type is that option gone wrong: its own problems say where.
    const sameType = node.oneOf.filter((option) => {
      const type = resolve(option).type;
      return type !== undefined && typeMatches(value, type);
    });
    if (sameType.length === 1) check(value, sameType[0], path, issues);
    else {
      issues.push({
        path,
        message: l10n.t(
          '{0}: {1}',
          name,
          (rawNode as { description?: string }).description ?? l10n.t('invalid value'),
        ),
      });
    }
    return;
  }
  if (node.type && !typeMatches(value, node.type)) {
    issues.push({ path, message: l10n.t('{0} must be {1}', name, describeType(node.type)) });
    return;
  }
  if (node.enum && !node.enum.includes(value)) {
    issues.push({
      path,
      message: l10n.t(
        '{0} must be one of {1}; got {2}',
        name,
        node.enum.map((v) => JSON.stringify(v)).join(', '),
        JSON.stringify(value),
      ),
    });
    return;
  }
  if (typeof value === 'number') checkBounds(value, node, path, name, issues);
  if (typeof value === 'string') {
    if (node.minLength !== undefined && value.length < node.minLength)
      issues.push({ path, message: l10n.t('{0} is empty', name) });
    else if (node.pattern && !new RegExp(node.pattern).test(value)) {
      issues.push({ path, message: l10n.t("{0} may hold only letters, digits, '.', '_' and '-'", name) });
    }
  }
  if (Array.isArray(value)) {
    if (node.minItems !== undefined && value.length < node.minItems) {
      issues.push({
        path,
        message:
          node.minItems === 1
            ? l10n.t('{0} needs at least 1 item', name)
            : l10n.t('{0} needs at least {1} items', name, node.minItems),
      });
    }
    if (node.maxItems !== undefined && value.length > node.maxItems) {
      issues.push({ path, message: l10n.t('{0} takes at most {1} items', name, node.maxItems) });
    }
    if (node.items) value.forEach((item, i) => check(item, node.items!, [...path, i], issues));
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value))
    checkObject(value, node, path, issues);
}

function checkBounds(
  value: number,
  node: SchemaNode,
  path: JSONPath,
  name: string,
  issues: SchemaIssue[],
): void {
  if (node.minimum !== undefined && value < node.minimum)
    issues.push({ path, message: l10n.t('{0} must be ≥ {1}', name, node.minimum) });
  if (node.maximum !== undefined && value > node.maximum)
    issues.push({ path, message: l10n.t('{0} must be ≤ {1}', name, node.maximum) });
  if (node.exclusiveMinimum !== undefined && value <= node.exclusiveMinimum) {
    issues.push({ path, message: l10n.t('{0} must be > {1}', name, node.exclusiveMinimum) });
  }
  if (node.exclusiveMaximum !== undefined && value >= node.exclusiveMaximum) {
    issues.push({ path, message: l10n.t('{0} must be < {1}', name, node.exclusiveMaximum) });
  }
}

function checkObject(value: object, node: SchemaNode, path: JSONPath, issues: SchemaIssue[]): void {
  const record = value as Record<string, unknown>;
  const required = [...(node.required ?? [])];
  for (const clause of node.allOf ?? []) {
    if (matchesCondition(value, clause.if)) required.push(...(clause.then.required ?? []));
  }
  for (const key of required) {
    if (!(key in record))
      issues.push({ path, message: l10n.t('{0} is missing "{1}"', fieldName(path), key) });
  }
  for (const [key, field] of Object.entries(record)) {
    const rule =
      node.properties?.[key] ??
      (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
    if (rule) check(field, rule, [...path, key], issues);
    else if (node.additionalProperties === false) {
      issues.push({
        path: [...path, key],
        message: l10n.t('unknown field "{0}" in {1}', key, fieldName(path)),
      });
    }
  }
}

function collect(value: unknown, node: SchemaNode, path: JSONPath): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  check(value, node, path, issues);
  return issues;
}

/** Every basic schema violation of a parsed experiment document, with the path to underline. */
export function schemaIssues(document: unknown): SchemaIssue[] {
  return collect(document, schema, []);
}

/**
 * What the schema says a setting at `path` is (`training.optimizer.learningRate`
 * as ['training', 'optimizer', 'learningRate'], list items by index): its JSON
 * types, or undefined when the schema has no such setting.
 */
export function settingTypes(path: JSONPath): string[] | undefined {
  let node: SchemaNode = resolve(schema);
  for (const segment of path) {
    const next = typeof segment === 'number' ? node.items : node.properties?.[segment];
    if (!next) return undefined;
    node = resolve(next);
  }
  return node.type === undefined ? [] : [node.type].flat();
}
