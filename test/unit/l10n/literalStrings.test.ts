/**
 * A static check over src/: text the user reads goes through `vscode.l10n.t` / `l10n.t`, never as a
 * literal. It looks where host code hands text to VS Code (notifications, pickers, input boxes,
 * dialogs, progress, status bar, tree items, panels, diagnostics, errors) and where validation
 * words its problems (diagnostics in the editor, errors in the CLI).
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

/** VS Code calls whose arguments (and the fields of their option objects) are shown. */
const SHOWING_CALLS = new Set([
  'showInformationMessage',
  'showWarningMessage',
  'showErrorMessage',
  'showQuickPick',
  'showInputBox',
  'showOpenDialog',
  'showSaveDialog',
  'showWorkspaceFolderPick',
  'withProgress',
  'report',
  'createOutputChannel',
  'appendLine',
]);
/** Calls through which the CLI prints to the terminal. */
const PRINTING_CALLS = new Set(['print', 'log', 'error', 'warn', 'write']);
/** Object fields VS Code shows, in any object literal of host code. */
const SHOWN_FIELDS = new Set([
  'title',
  'placeHolder',
  'prompt',
  'openLabel',
  'saveLabel',
  'label',
  'description',
  'detail',
  'tooltip',
  'message',
  'validateInput',
]);
/** Properties that, assigned, put text on screen (status bar items, tree items, panels). */
const SHOWN_PROPERTIES = new Set(['title', 'text', 'tooltip', 'description', 'name', 'message']);
/** Constructors whose text argument reaches the user: diagnostics and errors. */
const SHOWING_CONSTRUCTORS = /^(vscode\.)?(Diagnostic|\w*Error|CodeLens)$/;

/**
 * Whether a literal is text for people: letters left once `${…}` substitutions and `$(codicon)`
 * names are taken out, and not an identifier such as a command id or a file name.
 */
export function isUserText(text: string): boolean {
  const words = text.replace(/\$\([\w~-]+\)/g, '').replace(/\$\{[^}]*\}/g, '');
  if (!/[A-Za-z]/.test(words)) return false;
  return !/^[\w$.@/*-]+$/.test(words.trim()) || /^[A-Z][a-z]+$/.test(words.trim());
}

/** Literal texts inside an expression that end up as the expression's value. */
function literalTexts(node: ts.Node): ts.Node[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
    return isUserText(node.text) ? [node] : [];
  if (ts.isTemplateExpression(node)) {
    const text = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join('');
    return isUserText(text) ? [node] : [];
  }
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) return literalTexts(node.expression);
  if (ts.isConditionalExpression(node))
    return [...literalTexts(node.whenTrue), ...literalTexts(node.whenFalse)];
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken)
    return [...literalTexts(node.left), ...literalTexts(node.right)];
  if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) return literalTexts(node.body);
  if (ts.isArrayLiteralExpression(node)) return node.elements.flatMap(literalTexts);
  if (ts.isObjectLiteralExpression(node)) {
    return node.properties.flatMap((property) =>
      ts.isPropertyAssignment(property) && SHOWN_FIELDS.has(property.name.getText())
        ? literalTexts(property.initializer)
        : [],
    );
  }
  return [];
}

function calleeName(expression: ts.Expression): string {
  return ts.isPropertyAccessExpression(expression) ? expression.name.text : expression.getText();
}

/** `file:line: text` of each literal that reaches the user without l10n. */
export function literalsShown(file: string, source: string, host: boolean): string[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const found: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && SHOWING_CONSTRUCTORS.test(node.expression.getText())) {
      found.push(...(node.arguments ?? []).flatMap(literalTexts));
    } else if (
      ts.isCallExpression(node) &&
      (host ? SHOWING_CALLS : PRINTING_CALLS).has(calleeName(node.expression))
    ) {
      found.push(...node.arguments.flatMap(literalTexts));
    } else if (
      host &&
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      SHOWN_PROPERTIES.has(node.left.name.text)
    ) {
      found.push(...literalTexts(node.right));
    } else if (host && ts.isObjectLiteralExpression(node)) {
      found.push(...literalTexts(node));
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  // An option object is reached both as a call's argument and as an object literal: report it once.
  return [...new Set(found)].map((node) => {
    const { line } = sourceFile.getLineAndCharacterOfPosition(node.getStart());
    return `${file}:${line + 1}: ${node.getText().slice(0, 90)}`;
  });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Folders whose every error reaches the user (diagnostics, notifications, the CLI). */
const CHECKED_FOLDERS = ['src/extension', 'src/cli'];

test('host code and the CLI show no literal text: every message goes through l10n', () => {
  const found = CHECKED_FOLDERS.flatMap((folder) =>
    sourceFiles(folder).flatMap((file) =>
      literalsShown(file, readFileSync(file, 'utf8'), folder === 'src/extension'),
    ),
  );
  assert.deepEqual(found, []);
});

test('the check finds literal notifications, picker titles, status texts, diagnostics and errors', () => {
  const source = `
    vscode.window.showErrorMessage(\`Cannot train \${name}\`, 'Show Log');
    vscode.window.showQuickPick(items, { title: 'Pick a run', matchOnDescription: true });
    item.tooltip = 'Model Lab is training';
    item.text = \`$(sync~spin) \${progress}\`;
    new vscode.Diagnostic(range, 'bad layer', severity);
    throw new Error(ok ? 'all fine' : \`the file \${file} is missing\`);
    vscode.window.showInformationMessage(vscode.l10n.t('Exported {0}', path));
    vscode.commands.executeCommand('workbench.actions.view.problems');
    const view = vscode.window.createTreeView('modelLab.runs', { treeDataProvider });
  `;
  const lines = literalsShown('x.ts', source, true).map((hit) => hit.split(':')[1]);
  assert.deepEqual(lines, ['2', '2', '3', '4', '6', '7', '7']);
  assert.equal(isUserText('Export'), true);
  assert.equal(isUserText('modelLab.openMetrics'), false);
  assert.equal(isUserText('$(sync~spin) ${x}'), false);
});
