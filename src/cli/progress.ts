// Progress for long commands: a bar on a terminal, a plain line every 10% otherwise (logs, CI).
import { Presets, SingleBar } from 'cli-progress';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export interface Unit {
  scale: (n: number) => number; // raw count → shown value
  name: string;
}

export const MEGABYTES: Unit = { scale: (bytes) => Math.round((bytes / 1_048_576) * 10) / 10, name: 'MB' };
export const COUNT = (name: string): Unit => ({ scale: (n) => n, name });

export function progress(label: string, unit: Unit = MEGABYTES, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY) {
    const bar = new SingleBar(
      { stream, format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit.name} | ETA {eta_formatted}`, hideCursor: true },
      Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total) {
        if (!started) bar.start(unit.scale(total), unit.scale(done));
        else {
          bar.setTotal(unit.scale(total));
          bar.update(unit.scale(done));
        }
        started = true;
      },
      stop: () => {
        if (started) bar.stop();
        started = false;
      },
    };
  }
  let reported = -1;
  return {
    update(done, total) {
      const tenth = total === 0 ? 10 : Math.min(10, Math.floor((done / total) * 10));
      if (tenth > reported) {
        reported = tenth;
        stream.write(`${label}: ${tenth * 10}% (${unit.scale(done)} of ${unit.scale(total)} ${unit.name})\n`);
      }
    },
    stop() {},
  };
}
