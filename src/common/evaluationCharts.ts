/**
 * Small line charts as inline SVG markup: no library, no script, no remote resource, so the same
 * markup shows in the report webview (strict CSP) and in a saved HTML file. Colours come from CSS
 * classes (series-0, series-1, ...), never from style attributes.
 */

export interface ChartSeries {
  name: string;
  points: readonly { x: number; y: number }[];
  /** Draw a dot at each point (short series, e.g. epochs or reliability bins). */
  dots?: boolean;
  /** A dashed reference line (the diagonal of a ROC or reliability chart). */
  reference?: boolean;
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Axis ranges; default: the data's range (y from 0 when all values are positive). */
  x?: [number, number];
  y?: [number, number];
  /** Integer ticks on x (epochs). */
  integerX?: boolean;
}

const WIDTH = 360;
const HEIGHT = 260;
const MARGIN = { left: 48, right: 12, top: 28, bottom: 40 };

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) < 10 ? 2 : 1));

function range(values: number[], given: [number, number] | undefined): [number, number] {
  if (given) return given;
  if (values.length === 0) return [0, 1];
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (lo > 0) lo = 0;
  if (hi === lo) hi = lo + 1;
  return [lo, hi];
}

function ticks([lo, hi]: [number, number], integer: boolean): number[] {
  if (integer) {
    const step = Math.max(1, Math.ceil((hi - lo) / 8));
    const out: number[] = [];
    for (let v = Math.ceil(lo); v <= hi; v += step) out.push(v);
    return out;
  }
  return [0, 1, 2, 3, 4].map((k) => lo + ((hi - lo) * k) / 4);
}

/** An SVG line chart of the series, with axes, ticks, labels and a legend. */
export function lineChartSvg(series: readonly ChartSeries[], options: ChartOptions): string {
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const ys = series.flatMap((s) => s.points.map((p) => p.y));
  const xr = range(xs, options.x);
  const yr = range(ys, options.y);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const sx = (x: number): number => MARGIN.left + ((x - xr[0]) / (xr[1] - xr[0])) * plotW;
  const sy = (y: number): number => MARGIN.top + plotH - ((y - yr[0]) / (yr[1] - yr[0])) * plotH;
  const n = (v: number): string => v.toFixed(1);
  const parts: string[] = [];
  parts.push(`<text class="chart-title" x="${WIDTH / 2}" y="16" text-anchor="middle">${escapeHtml(options.title)}</text>`);
  parts.push(`<rect class="plot-area" x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}"/>`);
  for (const t of ticks(xr, options.integerX === true)) {
    parts.push(`<line class="grid" x1="${n(sx(t))}" y1="${MARGIN.top}" x2="${n(sx(t))}" y2="${MARGIN.top + plotH}"/>`);
    parts.push(`<text class="tick" x="${n(sx(t))}" y="${MARGIN.top + plotH + 14}" text-anchor="middle">${fmt(t)}</text>`);
  }
  for (const t of ticks(yr, false)) {
    parts.push(`<line class="grid" x1="${MARGIN.left}" y1="${n(sy(t))}" x2="${MARGIN.left + plotW}" y2="${n(sy(t))}"/>`);
    parts.push(`<text class="tick" x="${MARGIN.left - 4}" y="${n(sy(t) + 4)}" text-anchor="end">${fmt(t)}</text>`);
  }
  parts.push(`<text class="axis-label" x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 6}" text-anchor="middle">${escapeHtml(options.xLabel)}</text>`);
  parts.push(
    `<text class="axis-label" transform="translate(12 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(options.yLabel)}</text>`,
  );
  let colour = 0;
  const legend: string[] = [];
  for (const s of series) {
    const cls = s.reference ? 'reference' : `series-${colour++}`;
    if (s.points.length > 0) {
      parts.push(`<polyline class="line ${cls}" points="${s.points.map((p) => `${n(sx(p.x))},${n(sy(p.y))}`).join(' ')}"/>`);
      if (s.dots)
        for (const p of s.points)
          parts.push(
            `<circle class="dot ${cls}" cx="${n(sx(p.x))}" cy="${n(sy(p.y))}" r="3"><title>${escapeHtml(`${s.name}: ${fmt(p.x)}, ${p.y.toFixed(3)}`)}</title></circle>`,
          );
    }
    if (!s.reference) legend.push(`<tspan class="legend ${cls}" dx="${legend.length === 0 ? 0 : 12}">■ ${escapeHtml(s.name)}</tspan>`);
  }
  if (legend.length > 0) parts.push(`<text x="${MARGIN.left + 6}" y="${MARGIN.top + 14}">${legend.join('')}</text>`);
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(options.title)}">${parts.join('')}</svg>`;
}
