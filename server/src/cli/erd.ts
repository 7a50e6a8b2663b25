/**
 * `pglens erd`: the ER diagram of a live database (--db) or of a folder's migrations replayed in the
 * shadow, as JSON (the model), SVG, standalone HTML (the interactive view), Mermaid or Graphviz DOT.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { ErdModel } from '../../../protocol/erd';
import type { SchemaSnapshot } from '../../../protocol/schema';
import ELK from 'elkjs/lib/elk.bundled.js';
import { openDatabase } from '../connection/open';
import { redactSecrets } from '../connection/redact';
import { resolveInput } from '../connection/resolve';
import { boxesOf } from '../../../protocol/erd-diagram/geometry';
import { erdHtml } from '../erd/html';
import { layoutInput, runLayout } from '../../../protocol/erd-diagram/layout';
import { buildErdModel } from '../erd/model';
import { selectErd } from '../../../protocol/erd-diagram/select';
import { renderSvg } from '../../../protocol/erd-diagram/svg';
import { toDot, toMermaid } from '../erd/text-formats';
import { discoverMigrations } from '../migrations/discover';
import { loadSnapshot } from '../schema/snapshot';
import { ShadowSession } from '../shadow/session';
import { loadParser } from '../sql/parser';
import { InputError } from '../workspace/errors';
import type { CliIo } from './io';
import { ERD_USAGE } from './usage';
import { describeFailure } from './io';


const FORMATS = ['json', 'svg', 'html', 'mermaid', 'dot'] as const;
type Format = (typeof FORMATS)[number];

export interface ErdSource {
  snapshot: SchemaSnapshot;
  /** The first migration that did not replay, when the source is a folder. */
  failingMigration?: { path: string; message: string };
}

/** The snapshot behind the diagram: the live database, or DIR's migrations replayed (what did replay). */
export async function erdSnapshot(options: { databaseUrl?: string; root?: string; cacheDir?: string }): Promise<ErdSource> {
  if (options.databaseUrl) {
    const db = await openDatabase(resolveInput(options.databaseUrl), { statementTimeoutMs: 60_000, userDatabase: true });
    try {
      return { snapshot: await loadSnapshot(db) };
    } finally {
      await db.close();
    }
  }
  const root = path.resolve(options.root ?? '.');
  const migrations = discoverMigrations(root, { rootMayBeFolder: true });
  if (!migrations) throw new InputError(`no migrations found in ${root} (Supabase supabase/migrations, dbmate db/migrations, golang-migrate, Flyway, goose, Prisma, or a folder of ordered .sql files)`);
  const session = new ShadowSession(migrations, undefined, { cacheDir: options.cacheDir });
  try {
    const findings = await session.findingsForAll();
    const snapshot = await session.withFinalState((db) => loadSnapshot(db));
    const failing = migrations.files.map((file) => ({ path: file.path, error: findings.get(file.path)?.find((finding) => finding.severity === 'error') })).find((entry) => entry.error);
    return { snapshot, ...(failing?.error ? { failingMigration: { path: path.relative(root, failing.path) || failing.path, message: failing.error.message.split('\n')[0] } } : {}) };
  } finally {
    await session.close();
  }
}

/** Lays the model out with ELK in process (the CLI has no UI thread to protect). */
export async function layOut(model: ErdModel): Promise<ReturnType<typeof boxesOf>> {
  const boxes = boxesOf(model);
  const positions = await runLayout(new ELK(), layoutInput(model, boxes));
  for (const box of boxes) Object.assign(box, positions.get(box.key) ?? {});
  return boxes;
}

export async function runErd(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        schema: { type: 'string', multiple: true },
        focus: { type: 'string' },
        depth: { type: 'string' },
        format: { type: 'string', default: 'json' },
        output: { type: 'string', short: 'o' },
        theme: { type: 'string', default: 'light' },
        'cache-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    io.stderr(`pglens erd: ${(error as Error).message}\n\n${ERD_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(ERD_USAGE);
    return 0;
  }
  const format = values.format as Format;
  if (!FORMATS.includes(format)) {
    io.stderr(`pglens erd: --format is ${FORMATS.join(', ')}, not '${values.format}'\n`);
    return 2;
  }
  const depth = values.depth === undefined ? 1 : Number(values.depth);
  if (!Number.isInteger(depth) || depth < 0) {
    io.stderr(`pglens erd: --depth needs a whole number of hops, got '${values.depth}'\n`);
    return 2;
  }
  if (values.theme !== 'light' && values.theme !== 'dark') {
    io.stderr(`pglens erd: --theme is light or dark, not '${values.theme}'\n`);
    return 2;
  }
  await loadParser();
  let source: ErdSource;
  try {
    source = await erdSnapshot({ databaseUrl: values.db, root: positionals[0], cacheDir: values['cache-dir'] });
  } catch (error) {
    io.stderr(`pglens erd: ${describeFailure(error, values.db, undefined)}\n`);
    return 2;
  }
  if (source.failingMigration) io.stderr(`pglens erd: ${source.failingMigration.path} did not replay (${source.failingMigration.message}); the diagram shows what did\n`);
  let model: ErdModel;
  try {
    model = selectErd(buildErdModel(source.snapshot), { schemas: values.schema, focus: values.focus, depth });
  } catch (error) {
    io.stderr(`pglens erd: ${(error as Error).message}\n`);
    return 2;
  }
  if (model.tables.length === 0 && model.views.length === 0) io.stderr('pglens erd: no tables or views in this schema\n');
  const title = values.db ? `ER diagram of ${redactSecrets(values.db)}` : `ER diagram of ${path.basename(path.resolve(positionals[0] ?? '.'))}`;
  let text: string;
  switch (format) {
    case 'json':
      text = `${JSON.stringify(model, null, 2)}\n`;
      break;
    case 'mermaid':
      text = toMermaid(model);
      break;
    case 'dot':
      text = toDot(model);
      break;
    case 'svg':
      text = renderSvg(model, await layOut(model), { theme: values.theme, title });
      break;
    case 'html': {
      const boxes = await layOut(model);
      const dist = path.join(__dirname, 'webviews');
      text = erdHtml(model, {
        script: fs.readFileSync(path.join(dist, 'erd.js'), 'utf8'),
        css: fs.readFileSync(path.join(dist, 'erd.css'), 'utf8'),
        theme: values.theme,
        title,
        positions: Object.fromEntries(boxes.map((box) => [box.key, { x: box.x, y: box.y }])),
        failingMigration: source.failingMigration,
      });
      break;
    }
  }
  if (values.output) fs.writeFileSync(values.output, text);
  else io.stdout(text);
  return 0;
}
