// The dashboard in Debian's chromium, driven by playwright-core, against a
// real `piculet serve` that tests/integration/test_dashboard.c started on
// the mail lab's data. The C side and this script take turns over a pipe:
// this script prints "started" once the campaign runs and the replies page
// is open, then reads "replied SENT" once the engine has sent SENT
// openings and read a prospect's answer. Every page is screenshot at 1280
// and 375 px wide (PICULET_WEB_SHOTS) and checked with axe-core; no
// request may leave the server's origin. Exits non-zero on the first
// failure, saying what and where.
import { createRequire } from 'node:module';
import { readFileSync, mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const base = process.env.PICULET_WEB_BASE;
const shots = process.env.PICULET_WEB_SHOTS;
const email = process.env.PICULET_WEB_EMAIL;
const password = process.env.PICULET_WEB_PASSWORD;
const csv = process.env.PICULET_WEB_CSV;
const campaign = process.env.PICULET_WEB_CAMPAIGN;
const token = process.env.PICULET_WEB_TOKEN;
const wait = { timeout: 30000 };
mkdirSync(shots, { recursive: true });

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
async function told(word) {
  const { value, done } = await lines.next();
  if (done || !value.startsWith(word)) throw new Error(`expected "${word}" from the test, got ${done ? 'the end' : value}`);
  return value.slice(word.length).trim();
}

function check(ok, what) {
  if (!ok) throw new Error(what);
}

const browser = await chromium.launch({
  executablePath: process.env.PICULET_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failed = false;
let page = null;
try {
  // The lab's authorization server has the lab's own CA.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: true });
  page = await context.newPage();
  const strangers = [];
  const problems = [];
  // Only the sign-in at the authorization server, which the person is
  // sent to on purpose, leaves the server.
  const issuer = process.env.PICULET_WEB_OAUTH_ISSUER;
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(base) && !url.startsWith('blob:') && !url.startsWith(`${issuer}/`)) strangers.push(url);
  });
  page.on('console', (message) => {
    // The browser logs the answers it got as errors: a wrong password's
    // 401 and the mistaken draft's 422 are the test's own doing.
    if (message.type() === 'error' && !/status of (401|422)/.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));

  // Each page: at 1280 and at 375 px, and no serious or critical
  // accessibility violation.
  async function look(name) {
    await page.screenshot({ path: `${shots}/${name}-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 375, height: 800 });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    await page.screenshot({ path: `${shots}/${name}-375.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    check(wide <= 375, `${name}: the page is ${wide} px wide at 375 px (it scrolls sideways)`);
    await page.evaluate(axeSource);
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    check(bad.length === 0, `${name}: accessibility: ${bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target).join(' ')}`).join('; ')}`);
  }

  // Sign in: a wrong password is refused with words, the right one opens
  // the status page.
  await page.goto(`${base}/`);
  await page.fill('#email', email);
  await page.fill('#password', 'not the password');
  await page.click('button[type=submit]');
  await page.getByText('wrong address or password').waitFor(wait);
  await look('sign-in');
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  await page.locator('#nav').waitFor({ state: 'visible', ...wait });
  await page.locator('table[aria-label=Mailboxes] td', { hasText: 'alice@sender.test' }).waitFor(wait);

  // The add form's address and the lab's servers.
  async function mailboxAt(address) {
    await page.fill('#mb-address', address);
    await page.fill('#mb-smtp_host', '127.0.0.1');
    await page.fill('#mb-smtp_port', process.env.PICULET_WEB_LAB_SUBMISSION);
    await page.selectOption('#mb-smtp_security', 'starttls');
    await page.fill('#mb-imap_host', '127.0.0.1');
    await page.fill('#mb-imap_port', process.env.PICULET_WEB_LAB_IMAPS);
    await page.selectOption('#mb-imap_security', 'tls');
  }

  // A mailbox added from the page, and its check in plain words.
  await mailboxAt('bob@sender.test');
  await page.fill('#mb-password', process.env.PICULET_WEB_LAB_PASSWORD);
  await page.click('form[aria-label="Add a mailbox"] button[type=submit]');
  await page.locator('.check .check-smtp', { hasText: 'works' }).waitFor(wait);
  await page.locator('.check .check-imap', { hasText: 'works' }).waitFor(wait);
  await page.locator('.check .check-dns').waitFor(wait);
  await page.locator('table[aria-label=Mailboxes] td', { hasText: 'bob@sender.test' }).waitFor(wait);
  await look('status');

  // A mailbox that signs in with OAuth2 (the lab's public client, as
  // Microsoft 365's would be): no password asked, the device code shown,
  // the person signs in from another page at the lab's authorization
  // server, and the page follows until the mailbox is signed in and checked
  // (over XOAUTH2).
  await mailboxAt('erwin@sender.test');
  await page.locator('#mb-sign-in option[value="lab-public"]').waitFor({ state: 'attached', ...wait });
  await page.selectOption('#mb-sign-in', 'lab-public');
  check(await page.locator('#mb-password').isHidden(), 'a password is asked of a mailbox that signs in with OAuth2');
  await page.click('form[aria-label="Add a mailbox"] button[type=submit]');
  await page.locator('.sign-in .user-code').waitFor(wait);
  const userCode = await page.locator('.sign-in .user-code').textContent();
  const signInAt = await page.locator('#sign-in-link').getAttribute('href');
  await look('sign-in-mailbox');
  const elsewhere = await browser.newContext({ ignoreHTTPSErrors: true });
  const person = await elsewhere.newPage();
  await person.goto(signInAt);
  await person.fill('input[name=user_code]', userCode);
  await person.getByRole('button', { name: 'Go on' }).click();
  await person.getByRole('button', { name: 'Yes' }).click();
  await person.fill('input[name=login]', 'erwin@sender.test');
  await person.fill('input[name=password]', process.env.PICULET_WEB_LAB_PASSWORD);
  await person.getByRole('button', { name: 'Sign in' }).click();
  await person.locator('#device-signed-in').waitFor(wait);
  await elsewhere.close();
  await page.locator('.sign-in .signed-in').waitFor(wait);
  const erwinCheck = page.locator('.check', { hasText: 'erwin@sender.test' });
  await erwinCheck.locator('.check-smtp', { hasText: 'works' }).waitFor(wait);
  await erwinCheck.locator('.check-imap', { hasText: 'works' }).waitFor(wait);
  await page.locator('table[aria-label=Mailboxes] td', { hasText: 'erwin@sender.test' }).waitFor(wait);

  // Signed in again here, in this browser (the code flow, as a Google
  // mailbox must: no device grant for mail): the provider's page in this
  // tab, then back at the mailboxes through piculet's /oauth/callback,
  // with a notice and the mailbox checked over XOAUTH2.
  const erwinRow = page.locator('table[aria-label=Mailboxes] tr', { hasText: 'erwin@sender.test' });
  await erwinRow.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('input[name=login]').waitFor(wait);
  check(page.url().startsWith(process.env.PICULET_WEB_OAUTH_ISSUER),
    `the sign-in went to ${page.url()}, not to the authorization server`);
  await page.fill('input[name=login]', 'erwin@sender.test');
  await page.fill('input[name=password]', process.env.PICULET_WEB_LAB_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#notice', { hasText: 'erwin@sender.test signed in' }).waitFor(wait);
  check(new URL(page.url()).hash === '#/status?signed_in=erwin%40sender.test',
    `back at ${page.url()}, not at the mailboxes`);
  const erwinAgain = page.locator('.check', { hasText: 'erwin@sender.test' });
  await erwinAgain.locator('.check-imap', { hasText: 'works' }).waitFor(wait);
  await look('signed-in-here');

  // Prospects: a CSV uploaded with its progress and its summary; its
  // columns (a German export's names) mapped first: the address is
  // recognised, "Vorname" and "Firma" become first name and company, the
  // notes are left out.
  await page.click('#nav a[href="#/prospects"]');
  async function upload(into) {
    await page.evaluate(() => document.querySelector('.import-done')?.parentElement.replaceChildren());
    await page.setInputFiles('#csv', csv);
    await page.locator('table[aria-label="Column mapping"] td', { hasText: 'Vorname' }).waitFor(wait);
    check(await page.inputValue('#map-0') === 'email', 'the mapping did not take "E-Mail" for the address');
    check(await page.inputValue('#map-3') === 'field' && await page.inputValue('#field-3') === 'notizen',
      'the mapping did not offer "Notizen" as a field of its own');
    await page.selectOption('#map-1', 'first_name');
    await page.selectOption('#map-2', 'company');
    await page.selectOption('#map-3', 'skip');
    check(await page.locator('#field-1').isHidden() && await page.locator('#field-3').isHidden(),
      'a field name is asked of a column that is no field');
    await page.fill('#import-campaign', into || '');
    await page.click('form[aria-label="Import prospects"] button[type=submit]');
    const done = page.locator('.import-done');
    await done.waitFor(wait);
    const said = await done.textContent();
    return said;
  }
  const summary = await upload(null);
  check(summary.startsWith('202 rows read: 200 new') && summary.includes('skipped: 2 invalid'),
    `the import said: ${summary}`);
  const leftOut = await page.locator('details.left-out li').allTextContents();
  check(leftOut.length === 2 && leftOut[0].includes(':3: column "e-mail"') && leftOut[1].includes(':4: column "e-mail"'),
    `the rows left out: ${leftOut.join(' | ')}`);
  check(await page.locator('progress').evaluate((bar) => bar.value) === 100, 'the progress bar did not reach the end');
  // The list in pages of 50, in address order.
  await page.locator('table[aria-label=Prospects] td a', { hasText: 'person001@' }).waitFor(wait);
  check(await page.locator('table[aria-label=Prospects] tbody tr').count() === 50, 'a page is not 50 people');
  check(await page.locator('.pager').textContent() === 'Next', `the pager says: ${await page.locator('.pager').textContent()}`);
  await look('prospects');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.locator('table[aria-label=Prospects] td a', { hasText: 'person051@' }).waitFor(wait);
  await page.getByRole('button', { name: 'Previous' }).click();
  await page.locator('table[aria-label=Prospects] td a', { hasText: 'person001@' }).waitFor(wait);
  await page.fill('#search', 'sybil');
  await page.click('form[role=search] button');
  await page.waitForFunction(() => {
    const rows = document.querySelectorAll('table[aria-label=Prospects] tbody tr');
    return rows.length === 1 && rows[0].textContent.includes('sybil@prospect.test');
  }, null, wait);
  // Her page: edited in place.
  await page.click('table[aria-label=Prospects] td a');
  check(await page.inputValue('#p-first_name') === 'Sybil' && await page.inputValue('#p-company') === 'Prospect',
    'the mapped columns did not become her first name and company');
  await page.fill('#p-company', 'Prospect and Sons');
  await page.click('form[aria-label="Edit the prospect"] button[type=submit]');
  await page.locator('main p', { hasText: 'Sybil — Prospect and Sons' }).waitFor(wait);
  check(await page.locator('#p-field-notizen').count() === 0, 'the notes left out were imported as a field');
  await look('prospect');

  // A 3-step campaign typed in the page: the preview follows the typing
  // (a first body, then a mistake shown with its place, then the file).
  await page.click('#nav a[href="#/campaigns"]');
  await page.getByRole('button', { name: 'New campaign' }).click();
  await page.fill('#new-preview-prospect', 'sybil@prospect.test');
  // First one written in the form: each field writes the file, whose
  // preview follows; Monday closed, a follow-up added after two days.
  await page.fill('#b-name', 'Formed');
  await page.locator('#b-mailbox-0').waitFor(wait);
  check(await page.locator('#b-mailbox-0').isChecked(), 'the builder chose no mailbox');
  await page.uncheck('#b-mon-on');
  await page.fill('#b-step-0-subject', 'Built for {{first_name}}');
  await page.fill('#b-step-0-body', 'Hello {{first_name}},\n\nthis one was written in a form.\n');
  await page.fill('#b-step-1-delay', '2d');
  await page.fill('#b-step-1-body', 'A word again, {{first_name}}.');
  await page.getByRole('button', { name: 'Add a step' }).click();
  await page.fill('#b-step-2-delay', '1w');
  await page.fill('#b-step-2-subject', 'Last one');
  await page.fill('#b-step-2-body', 'Last note, {{first_name}}.');
  await page.locator('.live-preview pre', { hasText: 'Hello Sybil,' }).first().waitFor(wait);
  await page.locator('.live-preview pre', { hasText: 'Subject: Last one' }).first().waitFor(wait);
  const built = await page.inputValue('#new-definition');
  check(built.includes('name: "Formed"') && built.includes('  mon: closed') && built.includes('delay: "2d"') &&
    built.includes('body: |\n      Hello {{first_name}},\n\n      this one was written in a form.'),
    `the file the form wrote:\n${built}`);
  check(await page.locator('.live-preview .card').count() === 3, 'the built campaign does not preview three steps');
  await look('campaign-builder');
  await page.click('form[aria-label="New campaign"] button[type=submit]');
  await page.locator('table[aria-label=Campaigns] tr', { hasText: 'Formed' }).getByText('draft').waitFor(wait);
  // Then the test's own campaign, typed as a file.
  await page.getByRole('button', { name: 'New campaign' }).click();
  await page.getByRole('button', { name: 'As the file' }).click();
  const definition = process.env.PICULET_WEB_DEFINITION;
  await page.fill('#new-definition', definition.replace("a question from the dashboard's test", 'a first draft'));
  await page.locator('.live-preview pre', { hasText: 'Hi Sybil, a first draft' }).first().waitFor(wait);
  // The fields as typed: the first name every prospect has, a title none
  // has (marked in the text, with how many lack it), a spintax's choices.
  await page.locator('.fields li.field', { hasText: '{{first_name}}' }).filter({ hasText: 'every prospect has it' }).waitFor(wait);
  await page.fill('#new-definition', definition.replace('Hi {{first_name}},', '{{spin: Hi|Hello}} {{first_name}} {{title}},'));
  const lacking = page.locator('.fields li.field', { hasText: '{{title}}' });
  await lacking.waitFor(wait);
  check((await lacking.textContent()).includes('200 of 200 prospects lack it'), `the title's line: ${await lacking.textContent()}`);
  await page.locator('.editor mark.lacking', { hasText: '{{title}}' }).waitFor({ state: 'attached', ...wait });
  const spun = await page.locator('.fields li.spin').first().textContent();
  check(spun.includes('Step 1 body') && spun.includes('Hi') && spun.includes('Hello'), `the spintax: ${spun}`);
  await look('campaign-fields');
  await page.fill('#new-definition', definition.replace('{{first_name}}', '{{first_name'));
  await page.locator('.live-preview .error', { hasText: 'is not closed' }).waitFor(wait);
  await page.fill('#new-definition', definition);
  await page.locator('.live-preview pre', { hasText: `Hi Sybil, a question from the dashboard's test ${token}` }).first().waitFor(wait);
  check(await page.locator('.live-preview .card').count() === 3, 'the preview does not show three steps');
  await look('new-campaign');
  await page.click('form[aria-label="New campaign"] button[type=submit]');
  await page.locator('table[aria-label=Campaigns] tr', { hasText: campaign }).getByText('draft').waitFor(wait);

  // Everyone enrolled by a second upload into the campaign.
  await page.click('#nav a[href="#/prospects"]');
  const enrolled = await upload(campaign);
  check(enrolled.includes(`200 enrolled in ${campaign}`), `the second import said: ${enrolled}`);

  // The campaign started from its list.
  await page.click('#nav a[href="#/campaigns"]');
  const row = page.locator('table[aria-label=Campaigns] tr', { hasText: campaign });
  await row.getByRole('button', { name: 'start' }).click();
  await row.getByText('running').waitFor(wait);
  await look('campaigns');

  // The replies page, open while the engine works: the reply must come
  // to it without a reload.
  await page.click('#nav a[href="#/replies"]');
  await page.locator('table[aria-label=Replies]').waitFor(wait);
  await page.evaluate(() => { window.stillTheSamePage = true; });
  console.log('started');
  await told('replied');
  const reply = page.locator('tr.reply', { hasText: 'sybil@prospect.test' });
  await reply.waitFor(wait);
  check(await page.evaluate(() => window.stillTheSamePage === true), 'the page was reloaded');
  await page.locator('#campaign-filter option', { hasText: campaign }).waitFor({ state: 'attached', ...wait });
  await page.selectOption('#campaign-filter', campaign);
  await page.waitForFunction((name) => location.hash.includes(`campaign=${name}`), campaign, wait);
  await reply.waitFor(wait);
  // By mailbox: Bob's has none of it, Alice's has it.
  await page.locator('#mailbox-filter option', { hasText: 'bob@sender.test' }).waitFor({ state: 'attached', ...wait });
  await page.selectOption('#mailbox-filter', 'bob@sender.test');
  await page.getByText('No reply yet.').waitFor(wait);
  await page.locator('#mailbox-filter option', { hasText: 'alice@sender.test' }).waitFor({ state: 'attached', ...wait });
  await page.selectOption('#mailbox-filter', 'alice@sender.test');
  await reply.waitFor(wait);
  await look('replies');
  await reply.locator('a').click();
  await page.getByText('Yes, tell me more').waitFor(wait);
  await page.selectOption('#intent', 'meeting');
  await page.click('form[aria-label=Intent] button');
  await page.getByText('Marked.').waitFor(wait);
  // The answer, from the dashboard: sent, and shown in the thread.
  await page.fill('#answer', `Thanks Sybil, here is more: a call on Thursday? ${token}`);
  await page.click('form[aria-label=Answer] button[type=submit]');
  await page.locator('.msg.answered', { hasText: 'a call on Thursday?' }).waitFor(wait);
  const answered = await page.locator('.msg.answered .meta').first().textContent();
  check(answered.includes(`Answered by ${email}`) && answered.includes('(sent'), `the answer says: ${answered}`);
  console.log('answered');
  await look('reply');
  const sent = Number(await told('checked'));

  // The report: what the engine sent, the one reply.
  await page.goto(`${base}/#/campaigns/${encodeURIComponent(campaign)}`);
  const rows = page.locator('table[aria-label="Report per step"] tbody tr');
  await rows.first().waitFor(wait);
  const steps = [];
  for (const row of await rows.all()) steps.push(await row.locator('td').allTextContents());
  const total = steps.reduce((sum, cells) => sum + Number(cells[1]), 0);
  check(steps.length === 3 && total === sent && steps[0][2].startsWith('1 ('),
    `the report: ${steps.map((cells) => cells.join(' | ')).join(' / ')} (the engine sent ${sent}, one reply)`);
  // The per-day chart: the first day's openings and reply, the fourth's
  // follow-ups, the seventh's openings (the calls send nothing).
  await page.locator('.chart .col').first().waitFor(wait);
  const columns = await page.locator('.chart .col').evaluateAll((cols) => cols.map((c) => c.title));
  check(columns.length === 3 && columns[0].startsWith('2026-12-01') && columns[0].endsWith('1 replied') &&
    columns[1].startsWith('2026-12-04') && columns[2].startsWith('2026-12-07'), `the chart's days: ${columns.join(' / ')}`);
  await page.fill('#preview-prospect', 'sybil@prospect.test');
  await page.click('form[aria-label=Preview] button');
  await page.getByText('Hi Sybil', { exact: false }).first().waitFor(wait);
  await look('campaign');

  // A mailbox's own report: what it sent, over all its campaigns, by day.
  await page.click('#nav a[href="#/status"]');
  const alice = page.locator('table[aria-label=Mailboxes] tr', { hasText: 'alice@sender.test' });
  await alice.getByRole('button', { name: 'Report' }).click();
  await page.getByText('Report of alice@sender.test').waitFor(wait);
  const said = await page.locator('.card', { hasText: 'Report of alice@sender.test' }).innerText();
  check(/[1-9]\d* sent, [1-9]\d* replied/.test(said), `the mailbox's report: ${said}`);

  // The calls the third step left: one marked done from the page, then
  // listed among the done ones with who did it.
  await page.click('#nav a[href="#/tasks"]');
  const call = page.locator('table[aria-label=Tasks] tr.task', { hasText: 'person001@' });
  await call.waitFor(wait);
  check((await call.textContent()).includes(`Ask about the question ${token}`), `the task says: ${await call.textContent()}`);
  check(await page.locator('table[aria-label=Tasks] tr.task', { hasText: 'sybil@' }).count() === 0,
    'Sybil, who replied, has a task');
  await look('tasks');
  await call.getByRole('button', { name: 'Done' }).click();
  await call.waitFor({ state: 'detached', ...wait });
  await page.getByText('Show the done ones too').click();
  const doneCall = page.locator('table[aria-label=Tasks] tr.task.done', { hasText: 'person001@' });
  await doneCall.waitFor(wait);
  check((await doneCall.textContent()).includes(`by ${email}`), `the done task says: ${await doneCall.textContent()}`);

  check(strangers.length === 0, `requests left the server: ${strangers.join(' ')}`);
  check(problems.length === 0, `the page said: ${problems.join(' | ')}`);
  console.log('done');
} catch (error) {
  failed = true;
  console.error(`dashboard: ${error.message}`);
  if (page) {
    // What the page showed, for the person reading the failure.
    await page.screenshot({ path: `${shots}/failure.png`, fullPage: true }).catch(() => null);
    const shown = await page.locator('main').innerText().catch(() => '(no page)');
    const note = await page.locator('#notice').innerText().catch(() => '');
    console.error(`dashboard: the page showed:\n${shown}\n${note}`);
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
