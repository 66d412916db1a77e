/**
 * Asks for the length of each named axis of an imported model's example: an export with a
 * dynamic sequence length (or image height and width) leaves it open, and fine-tuning or
 * evaluating needs one. One input box per axis, a whole number ≥ 1; undefined when cancelled.
 */
import * as vscode from 'vscode';

export interface AxisQuestion {
  title: (axis: string) => string;
  prompt: (axis: string) => string;
}

export async function askAxisSizes(
  axes: readonly string[],
  question: AxisQuestion,
): Promise<Record<string, number> | undefined> {
  const sizes: Record<string, number> = {};
  for (const axis of axes) {
    const answer = await vscode.window.showInputBox({
      title: question.title(axis),
      prompt: question.prompt(axis),
      // Hugging Face's tokenizers often pad or cut to 128 tokens in examples and tutorials.
      value: '128',
      ignoreFocusOut: true,
      validateInput: (text) =>
        /^[1-9]\d*$/.test(text.trim()) ? undefined : vscode.l10n.t('Give a whole number ≥ 1.'),
    });
    if (answer === undefined) return undefined;
    sizes[axis] = Number(answer.trim());
  }
  return sizes;
}
