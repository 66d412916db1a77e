/**
 * Whether WebGPU can start at all on Linux. onnxruntime's WebGPU provider runs on
 * Dawn, whose only Linux backend is Vulkan. Without a Vulkan loader (libvulkan.so.1)
 * Dawn writes "Warning: Couldn't load Vulkan … at operator() (…/BackendVk.cpp:368)"
 * straight to the process's stderr from C++, where no JavaScript can catch it, and
 * then finds no adapter. Looking for the loader first keeps that warning out of the
 * terminal and says the same in the device line. With a loader but no GPU device node
 * (a machine or container without a GPU, where Mesa's drivers leave only lavapipe, Vulkan on
 * the CPU), Dawn likewise prints its own complaints ("XDG_RUNTIME_DIR is invalid", "Vulkan
 * shaderUniform*ArrayDynamicIndexing required … PhysicalDeviceVk.cpp") before finding no
 * adapter it accepts; so a GPU must be reachable too: a DRM render node (/dev/dri/renderD*),
 * NVIDIA's device files, or WSL's /dev/dxg. Elsewhere (Windows: D3D12, macOS: Metal) the
 * provider is simply tried.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const VULKAN_LOADER = 'libvulkan.so.1';

/** Where the dynamic loader looks besides LD_LIBRARY_PATH and its cache (Debian, Fedora, Arch layouts). */
const SYSTEM_DIRS = [
  '/lib',
  '/lib64',
  '/usr/lib',
  '/usr/lib64',
  '/usr/local/lib',
  '/lib/x86_64-linux-gnu',
  '/usr/lib/x86_64-linux-gnu',
  '/lib/aarch64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
];

export interface LoaderLookup {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  exists(path: string): boolean;
  /** /etc/ld.so.cache, or undefined when unreadable. */
  loaderCache(): Buffer | undefined;
  /** The names in a folder, none when it cannot be read. */
  entries(dir: string): string[];
}

/** Device files through which Vulkan reaches a GPU: NVIDIA's driver, WSL's GPU. */
const GPU_DEVICE_FILES = ['/dev/nvidiactl', '/dev/nvidia0', '/dev/dxg'];

const systemLookup: LoaderLookup = {
  platform: process.platform,
  env: process.env,
  exists: existsSync,
  loaderCache: () => {
    try {
      return readFileSync('/etc/ld.so.cache');
    } catch {
      return undefined;
    }
  },
  entries: (dir) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
};

/** Why WebGPU cannot start here, or undefined when it may (then the provider itself is tried). */
export function webgpuUnavailableReason(lookup: LoaderLookup = systemLookup): string | undefined {
  if (lookup.platform !== 'linux') return undefined;
  const dirs = [...(lookup.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean), ...SYSTEM_DIRS];
  const loader =
    dirs.some((dir) => lookup.exists(join(dir, VULKAN_LOADER))) ||
    lookup.loaderCache()?.includes(VULKAN_LOADER) === true;
  if (!loader) return `no Vulkan driver (${VULKAN_LOADER} not found), which WebGPU needs on Linux`;
  const gpu =
    lookup.entries('/dev/dri').some((name) => name.startsWith('renderD')) ||
    GPU_DEVICE_FILES.some((file) => lookup.exists(file));
  return gpu ? undefined : 'no GPU device (no /dev/dri render node or NVIDIA device), which WebGPU needs';
}
