import type { FileFinding, Severity } from '../../../protocol/findings';
import type { DiscoverySummary } from '../workspace/discovery-report';

export type ReporterName = 'text' | 'json' | 'sarif' | 'github';
export const REPORTERS: ReporterName[] = ['text', 'json', 'sarif', 'github'];

export interface Report {
  findings: FileFinding[];
  filesChecked: number;
  toolVersion: string;
  /** The migration folders found and what was skipped: a run property in SARIF (the text reporter's header goes to stderr). */
  discovery?: DiscoverySummary;
}

/** Renders a report for stdout. Positions in findings are 0-based; text and github show them 1-based. */
export function render(reporter: ReporterName, report: Report): string {
  switch (reporter) {
    case 'text':
      return report.findings.map(textLine).join('');
    case 'json':
      return `${JSON.stringify(report.findings.map(jsonFinding), null, 2)}\n`;
    case 'sarif':
      return `${JSON.stringify(sarif(report), null, 2)}\n`;
    case 'github':
      return report.findings.map(githubLine).join('');
  }
}

function textLine(finding: FileFinding): string {
  const { line, character } = finding.range.start;
  return `${finding.file}:${line + 1}:${character + 1}: ${finding.severity} ${finding.code}: ${finding.message}\n`;
}

/** The stable json contract: key order and fields fixed. */
function jsonFinding(finding: FileFinding): FileFinding {
  return { file: finding.file, range: finding.range, severity: finding.severity, code: finding.code, message: finding.message };
}

const GITHUB_COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

function githubLine(finding: FileFinding): string {
  const { start, end } = finding.range;
  const properties = [
    `file=${escapeProperty(finding.file)}`,
    `line=${start.line + 1}`,
    `col=${start.character + 1}`,
    `endLine=${end.line + 1}`,
    `endColumn=${end.character + 1}`,
    `title=${escapeProperty(`pglens ${finding.code}`)}`,
  ];
  return `::${GITHUB_COMMAND[finding.severity]} ${properties.join(',')}::${escapeData(finding.message)}\n`;
}

// Workflow-command escaping, as @actions/core does it.
function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

function sarif(report: Report): object {
  const ruleIds = [...new Set(report.findings.map((finding) => finding.code))].sort();
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'pglens',
            version: report.toolVersion,
            rules: ruleIds.map((id) => ({ id, shortDescription: { text: ruleDescription(id) } })),
          },
        },
        results: report.findings.map((finding) => ({
          ruleId: finding.code,
          ruleIndex: ruleIds.indexOf(finding.code),
          level: SARIF_LEVEL[finding.severity],
          message: { text: finding.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: finding.file.split('\\').join('/') },
                // SARIF regions are 1-based; columns count UTF-16 code units, as ours do.
                region: {
                  startLine: finding.range.start.line + 1,
                  startColumn: finding.range.start.character + 1,
                  endLine: finding.range.end.line + 1,
                  endColumn: finding.range.end.character + 1,
                },
              },
            },
          ],
        })),
        columnKind: 'utf16CodeUnits',
        ...(report.discovery ? { properties: { migrations: report.discovery.migrations, skipped: report.discovery.skipped } } : {}),
      },
    ],
  };
}

function ruleDescription(id: string): string {
  if (id === 'syntax') return 'PostgreSQL syntax error';
  if (/^[0-9A-Z]{5}$/.test(id)) return `PostgreSQL error ${id}`;
  return id;
}
