/**
 * The report as one self-contained HTML file: inline CSS, an inline SVG bar chart, no script, nothing fetched from
 * elsewhere, so it opens the same from a ticket attachment, a mail or an air-gapped machine.
 *
 * Every text that reaches the page is escaped, input text above all: a module name, a signature or a source path
 * comes from a pasted log and may hold `<script>` or a quote that closes an attribute. The page's Content-Security-
 * Policy forbids scripts and remote loads as a second wall. test/report-html.test.ts opens it in a headless
 * Chromium and checks the chart and tables structurally.
 */
import type { Report, ReportBucket } from './report-command.js';
import { untimedNote } from './timeline-command.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML-escapes text for element content and quoted attributes; control characters become visible escapes (\x1b), as in the terminal. */
export function escapeHtml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

const e = escapeHtml;

/** The chart's drawing box (SVG user units); the SVG scales to the page width, keeping its proportions. */
export const CHART = { width: 800, height: 240, left: 48, top: 12, plotWidth: 740, plotHeight: 190 } as const;

/** A y-axis maximum that reads well: 1, 2, 5 x 10^n at or above the largest count. */
function niceMax(max: number): number {
  if (max <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * power).find((v) => v >= max)!;
}

/** 2024-05-01T10:00:00.0000000Z -> 2024-05-01 10:00:00Z: a space lets a narrow column break between date and time. */
export function displayTime(iso: string | null): string {
  if (iso === null) return '-';
  return iso.replace('T', ' ').replace(/\.0+Z$/, 'Z');
}

const fmt = (n: number): string => String(Math.round(n * 100) / 100);

export function renderTimelineSvg(report: Report): string {
  const series = report.timeline.series;
  const { width, height, left, top, plotWidth, plotHeight } = CHART;
  const max = niceMax(Math.max(0, ...series.map((p) => p.count)));
  const slot = series.length ? plotWidth / series.length : plotWidth;
  const barWidth = Math.max(0.5, slot * (series.length > 1 ? 0.8 : 0.5));
  const baseline = top + plotHeight;
  const bars = series.map((p, i) => {
    const h = (p.count / max) * plotHeight;
    const x = left + i * slot + (slot - barWidth) / 2;
    return `<rect class="bar" data-period="${e(p.period)}" data-count="${p.count}" x="${fmt(x)}" y="${fmt(baseline - h)}" width="${fmt(barWidth)}" height="${fmt(h)}"><title>${e(p.period)}: ${p.count}</title></rect>`;
  });
  const labels = series.length === 0 ? [] : [
    `<text class="axis" x="${left}" y="${baseline + 18}" text-anchor="start">${e(series[0]!.period)}</text>`,
    series.length > 1 ? `<text class="axis" x="${left + plotWidth}" y="${baseline + 18}" text-anchor="end">${e(series[series.length - 1]!.period)}</text>` : '',
  ];
  return `<svg id="timeline-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="${e(`incidents per ${report.timeline.by}`)}">
<line class="axis-line" x1="${left}" y1="${baseline}" x2="${left + plotWidth}" y2="${baseline}"/>
<line class="axis-line" x1="${left}" y1="${top}" x2="${left}" y2="${baseline}"/>
<text class="axis" x="${left - 6}" y="${top + 4}" text-anchor="end">${max}</text>
<text class="axis" x="${left - 6}" y="${baseline}" text-anchor="end">0</text>
${bars.join('\n')}
${labels.join('\n')}
</svg>`;
}

function bucketRows(buckets: readonly ReportBucket[]): string {
  if (buckets.length === 0) return '<tr><td colspan="6">no signed incidents in scope</td></tr>';
  return buckets.map((b, i) => `<tr>
<td class="num">${i + 1}</td><td><code>${e(b.signatureId)}</code><br><span class="sig">${e(b.signature)}</span></td>
<td class="num">${b.incidents}${b.untimed ? `<br><small>${b.untimed} without a time</small>` : ''}<br><small>${b.builds} build${b.builds === 1 ? '' : 's'}, ${b.machines === null ? 'no machine name' : `${b.machines} machine${b.machines === 1 ? '' : 's'}`}</small></td><td>${e(displayTime(b.firstSeen))}</td><td>${e(displayTime(b.lastSeen))}</td>
<td>incident ${b.newest.id}, ${e(b.newest.time === null ? 'no time' : displayTime(b.newest.time))}<br>${e(b.newest.code ?? 'no bugcheck')}${b.newest.name ? ` ${e(b.newest.name)}` : ''}${b.newest.module ? ` in ${e(b.newest.module)}` : ''}<br><small class="path">${e(b.newest.source)}:${b.newest.line}</small></td>
</tr>`).join('\n');
}

