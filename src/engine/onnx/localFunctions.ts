/**
 * Model-local functions (ModelProto.functions): an exporter may write a module or an op's
 * decomposition once, as a function, and call it as a node of the function's domain. PyTorch
 * 2.1 to 2.4's dynamo exporter wrote every nn.Module so, onnxscript's torch_lib its aten ops, and
 * TorchScript's exporter does with export_modules_as_functions. The importer reads the graph with
 * each call replaced by the function's body (recursively): the function's inputs and outputs are
 * the call's, its other values get names of their own under the call's name, and an attribute
 * that refers to one of the call's (ref_attr_name) takes the call's value, or is left out (the
 * op's default) when the call does not give it.
 */
import type { onnx } from 'onnx-proto';
import { OnnxImportError } from './importError';

/** Deeper nesting than this is a function that calls itself. */
const MAX_DEPTH = 64;

export function inlineFunctions(
  nodes: onnx.INodeProto[],
  functions: onnx.IFunctionProto[],
): onnx.INodeProto[] {
  if (functions.length === 0) return nodes;
  const byOp = new Map(functions.map((f) => [`${f.domain ?? ''}\n${f.name ?? ''}`, f]));
  let calls = 0;
  const expand = (node: onnx.INodeProto, depth: number): onnx.INodeProto[] => {
    const fn = byOp.get(`${node.domain ?? ''}\n${node.opType ?? ''}`);
    if (!fn) return [node];
    if (depth >= MAX_DEPTH)
      throw new OnnxImportError(
        'unsupported',
        `the function ${fn.name} (domain ${fn.domain}) calls itself, ${MAX_DEPTH} levels deep: the file cannot be flattened`,
      );
    const scope = `${node.name || fn.name}#${calls++}/`;
    const renamed = new Map<string, string>();
    (fn.input ?? []).forEach((formal, i) => renamed.set(formal, node.input?.[i] ?? ''));
    (fn.output ?? []).forEach((formal, i) => renamed.set(formal, node.output?.[i] || `${scope}${formal}`));
    const name = (value: string) => (value === '' ? '' : (renamed.get(value) ?? `${scope}${value}`));
    const given = new Map((node.attribute ?? []).map((a) => [a.name ?? '', a]));
    return (fn.node ?? []).flatMap((inner) =>
      expand(
        {
          ...inner,
          name: `${scope}${inner.name || inner.opType}`,
          input: (inner.input ?? []).map(name),
          output: (inner.output ?? []).map(name),
          attribute: (inner.attribute ?? []).flatMap((a) => {
            if (!a.refAttrName) return [a];
            const value = given.get(a.refAttrName);
            return value ? [{ ...value, name: a.name }] : [];
          }),
        },
        depth + 1,
      ),
    );
  };
  return nodes.flatMap((node) => expand(node, 0));
}
