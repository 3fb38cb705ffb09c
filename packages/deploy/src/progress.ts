import { clearScreenDown, moveCursor } from 'node:readline';
import { indentedList, visible } from '@galley/platform';
import type { ServiceProgress } from './converge.js';
import { type DeployOverview, formatOverview } from './report.js';

/**
 * How a deploy tells a person what it is doing. On a terminal the service
 * table is redrawn in place; elsewhere (CI, pipes, logs) a plain line is
 * printed whenever a service changes state.
 */
export interface DeployReporter {
  /** A step: "creating secret …", "deploying …". */
  step(message: string): void;
  warn(message: string): void;
  /** What the deploy is about to do. */
  overview(overview: DeployOverview): void;
  /** The services' state after each poll. */
  progress(title: string, services: readonly ServiceProgress[]): void;
  /** The table is final: stop redrawing it. */
  endProgress(): void;
}

export const silentReporter: DeployReporter = {
  step: () => undefined,
  warn: () => undefined,
  overview: () => undefined,
  progress: () => undefined,
  endProgress: () => undefined,
};

export interface ReporterStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export function createReporter(stream: ReporterStream, options: { tty?: boolean } = {}): DeployReporter {
  const tty = options.tty ?? Boolean(stream.isTTY);
  return tty ? new LiveReporter(stream) : new PlainReporter(stream);
}

const PHASE: Record<ServiceProgress['phase'], string> = {
  pending: 'pending',
  updating: 'updating',
  starting: 'starting',
  converged: 'converged',
  failed: 'FAILED',
  stabilising: 'stabilising',
};

/** The detail without the task counts the table shows in a column. */
function shortDetail(s: ServiceProgress): string {
  const detail = s.detail
    .replace(/^(updating: |rolling back: )?\d+\/\d+ running(, )?/, '$1')
    .replace(/: $/, '')
    .replace(/^not running within (\d+ s) \(\d+\/\d+ running,? ?/, 'not running within $1 (')
    .replace(/ \(\)$/, '');
  return s.phase === 'failed' && s.lastError ? `${detail} (${s.lastError})` : detail;
}

function tasksColumn(s: ServiceProgress): string {
  const desired = typeof s.desired === 'number' ? String(s.desired) : s.desired;
  return s.swarmRollback ? `0/${desired} (rolled back)` : `${s.running}/${desired}`;
}

export function formatProgressTable(services: readonly ServiceProgress[], columns?: number): string[] {
  // A terminal that reports no width (0 columns, a serial console) gets no cut.
  const width = columns && columns > 20 ? columns : Number.POSITIVE_INFINITY;
  const rows = [['SERVICE', 'STATE', 'TASKS', 'DETAIL']];
  // Names and task errors come from the recipe and the engine: escaped before the columns are measured.
  for (const s of services) rows.push([visible(s.name), PHASE[s.phase], tasksColumn(s), visible(shortDetail(s))]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => {
    const line = `${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[2]!.padEnd(widths[2]!)}  ${r[3]}`.trimEnd();
    return line.length > width ? `${line.slice(0, width - 1)}…` : line;
  });
}

class PlainReporter implements DeployReporter {
  private readonly seen = new Map<string, string>();

  constructor(private readonly stream: ReporterStream) {}

  step(message: string): void {
    this.stream.write(`${indentedList([message], '')}\n`);
  }

  warn(message: string): void {
    this.stream.write(`warning: ${visible(message)}\n`);
  }

  overview(overview: DeployOverview): void {
    this.stream.write(`${indentedList(formatOverview(overview), '')}\n`);
  }

  progress(_title: string, services: readonly ServiceProgress[]): void {
    for (const s of services) {
      const detail = shortDetail(s);
      const line = `  ${s.name}: ${PHASE[s.phase]} ${tasksColumn(s)}${detail ? ` — ${detail}` : ''}`;
      const key = `${s.phase}|${s.running}|${s.detail.replace(/\d+ s\b/g, '')}`;
      if (this.seen.get(s.service) === key) continue;
      this.seen.set(s.service, key);
      this.stream.write(`${indentedList([line], '')}\n`);
    }
  }

  endProgress(): void {
    this.seen.clear();
  }
}

class LiveReporter implements DeployReporter {
  private drawn = 0;
  private readonly started = Date.now();

  constructor(private readonly stream: ReporterStream) {}

  private clear(): void {
    if (!this.drawn) return;
    moveCursor(this.stream as NodeJS.WritableStream, 0, -this.drawn);
    clearScreenDown(this.stream as NodeJS.WritableStream);
    this.drawn = 0;
  }

  step(message: string): void {
    this.clear();
    this.stream.write(`${indentedList([message], '')}\n`);
  }

  warn(message: string): void {
    this.clear();
    this.stream.write(`warning: ${visible(message)}\n`);
  }

  overview(overview: DeployOverview): void {
    this.clear();
    this.stream.write(`${indentedList(formatOverview(overview), '')}\n`);
  }

  progress(title: string, services: readonly ServiceProgress[]): void {
    this.clear();
    const seconds = Math.round((Date.now() - this.started) / 1000);
    const lines = [
      `${visible(title)} (${seconds} s)`,
      ...formatProgressTable(services, this.stream.columns ? this.stream.columns - 3 : undefined).map((l) => `  ${l}`),
    ];
    this.stream.write(`${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }

  endProgress(): void {
    this.drawn = 0;
  }
}
