// A measured figure a test reports beside its result: the runner prints it under the test's line
// (index.ts carries it in the results file). Figures are reported, never asserted on: timings
// depend on the machine.
import type { Runnable } from 'mocha';

export interface ReportingTest extends Runnable {
  report?: string;
}

export function reportFigure(context: Mocha.Context, text: string): void {
  const test = context.test as ReportingTest | undefined;
  if (test) test.report = test.report ? `${test.report}; ${text}` : text;
}
