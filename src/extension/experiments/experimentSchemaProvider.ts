/**
 * Serves the experiment schema to VS Code's JSON language service in the display language, for
 * completion and hover (validation stays with Model Lab's diagnostics):
 * package.json's jsonValidation points `*.experiment.json` at `modellab-schema:/experiment.schema.json`,
 * and the JSON extension reads schemas of other schemes with openTextDocument, which lands here
 * (the approach VS Code's JSON maintainers recommend for localized schemas, microsoft/vscode#78737).
 * Reading the URI activates Model Lab (activation event onFileSystem:modellab-schema).
 */
import * as vscode from 'vscode';
import { hintOnlySchema } from './hintSchema';
import { localizeSchema } from './localizedSchema';

export const SCHEMA_SCHEME = 'modellab-schema';

export function registerExperimentSchema(extensionUri: vscode.Uri): vscode.Disposable {
  const read = async (name: string): Promise<unknown> =>
    JSON.parse(
      new TextDecoder().decode(
        await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'schemas', name)),
      ),
    );
  return vscode.workspace.registerTextDocumentContentProvider(SCHEMA_SCHEME, {
    async provideTextDocumentContent() {
      const schema = await read('experiment.schema.json');
      const translations = await read(
        `experiment.schema.nls.${vscode.env.language.toLowerCase()}.json`,
      ).catch(() => ({}));
      // Hints only: Model Lab's own diagnostics report schema breaks, once each (hintSchema.ts).
      return JSON.stringify(
        hintOnlySchema(localizeSchema(schema, translations as Record<string, string>)),
        null,
        2,
      );
    },
  });
}
