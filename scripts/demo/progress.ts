/**
 * How the start sequence and the importers report: a line per step, a progress bar per long step.
 * The terminal reporter draws cli-progress bars; tests use the silent one.
 */
import cliProgress from 'cli-progress';

export interface Reporter {
  /** A one-line status ("• applying migrations …", "↷ skipped: …"). */
  line(text: string): void;
  /** A bar for a long step; update with done/total, stop when the step ends. */
  bar(label: string, total: number, unit?: string): { update(done: number, total?: number): void; stop(): void };
  /** True when child tools may draw on the terminal themselves (the trainer's own bar). */
  interactive?: boolean;
}

export const silentReporter: Reporter = {
  line: () => {},
  bar: () => ({ update: () => {}, stop: () => {} }),
};

/** Collects lines in memory (tests read what the sequence said). */
export function recordingReporter(): Reporter & { lines: string[] } {
  const lines: string[] = [];
  return { lines, line: (t) => lines.push(t), bar: silentReporter.bar };
}

export function terminalReporter(): Reporter {
  return {
    interactive: process.stdout.isTTY === true,
    line: (text) => console.log(text),
    bar(label, total, unit = 'items') {
      const bar = new cliProgress.SingleBar(
        {
          format: `  ${label.padEnd(22)} {bar} {percentage}% | {value}/{total} ${unit} | {duration_formatted} elapsed, eta {eta_formatted}`,
          hideCursor: true,
          etaBuffer: 50,
          fps: 5,
          // Without a TTY (CI, pipes) print nothing until the step ends.
          noTTYOutput: false,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
      return {
        update: (done, newTotal) => {
          if (newTotal !== undefined && newTotal !== bar.getTotal()) bar.setTotal(newTotal);
          bar.update(done);
        },
        stop: () => bar.stop(),
      };
    },
  };
}
