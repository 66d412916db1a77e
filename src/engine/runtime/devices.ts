/**
 * Device selection: 'cpu' | 'cuda' | 'webgpu' | 'auto' → onnxruntime execution providers.
 * A requested GPU that fails to start (no provider library, no adapter) falls back to the
 * CPU with a message in the DeviceReport; it never crashes training.
 * 'auto' tries CUDA, then the CPU. WebGPU runs only when asked for: on an NVIDIA H200 it trained
 * every template at its own batch size 3–60× slower than the machine's 16 CPU cores, and only the
 * Transformer at 8× its batch faster (1.36×; `npm run bench:gpu`), so a user who has not chosen
 * it should not get it.
 */
import * as l10n from '@vscode/l10n';
import type { DeviceName, DeviceReport } from '../../contract/devices';
import { openSession, type ProviderName, type Session } from './session';
import { webgpuUnavailableReason } from './vulkanLibrary';

const CANDIDATES: Record<DeviceName, ProviderName[]> = {
  cpu: [],
  cuda: ['cuda'],
  webgpu: ['webgpu'],
  auto: ['cuda'],
};

const LABEL: Record<ProviderName, string> = { cpu: 'CPU', cuda: 'CUDA', webgpu: 'WebGPU' };

export interface DeviceSession {
  session: Session;
  providers: ProviderName[];
  report: DeviceReport;
}

/** Why a provider cannot start here, known before trying it (and before it prints native warnings). */
export type ProviderPreflight = (provider: ProviderName) => string | undefined;

const preflight: ProviderPreflight = (provider) =>
  provider === 'webgpu' ? webgpuUnavailableReason() : undefined;

/** `model` may depend on the provider tried (WebGPU graphs avoid MaxPool Indices). */
export async function openOnDevice(
  model: Uint8Array | ((provider: ProviderName) => Uint8Array),
  requested: DeviceName,
  open: (model: Uint8Array, providers: ProviderName[]) => Promise<Session> = openSession,
  cannotStart: ProviderPreflight = preflight,
): Promise<DeviceSession> {
  const failures: string[] = [];
  for (const provider of CANDIDATES[requested] ?? []) {
    const reason = cannotStart(provider);
    if (reason) {
      failures.push(`${LABEL[provider]} unavailable: ${reason}`);
      continue;
    }
    try {
      const providers: ProviderName[] = [provider, 'cpu'];
      const session = await open(typeof model === 'function' ? model(provider) : model, providers);
      return {
        session,
        providers,
        report: {
          requested,
          chosen: provider,
          message: l10n.t('Training on {0} ({1} execution provider).', LABEL[provider], provider),
        },
      };
    } catch (error) {
      failures.push(l10n.t('{0} unavailable: {1}', LABEL[provider], firstLine(error)));
    }
  }
  const session = await open(typeof model === 'function' ? model('cpu') : model, ['cpu']);
  const why = failures.length
    ? l10n.t('{0}. Fell back to the CPU.', failures.join('; '))
    : l10n.t('Training on the CPU.');
  return { session, providers: ['cpu'], report: { requested, chosen: 'cpu', message: why } };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n')[0];
  // onnxruntime prefixes messages with source locations and failed checks; keep the readable tail.
  const markers = [' : ', ' was false. '];
  const cut = Math.max(
    ...markers.map((m) => (line.lastIndexOf(m) >= 0 ? line.lastIndexOf(m) + m.length : 0)),
  );
  const tail = line.slice(cut);
  return tail.length > 200 ? `${tail.slice(0, 200)}…` : tail;
}
