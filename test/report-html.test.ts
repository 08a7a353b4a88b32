/**
 * The HTML report in a real browser: Debian's Chromium, headless, driven by playwright-core. Checked structurally,
 * not by pixels: one SVG bar per period with heights proportional to the counts (bounding boxes), the tables'
 * rows, hostile text shown as text, no script and no request beyond the file, the page within the viewport at
 * desktop and phone widths, and screenshots that decode to the expected size with the bars actually painted.
 *
 * When Chromium cannot be started the tests skip and say why (never pass silently). .ci/run installs Chromium and
 * sets IRPSCOPE_REQUIRE_BROWSER=1, which turns a failed start into a failure there.
 */
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ticksFromText } from '../db/column-values.js';
import { buildReport, type Report } from '../src/cli/report-command.js';
import { renderReportHtml } from '../src/cli/render-report-html.js';
import { reportStore, SIG_A, SIG_B, SIG_C } from './fixtures/store/report-store.js';
import { decodePng } from './png.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** The bar colour in the page's CSS (.bar { fill: #0969da }). */
const BAR_RGB = [0x09, 0x69, 0xda] as const;

let browser: Browser | null = null;
let unavailable = '';
let report: Report;
let fileUrl: string;

beforeAll(async () => {
  const store = reportStore();
  try {
    report = buildReport(store.db, 'tickets.db', { sinceTicks: null, driverKey: null, by: null, top: 5, nowTicks: ticksFromText('2024-05-07T12:00:00Z')! });
  } finally {
    store.close();
  }
  const file = join(mkdtempSync(join(tmpdir(), 'irpscope-report-browser-')), 'report.html');
  writeFileSync(file, renderReportHtml(report));
  fileUrl = pathToFileURL(file).href;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 45_000 });
  } catch (error) {
    unavailable = `Chromium could not be started from ${CHROMIUM} (install it with: apt-get install -y chromium): ${(error as Error).message.split('\n')[0]}`;
    if (process.env.IRPSCOPE_REQUIRE_BROWSER === '1') throw new Error(unavailable);
    console.warn(`report-html.test.ts: SKIPPED: ${unavailable}`);
  }
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

async function open(ctx: TestContext, viewport = { width: 1024, height: 768 }): Promise<{ page: Page; requests: string[]; dialogs: string[] }> {
  if (!browser) ctx.skip(unavailable);
  const page = await browser!.newPage({ viewport, deviceScaleFactor: 1 });
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(fileUrl, { waitUntil: 'load' });
  return { page, requests, dialogs };
}

interface BarBox { period: string; count: number; x: number; y: number; width: number; height: number; bottom: number }

describe('HTML report in headless Chromium', () => {
  it('draws one bar per period, heights proportional to the counts, on one baseline, left to right', async (ctx) => {
    const { page } = await open(ctx);
    const bars = await page.$$eval('#timeline-chart rect.bar', (rects) => rects.map((r) => {
      const b = r.getBoundingClientRect();
      return { period: r.getAttribute('data-period') ?? '', count: Number(r.getAttribute('data-count')), x: b.x, y: b.y, width: b.width, height: b.height, bottom: b.bottom };
    })) as BarBox[];
    expect(bars.map((b) => [b.period, b.count])).toEqual(report.timeline.series.map((p) => [p.period, p.count]));
    expect(bars.map((b) => [b.period, b.count])).toEqual([['2024-05-01', 3], ['2024-05-02', 1], ['2024-05-03', 0], ['2024-05-04', 3], ['2024-05-05', 1], ['2024-05-06', 1]]);
    const tallest = Math.max(...bars.map((b) => b.height));
    // The y axis tops out at 5 (1-2-5 steps above the largest count, 3): the tallest bar fills 3/5 of the plot.
    const chart = (await page.locator('#timeline-chart').boundingBox())!;
    expect(Math.abs(tallest / chart.height - (3 / 5) * (190 / 240))).toBeLessThan(0.01);
    const off = bars.filter((b) => Math.abs(b.height - (tallest * b.count) / 3) > 0.5 || Math.abs(b.bottom - bars[0]!.bottom) > 0.5 || Math.abs(b.width - bars[0]!.width) > 0.01);
    expect(off).toEqual([]);
    expect(bars.every((b, i) => i === 0 || b.x > bars[i - 1]!.x)).toBe(true);
    expect(bars[2]!.height).toBe(0);
    await page.close();
  });

  it('has the expected table rows, shows hostile text as text, runs no script and loads nothing else', async (ctx) => {
    const { page, requests, dialogs } = await open(ctx);
    const facts = await page.evaluate(() => ({
      scripts: document.scripts.length,
      handlers: [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name)),
      storeRows: [...document.querySelectorAll('#store-table tr')].map((tr) => tr.querySelector('th')!.textContent),
      bucketRows: [...document.querySelectorAll('#buckets-table tbody tr')].map((tr) => [tr.cells[0]!.textContent, tr.querySelector('.sig')!.textContent, tr.cells[2]!.textContent]),
      ioctlTables: [...document.querySelectorAll('table.ioctls')].map((t) => [...t.querySelectorAll('tbody tr')].map((tr) => tr.cells[0]!.textContent)),
      untimed: document.querySelector('#untimed')?.textContent ?? null,
    }));
    expect(facts).toEqual({
      scripts: 0,
      handlers: [],
      storeRows: ['sources', 'incidents', 'signed incidents', 'IOCTL occurrences', 'incident times'],
      bucketRows: [['1', SIG_A, '61 without a time2 builds, 1 machine'], ['2', SIG_B.replace('\u001b', '\\x1b'), '20 builds, 1 machine'], ['3', SIG_C, '10 builds, 1 machine']],
      ioctlTables: [['0x00222004', '0x002D1400'], ['0x00222004']],
      untimed: '1 incident without a time is not on the chart (irpscope incidents lists them)',
    });
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([fileUrl]);
    await page.close();
  });

  it('fits the viewport width on a desktop and on a phone (long signatures wrap, wide tables scroll in their box)', async (ctx) => {
    for (const viewport of [{ width: 1024, height: 768 }, { width: 390, height: 844 }]) {
      const { page } = await open(ctx, viewport);
      const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
      expect({ viewport: viewport.width, fits: widths.scroll <= widths.inner }).toEqual({ viewport: viewport.width, fits: true });
      // On a desktop every table fits its box too; on a phone a wide table may scroll inside its own box.
      const scrolling = await page.$$eval('.wide', (boxes) => boxes.filter((b) => b.scrollWidth > b.clientWidth).map((b) => b.firstElementChild!.id || b.firstElementChild!.className));
      if (viewport.width >= 1024) expect(scrolling).toEqual([]);
      await page.close();
    }
  });

  it('screenshots decode to the expected size and the chart is painted where the bars are', async (ctx) => {
    const { page } = await open(ctx);
    const shot = decodePng(await page.screenshot());
    expect([shot.width, shot.height]).toEqual([1024, 768]);
    const chart = page.locator('#timeline-chart');
    await chart.scrollIntoViewIfNeeded();
    const box = (await chart.boundingBox())!;
    const png = decodePng(await chart.screenshot());
    expect([Math.abs(png.width - box.width) <= 1, Math.abs(png.height - box.height) <= 1]).toEqual([true, true]);
    const isBar = (i: number) => Math.abs(png.pixels[i]! - BAR_RGB[0]) <= 8 && Math.abs(png.pixels[i + 1]! - BAR_RGB[1]) <= 8 && Math.abs(png.pixels[i + 2]! - BAR_RGB[2]) <= 8;
    let painted = 0;
    for (let i = 0; i < png.pixels.length; i += 4) if (isBar(i)) painted += 1;
    const bars = await page.$$eval('#timeline-chart rect.bar', (rects) => rects.map((r) => { const b = r.getBoundingClientRect(); return { x: b.x, width: b.width, area: b.width * b.height }; }));
    const expectedArea = bars.reduce((a, b) => a + b.area, 0);
    // Anti-aliased edges blend with the background: the fully coloured pixels are the bars' area, give or take 15%.
    expect(painted / expectedArea).toBeGreaterThan(0.85);
    expect(painted / expectedArea).toBeLessThan(1.15);
    // The empty day's slot has no bar colour in its column.
    const column = Math.round(bars[2]!.x - box.x + bars[2]!.width / 2);
    let inEmptySlot = 0;
    for (let y = 0; y < png.height; y++) if (isBar((y * png.width + column) * 4)) inEmptySlot += 1;
    expect(inEmptySlot).toBe(0);
    await page.close();
  });
});
