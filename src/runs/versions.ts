/** Versions recorded in run.json, so a run says what produced it. */
import { createRequire } from 'node:module';
import packageJson from '../../package.json';
import type { RunInfo } from './runFiles';

export function currentVersions(): RunInfo['versions'] {
  let onnxruntime = 'unknown';
  try {
    // Resolved at run time next to the bundle: onnxruntime-node stays outside it.
    onnxruntime = (createRequire(__filename)('onnxruntime-node/package.json') as { version: string }).version;
  } catch {
    // Recorded as unknown; training itself reports a missing runtime clearly.
  }
  return { modelLab: packageJson.version, onnxruntime, node: process.version };
}
