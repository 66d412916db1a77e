/**
 * onnx-proto's message classes, loaded on first use. The extension host reads ONNX files only
 * when one is opened or imported, and loading onnx-proto (with protobufjs under it) took about
 * a quarter of the extension's module load; the build ships it as a bundle of its own
 * (`dist/vendor/onnx-proto.js`, scripts/nodeBundles.mjs) that this `require` reaches when called.
 */
import type { onnx } from 'onnx-proto';

let loaded: typeof onnx | undefined;

export function onnxProto(): typeof onnx {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import would load it at startup
  return (loaded ??= (require('onnx-proto') as typeof import('onnx-proto')).onnx);
}

/**
 * A ModelProto from the bytes of a .onnx file. A Node Buffer is read through a plain Uint8Array
 * view of the same memory: protobufjs 6 makes each empty bytes field of a Buffer with
 * `new Buffer(0)`, which prints Node's Buffer() deprecation warning to the user's terminal.
 */
export function decodeModel(bytes: Uint8Array): onnx.ModelProto {
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return onnxProto().ModelProto.decode(view);
}
