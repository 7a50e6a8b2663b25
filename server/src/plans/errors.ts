/**
 * The one error the plan parsers throw. `parsePlan` never throws anything else on any input: callers
 * catch `PlanParseError` (or use `tryParsePlan`, which returns it as data) and show `message` with `line`.
 */
export class PlanParseError extends Error {
  /** 1-based line of the input the problem was found on (1 when it concerns the whole text). */
  readonly line: number;

  constructor(message: string, line = 1) {
    super(line > 1 ? `${message} (line ${line})` : message);
    this.name = 'PlanParseError';
    this.line = line;
  }
}
