// Trains every template (or the ids given) headless with the CLI, exactly as a
// user would (`node dist/cli.js train <file>`), and checks each against the
// target in templates/manifest.json. Not a test: full schedules take minutes.
// Run `npm run build` first. Usage: node scripts/checkTemplateTargets.mjs [id…]
// Time to target is read from metrics.jsonl (seconds since the run started),
// so a loaded machine shows up as a slower time, not a different result.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ids = process.argv.slice(2);
const manifest = JSON.parse(readFileSync('templates/manifest.json', 'utf8'));
const runsDir = mkdtempSync(join(tmpdir(), 'model-lab-targets-'));
let failures = 0;

function records(runDir) {
  return readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

/** The first record of split/metric that meets the target, and the best value seen. */
function firstMeeting(runDir, { split, metric, atLeast, atMost }) {
  const meets = (value) => (atLeast !== undefined ? value >= atLeast : value <= atMost);
  const seen = records(runDir).filter((r) => r.split === split && r.name === metric);
  const best = seen.reduce(
    (b, r) => (b === undefined || (atLeast !== undefined ? r.value > b : r.value < b) ? r.value : b),
    undefined,
  );
  return { hit: seen.find((r) => meets(r.value)), best };
}

for (const template of manifest.templates) {
  if (ids.length > 0 && !ids.includes(template.id)) continue;
  const file = join('templates', template.id, template.experimentFile);
  const name = JSON.parse(readFileSync(file, 'utf8')).name;
  const started = Date.now();
  const result = spawnSync(process.execPath, ['dist/cli.js', 'train', file, '--runs-dir', runsDir], {
    encoding: 'utf8',
  });
  const wall = (Date.now() - started) / 1000;
  const runDir = join(runsDir, name, readdirSync(join(runsDir, name)).sort().pop());
  const target = template.target;
  let value;
  let when = '';
  let reachedAt = wall;
  if (target.split === 'test') {
    value = JSON.parse(readFileSync(join(runDir, 'eval.json'), 'utf8'))[target.metric];
  } else {
    const { hit, best } = firstMeeting(runDir, target);
    value = best;
    reachedAt = hit ? hit.time : Infinity;
    when = hit ? `, reached at step ${hit.step} after ${hit.time.toFixed(0)} s` : ', never reached';
  }
  const meets = target.atLeast !== undefined ? value >= target.atLeast : value <= target.atMost;
  const inTime =
    target.withinSeconds === undefined || wall <= target.withinSeconds || when.includes('reached at');
  const bound = target.atLeast !== undefined ? `≥ ${target.atLeast}` : `≤ ${target.atMost}`;
  const ok = result.status === 0 && meets && inTime;
  if (!ok) failures++;
  console.log(
    `${ok ? 'PASS' : 'FAIL'} ${template.id}: ${target.split} ${target.metric} ${value?.toFixed(4)} (target ${bound}` +
      `${target.withinSeconds ? ` within ${target.withinSeconds} s` : ''})${when}; whole run ${wall.toFixed(0)} s, exit ${result.status}`,
  );
  if (result.status !== 0) console.log(result.stderr.slice(-2000));
}
console.log(`run folders: ${runsDir}`);
process.exit(failures === 0 ? 0 : 1);
