/**
 * The ONNX importer (./onnx: reading a .onnx file, planning what trains, the model's summary),
 * loaded on first use. With the autodiff rules and the graph builder under it, it was a third of
 * the extension host's bundle, which the editor reads and compiles at startup, while only an
 * opened or imported ONNX model needs it. The build ships it to the editor as a bundle of its own
 * (`dist/onnx-importer.js`, scripts/nodeBundles.mjs) that this `require` reaches when called; the
 * training process and the CLI bundle it inline. Types are imported statically: they cost nothing.
 */
import type * as Importer from './onnx';

let loaded: typeof Importer | undefined;

export function onnxImporter(): typeof Importer {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import would load it at startup
  return (loaded ??= require('./onnx') as typeof Importer);
}
