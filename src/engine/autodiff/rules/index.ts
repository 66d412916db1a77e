/**
 * The gradient rules, one table: op types (rules by op family in this folder) and composites
 * named by Node.composite.rule (Gelu, the training conv2d, the imported BatchNormalization, the
 * recurrent layers' Scans), all looked up the same way. A key given twice is an error, not a
 * silent overwrite. To support a new op, add its rule to the family file (or a new family listed
 * here) and a finite-difference check in test/unit/engine/gradients.test.ts.
 */
import { gruScanRule } from '../../recurrent/gru';
import { lstmScanRule } from '../../recurrent/lstm';
import type { GradRule } from '../gradRule';
import { ACTIVATION_RULES } from './activations';
import { COMPOSITE_RULES } from './composite';
import { CONV_RULES } from './conv';
import { ELEMENTWISE_RULES } from './elementwise';
import { LINEAR_RULES } from './linear';
import { SHAPE_RULES } from './shape';

/** Joins rule families into one table; throws when two families give a rule for the same key. */
export function ruleTable(families: Record<string, GradRule>[]): ReadonlyMap<string, GradRule> {
  const table = new Map<string, GradRule>();
  for (const family of families) {
    for (const [key, rule] of Object.entries(family)) {
      if (table.has(key)) throw new Error(`two gradient rules for ${key}: each op or composite has one`);
      table.set(key, rule);
    }
  }
  return table;
}

export const GRADIENT_RULES = ruleTable([
  ELEMENTWISE_RULES,
  ACTIVATION_RULES,
  SHAPE_RULES,
  LINEAR_RULES,
  CONV_RULES,
  COMPOSITE_RULES,
  { lstm: lstmScanRule, gru: gruScanRule },
]);

/**
 * Ops through which no gradient flows: comparisons, integer and index arithmetic, constants,
 * and piecewise-constant functions (gradient zero almost everywhere).
 */
export const NO_GRADIENT = new Set([
  'Shape',
  'Size',
  'Equal',
  'Less',
  'Greater',
  'GreaterOrEqual',
  'LessOrEqual',
  'And',
  'Not',
  'Or',
  'Xor',
  'OneHot',
  'ArgMax',
  'ConstantOfShape',
  'Range',
  'RandomUniformLike',
  'RandomNormalLike',
  'Floor',
  'Sign',
  'Ceil',
  'Round',
  'Mod',
  'IsInf',
  'IsNaN',
]);