function ioctlSections(buckets: readonly ReportBucket[]): string {
  const withIoctls = buckets.filter((b) => b.ioctls.length > 0);
  if (withIoctls.length === 0) return '<p>No IOCTL is recorded in the listed buckets.</p>';
  return withIoctls.map((b) => `<h3><code>${e(b.signatureId)}</code> <span class="sig">${e(b.signature)}</span></h3>
<div class="wide"><table class="ioctls"><thead><tr><th>IOCTL</th><th>names (header)</th><th>device type, function, method, access</th><th class="num">in bucket</th><th>statuses seen</th></tr></thead><tbody>
${b.ioctls.map((io) => `<tr><td><code>${e(io.code)}</code></td><td>${io.names.length ? io.names.map((n) => `${e(n.name)} <small>(${e(n.source)})</small>`).join('<br>') : 'no name in the headers or the catalog'}</td>
<td>${e(io.deviceType.value)}${io.deviceType.name ? ` ${e(io.deviceType.name)}` : ''}<br>function ${e(io.function)}<br>${e(io.method)}<br>${e(io.access)}</td>
<td class="num">${io.inBucket}${io.drivers.length ? `<br><small>${io.drivers.map(e).join(', ')}</small>` : ''}</td>
<td>${io.statuses.length ? io.statuses.map((s) => `${e(s.name ?? s.status ?? 'no status')} x${s.count}`).join('<br>') : 'none stored'}</td></tr>`).join('\n')}
</tbody></table></div>`).join('\n');
}

const STYLE = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1f24; background: #fff; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.15rem; margin: 1.75rem 0 .5rem; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1rem; margin: 1.25rem 0 .4rem; font-weight: 600; overflow-wrap: anywhere; }
.meta { color: #57606a; margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid #eaeef2; }
/* Input text (signatures, paths) may be one 200-character token: it wraps anywhere rather than widen the page.
   Tables wider than a phone scroll inside their box; the page itself never scrolls sideways. */
.sig, .path { overflow-wrap: anywhere; }
.wide { overflow-x: auto; }
#store-table { width: auto; }
th { background: #f6f8fa; font-weight: 600; }
td.num, th.num { text-align: right; }
code, .sig { font-family: ui-monospace, "Cascadia Mono", Consolas, monospace; font-size: .92em; }
small { color: #57606a; }
svg { display: block; width: 100%; height: auto; }
.bar { fill: #0969da; } .axis { font: 12px system-ui, sans-serif; fill: #57606a; } .axis-line { stroke: #8c959f; stroke-width: 1; }
@media print { main { max-width: none; } }
`;

export function renderReportHtml(report: Report): string {
  const s = report.store;
  const scope = [report.filters.since ? `since ${report.filters.since}` : null, report.filters.driver ? `driver ${report.filters.driver}` : null].filter((x) => x !== null);
  const t = report.timeline;
  const note = untimedNote(t);
  const range = t.series.length ? `${t.series[0]!.period} .. ${t.series[t.series.length - 1]!.period}, ${t.counted} counted` : 'no incident with a time in scope';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>irpscope report ${e(report.generatedAt)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>irpscope report</h1>
<p class="meta">generated ${e(report.generatedAt)} from <code>${e(report.database)}</code>; scope: ${e(scope.length ? scope.join(', ') : 'the whole store')}</p>
<section id="store">
<h2>Store</h2>
<div class="wide"><table id="store-table"><tbody>
<tr><th>sources</th><td>${s.sources}</td></tr>
<tr><th>incidents</th><td>${s.incidents} (${s.untimedIncidents} without a time)</td></tr>
<tr><th>signed incidents</th><td>${s.signedIncidents} in ${s.buckets} bucket${s.buckets === 1 ? '' : 's'}${s.signedIncidents < s.incidents ? ` (${s.incidents - s.signedIncidents} not signed)` : ''}</td></tr>
<tr><th>IOCTL occurrences</th><td>${s.ioctlOccurrences} (${s.ioctlFailures} failed)</td></tr>
<tr><th>incident times</th><td>${e(displayTime(s.firstIncident))} .. ${e(displayTime(s.lastIncident))}</td></tr>
</tbody></table></div>
</section>
<section id="buckets">
<h2>Top buckets</h2>
<div class="wide"><table id="buckets-table"><thead><tr><th class="num">#</th><th>signature</th><th class="num">incidents</th><th>first seen</th><th>last seen</th><th>newest incident</th></tr></thead><tbody>
${bucketRows(report.buckets)}
</tbody></table></div>
</section>
<section id="timeline">
<h2>Incidents per ${e(t.by)} (UTC): ${e(range)}</h2>
${renderTimelineSvg(report)}
${note ? `<p id="untimed">${e(note).replace(/\n/g, '<br>')}</p>` : ''}
</section>
<section id="ioctls">
<h2>Decoded IOCTLs of the worst buckets</h2>
${ioctlSections(report.buckets)}
</section>
</main>
</body>
</html>
`;
}
