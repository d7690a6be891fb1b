// Check-ins per hour over the last 24 hours, for the technician console: the buckets (pure, from
// main's checkins:hourly counts) and an SVG bar chart drawn with DOM calls (no markup strings, no
// inline styles: classes only).
import type { HourlyCheckins } from '../common/ipc/contract.js';

const HOUR_MS = 3_600_000;

export interface HourBucket {
  /** Start of the hour, epoch milliseconds. */
  start: number;
  count: number;
}

/** One bucket per hour main counted, oldest first, the last one the current (partial) hour. */
export function hourBuckets(hourly: HourlyCheckins): HourBucket[] {
  return hourly.counts.map((count, i) => ({ start: hourly.firstHourStart + i * HOUR_MS, count }));
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const WIDTH = 480;
const HEIGHT = 160;
const AXIS = 20;

/** The chart as an <svg> element; its <title> gives the same figures as words for screen readers. */
export function drawHourlyChart(doc: Document, buckets: readonly HourBucket[], title: string): SVGSVGElement {
  const svg = doc.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${String(WIDTH)} ${String(HEIGHT)}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('class', 'hourly-chart');
  const titleElement = doc.createElementNS(SVG_NS, 'title');
  const total = buckets.reduce((sum, bucket) => sum + bucket.count, 0);
  titleElement.textContent = `${title}: ${String(total)}`;
  svg.append(titleElement);
  const max = Math.max(1, ...buckets.map((bucket) => bucket.count));
  const slot = WIDTH / Math.max(1, buckets.length);
  buckets.forEach((bucket, i) => {
    const height = ((HEIGHT - AXIS) * bucket.count) / max;
    const bar = doc.createElementNS(SVG_NS, 'rect');
    bar.setAttribute('x', (i * slot + 1).toFixed(1));
    bar.setAttribute('y', (HEIGHT - AXIS - height).toFixed(1));
    bar.setAttribute('width', (slot - 2).toFixed(1));
    bar.setAttribute('height', height.toFixed(1));
    bar.setAttribute('class', 'hourly-bar');
    bar.dataset['count'] = String(bucket.count);
    svg.append(bar);
    // Every sixth hour labelled with its local hour.
    if (i % 6 === 0) {
      const label = doc.createElementNS(SVG_NS, 'text');
      label.setAttribute('x', (i * slot + 2).toFixed(1));
      label.setAttribute('y', String(HEIGHT - 4));
      label.setAttribute('class', 'hourly-label');
      label.textContent = `${String(new Date(bucket.start).getHours()).padStart(2, '0')}h`;
      svg.append(label);
    }
  });
  return svg;
}
