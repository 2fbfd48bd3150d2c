// Progress for long commands: a bar on a terminal, a plain line every 10% otherwise (logs, CI).
import { SingleBar, Presets } from 'cli-progress';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export function progress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY) {
    const bar = new SingleBar(
      { stream, format: `${label} [{bar}] {percentage}% | {value}/{total} MB | ETA {eta_formatted}`, hideCursor: true },
      Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total) {
        const [value, max] = [mb(done), mb(total)];
        if (!started) bar.start(max, value);
        else bar.update(value);
        started = true;
      },
      stop: () => started && bar.stop(),
    };
  }
  let reported = -1;
  return {
    update(done, total) {
      const tenth = total === 0 ? 10 : Math.floor((done / total) * 10);
      if (tenth > reported) {
        reported = tenth;
        stream.write(`${label}: ${tenth * 10}% (${mb(done)} of ${mb(total)} MB)\n`);
      }
    },
    stop() {},
  };
}

function mb(bytes: number): number {
  return Math.round((bytes / 1_048_576) * 10) / 10;
}
