// Prometheus 3 made range selectors left-open: `x[5m]` at t holds the samples in (t-5m, t], where
// Prometheus 2 held [t-5m, t]. Where samples are as far apart as the window and aligned with the
// evaluation instant (a 5-minute scrape or recording-rule interval, backfilled history), the 5m window
// then holds one sample, rate() returns nothing, and the SLO loses its short window: the 1h/5m pair can
// never fire. An SLO whose total comes back empty is therefore asked once more with the window closed
// by one millisecond (`5m` → `5m1ms`), which brings back exactly the sample at t-5m, as Prometheus 2
// counted it. Only empty answers are retried: a window that has data keeps each backend's own
// semantics (VictoriaMetrics already reads the sample before the window, so closing it there would
// lengthen the window by a whole step), and a fleet with data everywhere sends no extra request.
import { durationSeconds } from '../slo/windows';

/** `5m` → `5m1ms`; `1500ms` → `1501ms`. */
export function closedRange(window: string): string {
  const ms = /^(.*?)(\d+)ms$/.exec(window);
  if (ms) return `${ms[1]}${Number(ms[2]) + 1}ms`;
  durationSeconds(window); // throws on anything that is not a duration
  return `${window}1ms`;
}
