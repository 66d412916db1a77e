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

/** Where text reaches people, per kind of code: the calls whose arguments are shown, and the fields and properties. */
interface Profile {
  /** Calls whose arguments (and the shown fields of their option objects) are shown or printed. */
  calls: ReadonlySet<string>;
  /** Object fields that are shown, in any object literal; none for code that only prints. */
  fields: ReadonlySet<string>;
  /** Properties that, assigned, put text on screen. */
  properties: ReadonlySet<string>;
  /** Whether errors thrown here reach the user (they do, except inside the engine's graph building). */
  errors?: false;
}

/** Extension host: notifications, pickers, input boxes, dialogs, progress, output, status bar, tree items, panels. */
const HOST: Profile = {
  calls: new Set([
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
    // The panel commands' run picker: its second argument is the picker's title.
    'oneRun',
  ]),
  fields: new Set([
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
  ]),
  properties: new Set(['title', 'text', 'tooltip', 'description', 'name', 'message']),
};
/** The CLI: what it prints to the terminal. */
const CLI: Profile = {
  calls: new Set([
    'print',
    'log',
    'error',
    'warn',
    'write',
    'description',
    'option',
    'requiredOption',
    'argument',
  ]),
  fields: new Set(),
  properties: new Set(),
};
/** Webviews: elements built with h() / element() and their labels, text set on nodes, chart titles. */
const WEBVIEW: Profile = {
  calls: new Set(['h', 'element', 'row', 'button', 'setAttribute', 'lineDataset']),
  fields: new Set(['title', 'label', 'aria-label', 'placeholder', 'text']),
  properties: new Set(['textContent', 'title', 'placeholder', 'label']),
};
/** Validation and data loading: problems added to a report, and the messages and reasons they carry. */
const VALIDATION: Profile = {
  calls: new Set(['add']),
  fields: new Set(['message', 'reason']),
  properties: new Set(),
};
/** The training process and the run folder: log lines, outcomes and errors the user reads. */
const TRAINING: Profile = {
  calls: new Set(['log', 'finish', 'appendLog', 'fail']),
  fields: new Set(['message', 'error', 'reason']),
  properties: new Set(['stopCause']),
};
/**
 * The engine's layer catalog: the shape problems validation reports as diagnostics. Errors thrown
 * while building a graph are not checked: validation has refused such models before any is built.
 */
const LAYER_SHAPES: Profile = {
  calls: new Set(),
  fields: new Set(['message']),
  properties: new Set(),
  errors: false,
};
/**
 * Constructors whose text argument reaches the user: diagnostics, errors, CodeLenses. RangeError and
 * TypeError are left out: they state a programming invariant (a caller's bug), never the user's input.
 */
const SHOWING_CONSTRUCTORS = /^(vscode\.)?(Diagnostic|CodeLens|(?!Range|Type)\w*Error)$/;

/**
 * Whether a literal is text for people: letters left once `${…}` substitutions and `$(codicon)`
 * names are taken out, and not an identifier such as a command id or a file name.
 */
export function isUserText(text: string): boolean {
  const words = text.replace(/\$\([\w~-]+\)/g, '').replace(/\$\{[^}]*\}/g, '');
  if (!/[A-Za-z]/.test(words)) return false;
  // A command-line flag or argument name ('--runs-dir <dir>', '--size <axis=n>', '<experiment>') is syntax, not text.
  if (/^(--?[\w-]+(\s+<[\w=-]+>)?|<[\w-]+>)$/.test(words.trim())) return false;
  return !/^[\w$.@/*-]+$/.test(words.trim()) || /^[A-Z][a-z]+$/.test(words.trim());
}

/** Literal texts inside an expression that end up as the expression's value. */
function literalTexts(node: ts.Node, fields: ReadonlySet<string>): ts.Node[] {
  const inner = (child: ts.Node): ts.Node[] => literalTexts(child, fields);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
    return isUserText(node.text) ? [node] : [];
  if (ts.isTemplateExpression(node)) {
    const text = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join('');
    return isUserText(text) ? [node] : [];
  }
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) return inner(node.expression);
  if (ts.isConditionalExpression(node)) return [...inner(node.whenTrue), ...inner(node.whenFalse)];
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken)
    return [...inner(node.left), ...inner(node.right)];
  if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) return inner(node.body);
  if (ts.isArrayLiteralExpression(node)) return node.elements.flatMap(inner);
  if (ts.isObjectLiteralExpression(node)) {
    return node.properties.flatMap((property) =>
      ts.isPropertyAssignment(property) && fields.has(propertyName(property.name))
        ? inner(property.initializer)
        : [],
    );
  }
  return [];
}

