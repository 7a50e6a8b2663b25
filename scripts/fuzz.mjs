#!/usr/bin/env node
// `npm run fuzz -- --runs N [--seed S]`: the property tests under test/fuzz with N runs each and a new
// seed (printed by fast-check on failure, so a failing run can be replayed with --seed).
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10000' }, seed: { type: 'string' } } });
const runs = Number(values.runs);
if (!(runs > 0)) {
  console.error(`npm run fuzz: --runs needs a positive number, got '${values.runs}'`);
  process.exit(2);
}
const env = { ...process.env, PGLENS_FUZZ_RUNS: String(runs), ...(values.seed !== undefined ? { PGLENS_FUZZ_SEED: values.seed } : {}) };
const started = Date.now();
const result = spawnSync('npx', ['vitest', 'run', 'test/fuzz', '--testTimeout', '0'], { stdio: 'inherit', env });
console.log(`fuzz: ${runs} runs per property, ${((Date.now() - started) / 1000).toFixed(1)} s, exit ${result.status}`);
process.exit(result.status ?? 1);
