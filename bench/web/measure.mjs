// bench/web's measurements in Debian's chromium (bench.py starts the server
// and reads the JSON this prints). Times are taken in the page
// (performance.now()), from the navigation's or the click's start to the
// moment the rows asked for are in the document.
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';

const require = createRequire(process.env.BENCH_WEB_MODULES);
const { chromium } = require('playwright-core');
const base = process.env.BENCH_WEB_BASE;
const RUNS = 10;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// The proportional set size of every process of this browser (its
// profile folder names them), and of its renderers alone, in MB.
function memoryOf(profile) {
  let all = 0;
  const renderers = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let command = '';
    try { command = readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { continue; }
    if (!command.includes(profile)) continue;
    let rollup = '';
    try { rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'); } catch { continue; }
    const pss = Number((rollup.match(/^Pss:\s+(\d+) kB/m) || [0, 0])[1]) / 1024;
    all += pss;
    if (command.includes('--type=renderer')) renderers.push(pss);
  }
  return { all, renderers };
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--enable-precise-memory-info'],
});
try {
  const signIn = await browser.newContext();
  const answer = await signIn.request.post(`${base}/api/v1/session`, {
    data: { email: process.env.BENCH_WEB_EMAIL, password: process.env.BENCH_WEB_PASSWORD } });
  if (!answer.ok()) throw new Error(`sign-in: ${answer.status()}`);
  const state = await signIn.storageState();
  await signIn.close();

  // (a) The first load, nothing cached.
  const renders = [];
  let bytes = 0;
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ storageState: state });
    const page = await context.newPage();
    await page.goto(`${base}/#/status`, { waitUntil: 'commit' });
    renders.push(await page.waitForFunction(
      () => document.querySelector('table[aria-label=Mailboxes] tbody tr td') && performance.now(),
      null, { polling: 'raf', timeout: 30000 }).then((handle) => handle.jsonValue()));
    bytes = await page.evaluate(() => performance.getEntriesByType('navigation')
      .concat(performance.getEntriesByType('resource'))
      .filter((entry) => !entry.name.includes('/api/'))
      .reduce((sum, entry) => sum + entry.transferSize, 0));
    await context.close();
  }

  // (b) The replies inbox and the prospects list over the big database.
  const context = await browser.newContext({ storageState: state, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/#/status`);
  await page.locator('#nav').waitFor({ state: 'visible' });
  // The time from @start until @ready(@arg) holds in the page.
  async function timed(start, ready, arg) {
    await page.evaluate(() => { window.benchStart = performance.now(); });
    await start();
    return page.waitForFunction(ready, arg, { polling: 'raf', timeout: 30000 })
      .then((handle) => handle.jsonValue());
  }
  const away = async () => {
    await page.evaluate(() => { location.hash = '#/campaigns'; });
    await page.locator('table[aria-label=Campaigns]').waitFor();
  };
  const replies = { first: [], next: [] };
  const prospects = { first: [], next: [] };
  for (let run = 0; run < RUNS; run++) {
    await away();
    replies.first.push(await timed(() => page.evaluate(() => { location.hash = '#/replies'; }),
      () => document.querySelectorAll('table[aria-label=Replies] tbody tr.reply').length === 50 &&
        performance.now() - window.benchStart));
    const newest = await page.locator('table[aria-label=Replies] tbody tr.reply td a').first().textContent();
    replies.next.push(await timed(() => page.evaluate(() => [...document.querySelectorAll('.pager a')].find((a) => a.textContent === 'Older').click()),
      (seen) => {
        const first = document.querySelector('table[aria-label=Replies] tbody tr.reply td a');
        return first && first.textContent !== seen && performance.now() - window.benchStart;
      }, newest));
  }
  for (let run = 0; run < RUNS; run++) {
    await away();
    prospects.first.push(await timed(() => page.evaluate(() => { location.hash = '#/prospects'; }),
      () => {
        const first = document.querySelector('table[aria-label=Prospects] tbody tr td a');
        return first && first.textContent.startsWith('p0000000') &&
          document.querySelectorAll('table[aria-label=Prospects] tbody tr').length === 50 &&
          performance.now() - window.benchStart;
      }));
    prospects.next.push(await timed(() => page.evaluate(() => [...document.querySelectorAll('.pager button')].find((b) => b.textContent === 'Next').click()),
      () => {
        const first = document.querySelector('table[aria-label=Prospects] tbody tr td a');
        return first && first.textContent.startsWith('p0000050') && performance.now() - window.benchStart;
      }));
  }
  const heap = await page.evaluate(() => performance.memory.usedJSHeapSize / 1048576);
  const memory = memoryOf('playwright_chromiumdev_profile');
  console.log(JSON.stringify({
    bytes,
    first_render_ms: median(renders),
    replies_first_ms: median(replies.first),
    replies_next_ms: median(replies.next),
    prospects_first_ms: median(prospects.first),
    prospects_next_ms: median(prospects.next),
    heap_mb: heap,
    pss_mb: memory.all,
    renderer_mb: Math.max(...memory.renderers),
    renderers_mb: memory.renderers,
  }));
} finally {
  await browser.close();
}
