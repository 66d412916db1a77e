import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { openOnDevice } from '../../../src/engine/runtime/devices';
import { webgpuUnavailableReason, type LoaderLookup } from '../../../src/engine/runtime/vulkanLibrary';
import { modelLab } from '../../fixtures/modelLabCli';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** A Linux machine with these files, loader cache and render nodes (the names in /dev/dri). */
const lookup = (
  files: string[],
  cache = '',
  env: NodeJS.ProcessEnv = {},
  renderNodes = ['card0', 'renderD128'],
): LoaderLookup => ({
  platform: 'linux',
  env,
  exists: (path) => files.includes(path),
  loaderCache: () => Buffer.from(cache),
  entries: (dir) => (dir === '/dev/dri' ? renderNodes : []),
});

test('WebGPU is not tried on Linux without a Vulkan loader, and the device line says why', async () => {
  assert.match(webgpuUnavailableReason(lookup([])) ?? '', /no Vulkan driver \(libvulkan\.so\.1 not found\)/);
  assert.equal(webgpuUnavailableReason(lookup(['/usr/lib/x86_64-linux-gnu/libvulkan.so.1'])), undefined);
  assert.equal(webgpuUnavailableReason(lookup([], '\0libvulkan.so.1\0/opt/x/libvulkan.so.1')), undefined);
  assert.equal(
    webgpuUnavailableReason(lookup(['/opt/vk/libvulkan.so.1'], '', { LD_LIBRARY_PATH: '/opt/vk' })),
    undefined,
  );
  assert.equal(webgpuUnavailableReason({ ...lookup([]), platform: 'win32' }), undefined);
  // A loader (Mesa's drivers installed) but no GPU to reach: lavapipe only, which Dawn refuses.
  const loader = '/usr/lib/x86_64-linux-gnu/libvulkan.so.1';
  assert.match(
    webgpuUnavailableReason(lookup([loader], '', {}, [])) ?? '',
    /no GPU device \(no \/dev\/dri render node or NVIDIA device\)/,
  );
  assert.equal(webgpuUnavailableReason(lookup([loader, '/dev/nvidiactl'], '', {}, [])), undefined);
  assert.equal(webgpuUnavailableReason(lookup([loader, '/dev/dxg'], '', {}, [])), undefined);

  const tried: string[] = [];
  const { report } = await openOnDevice(
    new Uint8Array(),
    'webgpu',
    async (_model, providers) => {
      tried.push(providers[0]);
      if (providers[0] !== 'cpu') throw new Error('no such provider');
      return {} as never;
    },
    (provider) => (provider === 'webgpu' ? 'no Vulkan driver' : undefined),
  );
  assert.deepEqual(tried, ['cpu'], 'WebGPU is skipped, not opened');
  assert.match(report.message, /WebGPU unavailable: no Vulkan driver\. Fell back to the CPU\./);
});

test('model-lab train --device webgpu on a machine without a GPU prints no native Vulkan warning', () => {
  const runsDir = mkdtempSync(join(tmpdir(), 'modellab-auto-'));
  try {
    const wine = resolve(__dirname, '../../../templates/mlp-wine/wine-mlp.experiment.json');
    const run = modelLab('train', wine, '--runs-dir', runsDir, '--device', 'webgpu', '--max-steps', '1');
    assert.equal(run.status, 0, run.stderr);
    // Dawn's own words ("Warning: Couldn't load Vulkan … BackendVk.cpp:368") are not printed…
    assert.doesNotMatch(run.stderr, /Couldn't load Vulkan|\.cpp:\d+/);
    // …the device line says where the run trains and why (the CLI reports progress on stderr).
    const deviceLine = /^Training on (\w+) \((.*)\);/m.exec(run.stderr);
    assert.ok(deviceLine, run.stderr);
    if (deviceLine[1] === 'cpu') assert.match(deviceLine[2], /WebGPU unavailable: /);
  } finally {
    rmSync(runsDir, { recursive: true, force: true });
  }
});
