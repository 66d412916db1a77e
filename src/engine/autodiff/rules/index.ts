/**
 * The gradient rule table: one entry per op type, gathered from the files by op family.
 * To support a new op, add its rule to the family file (or a new one) and a
 * finite-difference check in test/unit/engine/gradients.test.ts.
 */
import type { GradRule } from '../gradRule';
import { CONV_RULES } from './conv';
export { COMPOSITE_RULES } from './composite';
import { ELEMENTWISE_RULES } from './elementwise';
import { LINEAR_RULES } from './linear';
import { SCAN_RULES } from './scan';
import { SHAPE_RULES } from './shape';

export const RULES: Record<string, GradRule> = {
  ...ELEMENTWISE_RULES,
  ...SHAPE_RULES,
  ...LINEAR_RULES,
  ...CONV_RULES,
  ...SCAN_RULES,
};

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
  'And',
  'Not',
  'OneHot',
  'ArgMax',
  'ConstantOfShape',
  'Range',
  'RandomUniformLike',
  'RandomNormalLike',
  'Floor',
  'Sign',
  'Mod',
]);
