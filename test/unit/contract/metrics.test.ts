import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { METRICS, metricInfo, metricsForTask } from '../../../src/contract/metrics';

test("the schema's metrics list is exactly the table's metrics an experiment may ask for", () => {
  const schema = JSON.parse(readFileSync('schemas/experiment.schema.json', 'utf8'));
  const listable = Object.entries(METRICS)
    .filter(([, info]) => info.tasks.length > 0)
    .map(([name]) => name);
  assert.deepEqual(schema.properties.metrics.items.enum, listable);
});

test('each task offers its metrics, and each metric says which way is better', () => {
  assert.deepEqual(metricsForTask('classification'), ['accuracy', 'f1']);
  assert.deepEqual(metricsForTask('language-model'), ['accuracy', 'perplexity']);
  assert.deepEqual(metricsForTask('regression'), ['mae', 'rmse', 'r2']);
  assert.equal(metricInfo('r2')?.better, 'higher');
  assert.equal(metricInfo('perplexity')?.better, 'lower');
  assert.equal(metricInfo('toString'), undefined, "only the table's own names, not Object.prototype's");
});
