import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { copiedFor, readmeFor } from '../../../src/extension/experiments/templateReadme';

const files = ['README.md', 'README.zh-cn.md', 'digits-cnn.experiment.json'];

test('a Chinese display language opens the Chinese README; others the English one', () => {
  assert.equal(readmeFor('zh-cn', files), 'README.zh-cn.md');
  assert.equal(readmeFor('en', files), 'README.md');
  assert.equal(readmeFor('de', files), 'README.md');
  assert.equal(readmeFor('zh-cn', ['README.md']), 'README.md');
});

test('a new experiment gets README.md and the display language README, not other translations', () => {
  assert.deepEqual(
    files.filter((file) => copiedFor('zh-cn', file)),
    files,
  );
  assert.deepEqual(
    files.filter((file) => copiedFor('en', file)),
    ['README.md', 'digits-cnn.experiment.json'],
  );
});

test('every template has a Chinese README that teaches its architecture, with its own formula', () => {
  const manifest = JSON.parse(readFileSync('templates/manifest.json', 'utf8')) as {
    templates: { id: string }[];
  };
  for (const { id } of manifest.templates) {
    const path = join('templates', id, 'README.zh-cn.md');
    assert.ok(existsSync(path), `${id} has no README.zh-cn.md`);
    const text = readFileSync(path, 'utf8');
    assert.match(text, /## 关键公式/, id);
    assert.match(text, /## 数据如何流过网络/, id);
    assert.ok((text.match(/[\u4e00-\u9fff]/g) ?? []).length > 400, `${id}: too little Chinese text`);
  }
});
