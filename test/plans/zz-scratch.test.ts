import * as fs from 'node:fs';
import { it } from 'vitest';
import { parsePlan } from '../../server/src/plans/parse';
it('dump', () => {
  const dir = 'test/fixtures/plans';
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.txt') && n.startsWith('pg15')).sort()) {
    const [r] = parsePlan(fs.readFileSync(`${dir}/${f}`, 'utf8'));
    for (const h of r.pglens!.hints) console.log(f, h.kind, '|', h.title, '|', h.advice, h.index ? JSON.stringify(h.index) : '');
  }
});
