/**
 * Why an ONNX model cannot be imported. `kind` lets callers answer differently: the CLI's
 * `onnx check` exits 3 for 'unsupported' and 'shape', the editor names the file.
 */
export type ImportErrorKind = 'corrupt' | 'unsupported' | 'shape' | 'external-data' | 'no-parameters';

export class OnnxImportError extends Error {
  constructor(
    readonly kind: ImportErrorKind,
    message: string,
    /** Every unsupported node, when the model was refused for its ops. */
    readonly unsupported: UnsupportedNode[] = [],
  ) {
    super(message);
  }
}

export interface UnsupportedNode {
  opType: string;
  node: string;
  /** Position in graph order (0-based) and the node count, for "node 12 of 40". */
  index: number;
  /** What exactly is missing: the op itself, or one of its attributes / inputs. */
  reason: string;
}
