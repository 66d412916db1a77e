/**
 * An Einsum equation (torch.einsum) read into labels per axis: each operand's axes and the
 * output's, as the ONNX spec defines them.
 *  - Letters name axes; `...` stands for the axes a term's letters leave over. Ellipsis axes are
 *    aligned from the right across operands (numpy broadcasting) and labelled `…0`, `…1`, …
 *    counted over the widest ellipsis, so the same label means the same broadcast axis.
 *  - Without `->`, the output is the ellipsis axes, then the letters used exactly once, in
 *    ASCII order (capitals first), as numpy orders them; onnxruntime runs no implicit output
 *    with a capital letter.
 *  - An explicit output has '...' exactly when an operand has (onnxruntime's rule; torch.einsum
 *    would sum the ellipsis axes).
 *  - Whitespace is ignored.
 */

export interface EinsumLabels {
  /** Each operand's axis labels, one per axis of its value. */
  operands: string[][];
  output: string[];
}

const ELLIPSIS = '...';

/** A term's letters before and after its ellipsis, if it has one. */
interface Term {
  before: string[];
  after: string[];
  ellipsis: boolean;
}

function parseTerm(term: string, where: string): Term {
  const parts = term.split(ELLIPSIS);
  if (parts.length > 2) throw new Error(`${where} has more than one '...'`);
  const letters = (s: string) => {
    const bad = [...s].find((ch) => !/[A-Za-z]/.test(ch));
    if (bad !== undefined)
      throw new Error(`${where} has the character '${bad}'; only letters and '...' name axes`);
    return [...s];
  };
  return {
    before: letters(parts[0]),
    after: parts.length === 2 ? letters(parts[1]) : [],
    ellipsis: parts.length === 2,
  };
}

/** Checks the equation's syntax against the operand count; the labels need the ranks (einsumLabels). */
export function parseEinsum(equation: string, operandCount: number): { inputs: Term[]; output?: Term } {
  const compact = equation.replace(/\s+/g, '');
  const sides = compact.split('->');
  if (sides.length > 2) throw new Error(`the equation '${equation}' has more than one '->'`);
  const terms = sides[0].split(',');
  if (terms.length !== operandCount)
    throw new Error(
      `the equation '${equation}' names ${terms.length} operand(s) but the node has ${operandCount}`,
    );
  const inputs = terms.map((t, i) => parseTerm(t, `operand ${i + 1} ('${t}') of '${equation}'`));
  if (sides.length === 1) return { inputs };
  const output = parseTerm(sides[1], `the output ('${sides[1]}') of '${equation}'`);
  const seen = new Set<string>();
  const used = new Set(inputs.flatMap((t) => [...t.before, ...t.after]));
  for (const letter of [...output.before, ...output.after]) {
    if (seen.has(letter)) throw new Error(`the output of '${equation}' repeats the letter ${letter}`);
    if (!used.has(letter))
      throw new Error(`the output of '${equation}' has the letter ${letter}, which no operand has`);
    seen.add(letter);
  }
  if (output.ellipsis !== inputs.some((t) => t.ellipsis))
    throw new Error(
      output.ellipsis
        ? `the output of '${equation}' has '...' but no operand has`
        : // onnxruntime, which runs the exported file, refuses it too.
          `operands of '${equation}' have '...' but its output has none: keep '...' in the output and sum those axes after the einsum`,
    );
  return { inputs, output };
}

/** The axis labels of each operand of the given ranks, and of the output. */
export function einsumLabels(equation: string, ranks: number[]): EinsumLabels {
  const { inputs, output } = parseEinsum(equation, ranks.length);
  const spare = inputs.map((t, i) => {
    const named = t.before.length + t.after.length;
    const left = ranks[i] - named;
    if (left < 0 || (!t.ellipsis && left !== 0))
      throw new Error(
        `operand ${i + 1} of '${equation}' has rank ${ranks[i]} but its term names ${named} ax${named === 1 ? 'is' : 'es'}`,
      );
    return left;
  });
  const widest = Math.max(0, ...spare);
  const ellipsisLabels = (count: number) => Array.from({ length: count }, (_, j) => `…${widest - count + j}`);
  const operands = inputs.map((t, i) => [...t.before, ...ellipsisLabels(spare[i]), ...t.after]);
  if (output)
    return {
      operands,
      output: [...output.before, ...(output.ellipsis ? ellipsisLabels(widest) : []), ...output.after],
    };
  const counts = new Map<string, number>();
  for (const t of inputs) for (const l of [...t.before, ...t.after]) counts.set(l, (counts.get(l) ?? 0) + 1);
  const once = [...counts].filter(([, n]) => n === 1).map(([l]) => l);
  return { operands, output: [...ellipsisLabels(widest), ...once.sort()] };
}
