/**
 * The Engine API's log streams: a non-TTY container's output comes
 * multiplexed (8-byte frame headers: stream, 0, 0, 0, length as uint32 BE);
 * service and task logs with `details=true` carry the task's ids before
 * each line (`com.docker.swarm.task.id=…,… message`), as `docker service
 * logs` reads them.
 */

export interface LogLine {
  stream: 'stdout' | 'stderr';
  /** ISO time, when asked for (`timestamps`). */
  time?: string;
  taskId?: string;
  nodeId?: string;
  serviceId?: string;
  text: string;
}

/** Splits a multiplexed stream into frames; keeps an incomplete frame for the next chunk. */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private partial: { stdout: string; stderr: string } = { stdout: '', stderr: '' };

  /** Feeds bytes; returns the complete lines seen (without their newline). */
  push(chunk: Buffer): { stream: 'stdout' | 'stderr'; line: string }[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: { stream: 'stdout' | 'stderr'; line: string }[] = [];
    while (this.pending.length >= 8) {
      const kind = this.pending[0];
      const size = this.pending.readUInt32BE(4);
      if (kind !== 0 && kind !== 1 && kind !== 2) {
        // Not multiplexed (a TTY service): the rest is plain text.
        out.push(...this.plain(this.pending));
        this.pending = Buffer.alloc(0);
        break;
      }
      if (this.pending.length < 8 + size) break;
      const stream = kind === 2 ? 'stderr' : 'stdout';
      const text = this.partial[stream] + this.pending.subarray(8, 8 + size).toString('utf8');
      this.pending = this.pending.subarray(8 + size);
      const lines = text.split('\n');
      this.partial[stream] = lines.pop() ?? '';
      for (const line of lines) out.push({ stream, line });
    }
    return out;
  }

  private plain(buffer: Buffer): { stream: 'stdout'; line: string }[] {
    const lines = (this.partial.stdout + buffer.toString('utf8')).split('\n');
    this.partial.stdout = lines.pop() ?? '';
    return lines.map((line) => ({ stream: 'stdout' as const, line }));
  }

  /** What is left when the stream ends. */
  end(): { stream: 'stdout' | 'stderr'; line: string }[] {
    const out: { stream: 'stdout' | 'stderr'; line: string }[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) out.push({ stream, line: this.partial[stream] });
      this.partial[stream] = '';
    }
    return out;
  }
}

/** One raw line of a service or task log (with `details`, maybe `timestamps`) as a LogLine. */
export function parseLogLine(stream: 'stdout' | 'stderr', raw: string, options: { timestamps?: boolean; details?: boolean }): LogLine {
  let rest = raw.replace(/\r$/, '');
  const line: LogLine = { stream, text: '' };
  if (options.timestamps) {
    const space = rest.indexOf(' ');
    if (space > 0) {
      line.time = rest.slice(0, space);
      rest = rest.slice(space + 1);
    }
  }
  if (options.details) {
    const space = rest.indexOf(' ');
    const details = space === -1 ? rest : rest.slice(0, space);
    if (details.includes('=')) {
      for (const pair of details.split(',')) {
        const eq = pair.indexOf('=');
        if (eq === -1) continue;
        const key = decodeURIComponent(pair.slice(0, eq));
        const value = decodeURIComponent(pair.slice(eq + 1));
        if (key === 'com.docker.swarm.task.id') line.taskId = value;
        else if (key === 'com.docker.swarm.node.id') line.nodeId = value;
        else if (key === 'com.docker.swarm.service.id') line.serviceId = value;
      }
      rest = space === -1 ? '' : rest.slice(space + 1);
    }
  }
  line.text = rest;
  return line;
}
