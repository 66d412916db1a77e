/**
 * Whether WebGPU can start at all on Linux. onnxruntime's WebGPU provider runs on
 * Dawn, whose only Linux backend is Vulkan. Without a Vulkan loader (libvulkan.so.1)
 * Dawn writes "Warning: Couldn't load Vulkan … at operator() (…/BackendVk.cpp:368)"
 * straight to the process's stderr from C++, where no JavaScript can catch it, and
 * then finds no adapter. Looking for the loader first keeps that warning out of the
 * terminal and says the same in the device line. Elsewhere (Windows: D3D12, macOS:
 * Metal) the provider is simply tried.
 */
import { existsSync, readFileSync } from 'node:fs';
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
}

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
};

/** Why WebGPU cannot start here, or undefined when it may (then the provider itself is tried). */
export function webgpuUnavailableReason(lookup: LoaderLookup = systemLookup): string | undefined {
  if (lookup.platform !== 'linux') return undefined;
  const dirs = [...(lookup.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean), ...SYSTEM_DIRS];
  if (dirs.some((dir) => lookup.exists(join(dir, VULKAN_LOADER)))) return undefined;
  if (lookup.loaderCache()?.includes(VULKAN_LOADER)) return undefined;
  return `no Vulkan driver (${VULKAN_LOADER} not found), which WebGPU needs on Linux`;
}
