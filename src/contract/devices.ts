/**
 * Devices: the names a user may ask for (experiment `training.device`, the
 * `modelLab.device` setting, `model-lab train --device`) and the report of
 * what actually ran. The schema and package.json list the same names; a unit
 * test keeps them equal to `DEVICE_NAMES`.
 */
import { isRecord, isString } from './guards';

export const DEVICE_NAMES = ['auto', 'cpu', 'webgpu', 'cuda'] as const;
export type DeviceName = (typeof DEVICE_NAMES)[number];

/** A device that really runs: 'auto' resolves to one of these. */
export type ChosenDevice = Exclude<DeviceName, 'auto'>;

export interface DeviceReport {
  requested: DeviceName;
  /** What actually runs: 'cpu', 'webgpu' or 'cuda'. */
  chosen: ChosenDevice;
  /** Why the request fell back, or which adapter was picked. */
  message: string;
}

export function isDeviceName(value: unknown): value is DeviceName {
  return (DEVICE_NAMES as readonly unknown[]).includes(value);
}

export function isDeviceReport(value: unknown): value is DeviceReport {
  return (
    isRecord(value) &&
    isDeviceName(value.requested) &&
    value.chosen !== 'auto' &&
    isDeviceName(value.chosen) &&
    isString(value.message)
  );
}
