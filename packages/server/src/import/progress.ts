// How the importer shows progress: a bar redrawn in place on a terminal, plain lines
// otherwise (CI logs and pipes keep every step readable).
import type { ImportProgress } from "./write.ts";

type ProgressEvent = Parameters<ImportProgress>[0];

const BAR_WIDTH = 30;

/** One frame of the bar: return to the line start, clear it, redraw; a newline when done. */
export function progressBarFrame({ bundle, step, done, total }: ProgressEvent): string {
  const filled = total > 0 ? Math.round((done / total) * BAR_WIDTH) : BAR_WIDTH;
  const bar = `${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}`;
  return `\r\x1b[K${bundle} [${bar}] ${done}/${total} ${step}${done === total ? "\n" : ""}`;
}

export function progressLine({ bundle, step, done, total }: ProgressEvent): string {
  return `${bundle}: ${done}/${total} ${step}\n`;
}

export function progressReporter(stream: { write(text: string): unknown; isTTY?: boolean }): ImportProgress {
  const render = stream.isTTY ? progressBarFrame : progressLine;
  return (event) => stream.write(render(event));
}