/** `title` for `title:` and `'aria-label'` for `'aria-label':`. */
function propertyName(name: ts.PropertyName): string {
  return ts.isStringLiteral(name) || ts.isIdentifier(name) ? name.text : name.getText();
}

function calleeName(expression: ts.Expression): string {
  return ts.isPropertyAccessExpression(expression) ? expression.name.text : expression.getText();
}

/** `file:line: text` of each literal that reaches the user without l10n. */
export function literalsShown(file: string, source: string, profile: Profile): string[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const found: ts.Node[] = [];
  const texts = (node: ts.Node): ts.Node[] => literalTexts(node, profile.fields);
  const visit = (node: ts.Node): void => {
    if (
      profile.errors !== false &&
      ts.isNewExpression(node) &&
      SHOWING_CONSTRUCTORS.test(node.expression.getText())
    ) {
      found.push(...(node.arguments ?? []).flatMap(texts));
    } else if (ts.isCallExpression(node) && profile.calls.has(calleeName(node.expression))) {
      found.push(...node.arguments.flatMap(texts));
    } else if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      profile.properties.has(node.left.name.text)
    ) {
      found.push(...texts(node.right));
    } else if (ts.isObjectLiteralExpression(node)) {
      found.push(...texts(node));
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

/** Code whose text reaches the user, each with where it shows text. */
const CHECKED: [string, Profile][] = [
  ['src/extension', HOST],
  ['src/cli', CLI],
  ['webview', WEBVIEW],
  ['src/experiment', VALIDATION],
  ['src/data', VALIDATION],
  ['src/engine/layers', LAYER_SHAPES],
  ['src/trainer', TRAINING],
  ['src/runs', TRAINING],
];

/**
 * Files that landed with literal text while Model Lab's l10n was being built, not translated yet.
 * Each listed file still has literal text (the test fails once a file is translated and still
 * listed, so this list only shrinks); every other file is checked in full. It is empty now: every
 * file is checked.
 */
const NOT_YET_TRANSLATED = new Set<string>([]);

test('host code, the CLI, the webviews, validation and data loading show no literal text: every message goes through l10n', () => {
  const found = CHECKED.flatMap(([folder, profile]) =>
    sourceFiles(folder).flatMap((file) => literalsShown(file, readFileSync(file, 'utf8'), profile)),
  );
  assert.deepEqual(
    found.filter((hit) => !NOT_YET_TRANSLATED.has(hit.split(':')[0])),
    [],
  );
  const pending = new Set(found.map((hit) => hit.split(':')[0]));
  assert.deepEqual(
    [...NOT_YET_TRANSLATED].filter((file) => !pending.has(file)),
    [],
    'translated files leave the list',
  );
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
  const lines = literalsShown('x.ts', source, HOST).map((hit) => hit.split(':')[1]);
  assert.deepEqual(lines, ['2', '2', '3', '4', '6', '7', '7']);
  assert.equal(isUserText('Export'), true);
  assert.equal(isUserText('modelLab.openMetrics'), false);
  assert.equal(isUserText('$(sync~spin) ${x}'), false);
});

test('the check finds literal text in webview elements and in what the CLI prints', () => {
  const webview = `
    const bar = h('div', { class: 'toolbar', 'aria-label': 'Chart settings' }, h('span', {}, 'Smoothing'));
    status.textContent = \`\${points} points in all\`;
    h('vscode-button', { id: 'play', secondary: '' }, l10n.t('Play'));
    el.setAttribute('aria-label', 'Remove run');
  `;
  const lines = literalsShown('w.ts', webview, WEBVIEW).map((hit) => hit.split(':')[1]);
  assert.deepEqual(lines, ['2', '2', '3', '5']);
  const cli = `
    console.error(\`Run folder: \${dir}\`);
    process.stdout.write(JSON.stringify(report) + '\\n');
  `;
  assert.deepEqual(
    literalsShown('c.ts', cli, CLI).map((hit) => hit.split(':')[1]),
    ['2'],
  );
});
