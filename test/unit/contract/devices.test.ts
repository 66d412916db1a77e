import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DEVICE_NAMES, isDeviceReport } from '../../../src/contract/devices';

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

test('the schema, the modelLab.device setting and the contract list the same device names', () => {
  const schema = readJson('schemas/experiment.schema.json');
  const settings = readJson('package.json').contributes.configuration.properties['modelLab.device'];
  const schemaDevice = JSON.stringify(schema).match(/"device":\{"type":"string","enum":(\[[^\]]*\])/);
  assert.ok(schemaDevice, 'the schema declares training.device as a string enum');
  assert.deepEqual(JSON.parse(schemaDevice[1]), [...DEVICE_NAMES]);
  assert.deepEqual(settings.enum, [...DEVICE_NAMES]);
});

test('a device report names a requested device and a device that really runs', () => {
  assert.ok(isDeviceReport({ requested: 'auto', chosen: 'cpu', message: 'no GPU found' }));
  assert.ok(!isDeviceReport({ requested: 'auto', chosen: 'auto', message: '' }), "'auto' never runs");
  assert.ok(!isDeviceReport({ requested: 'tpu', chosen: 'cpu', message: '' }));
  assert.ok(!isDeviceReport({ requested: 'cpu', chosen: 'cpu' }));
});
