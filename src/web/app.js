/*
 * piculet's dashboard: one page over the HTTP API (/api/v1), no framework.
 * Every text from the server goes into the page as text (textContent),
 * never as markup. The session is an HttpOnly cookie; each change carries
 * the session's CSRF token in X-CSRF-Token. Live parts poll an ETag'd
 * endpoint: an unchanged answer is a 304 without a body.
 */
'use strict';

const POLL_MS = 3000;
const state = { session: null, timers: [], etags: new Map() };

/* --- small helpers --- */

function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/* @node's children become @children, with null, undefined and false left
 * out (replaceChildren would show them as text). */
function put(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

function show(...nodes) {
  const main = document.getElementById('main');
  put(main, ...nodes);
}

function notice(text) {
  const box = document.getElementById('notice');
  box.textContent = text;
  box.hidden = false;
  clearTimeout(notice.timer);
  notice.timer = setTimeout(() => { box.hidden = true; }, 5000);
}

function when(text) {
  if (!text) return '—';
  const at = new Date(text);
  return isNaN(at) ? text : at.toLocaleString();
}

function rate(part, whole) {
  return whole > 0 ? `${Math.round((100 * part) / whole)} %` : '—';
}

function canChange() {
  return state.session && state.session.role !== 'viewer';
}

function tag(text, kind) {
  return h('span', { class: `tag ${kind || ''}` }, text);
}

const ACTIVITY_KIND = { sending: 'good', pacing: 'good', paused: 'bad', capped: 'warn', waiting: 'warn', idle: '' };

/* --- the API --- */

class ApiError extends Error {
  constructor(status, detail) {
    super(detail || `the server answered ${status}`);
    this.status = status;
  }
}

async function api(method, path, body, headers) {
  const init = { method, credentials: 'same-origin', headers: Object.assign({}, headers) };
  if (method !== 'GET' && state.session && state.session.csrf)
    init.headers['X-CSRF-Token'] = state.session.csrf;
  if (body !== undefined) {
    if (typeof body === 'string' || body instanceof Blob) init.body = body;
    else {
      init.body = JSON.stringify(body);
      init.headers['Content-Type'] = 'application/json';
    }
  }
  const answer = await fetch(path, init);
  if (answer.status === 401 && path !== '/api/v1/session') {
    state.session = null;
    signInPage('Your session has ended: sign in again.');
    throw new ApiError(401, 'not signed in');
  }
  if (answer.status === 204 || answer.status === 304) return null;
  const type = answer.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await answer.json() : await answer.text();
  if (!answer.ok) throw new ApiError(answer.status, data && data.detail);
  return data;
}

/* GET @path, or null when unchanged since the last call (its ETag). */
async function poll(path) {
  const headers = {};
  const known = state.etags.get(path);
  if (known) headers['If-None-Match'] = known;
  const answer = await fetch(path, { credentials: 'same-origin', headers });
  if (answer.status === 304) return null;
  if (answer.status === 401) {
    state.session = null;
    signInPage('Your session has ended: sign in again.');
    return null;
  }
  if (!answer.ok) throw new ApiError(answer.status);
  const tagged = answer.headers.get('ETag');
  if (tagged) state.etags.set(path, tagged);
  return answer.json();
}

function every(ms, fn) {
  const run = () => fn().catch((error) => notice(error.message));
  run();
  state.timers.push(setInterval(run, ms));
}

function stopTimers() {
  /* Intervals and timeouts share one pool of ids: either clear ends either. */
  state.timers.forEach(clearInterval);
  state.timers = [];
  state.etags.clear();
}

function failed(error) {
  if (error.status !== 401) notice(error.message);
}

/* --- sign-in --- */

function signInPage(why) {
  stopTimers();
  document.getElementById('nav').hidden = true;
  document.getElementById('who').replaceChildren();
  const problem = h('p', { class: 'error', role: 'alert' }, why || '');
  const form = h('form', { class: 'card signin', 'aria-label': 'Sign in' },
    h('h1', {}, 'Sign in'),
    h('label', { for: 'email' }, 'Email'),
    h('input', { id: 'email', name: 'email', type: 'email', autocomplete: 'username', required: true }),
    h('label', { for: 'password' }, 'Password'),
    h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    h('button', { type: 'submit' }, 'Sign in'),
    problem);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      state.session = await api('POST', '/api/v1/session', {
        email: form.email.value, password: form.password.value });
      signedIn();
    } catch (error) {
      problem.textContent = error.message;
    }
  });
  show(form);
  form.email.focus();
}

function signedIn() {
  document.getElementById('nav').hidden = false;
  const out = h('button', { class: 'plain', type: 'button', onclick: async () => {
    await api('DELETE', '/api/v1/session').catch(() => null);
    state.session = null;
    signInPage('Signed out.');
  } }, 'Sign out');
  document.getElementById('who').replaceChildren(
    `${state.session.email} (${state.session.role})`, out);
  route();
}

/* --- status: what each mailbox does now --- */

const PROVIDERS = {
  google: { smtp_host: 'smtp.gmail.com', smtp_port: 465, smtp_security: 'tls',
    imap_host: 'imap.gmail.com', imap_port: 993, imap_security: 'tls' },
  microsoft: { smtp_host: 'smtp.office365.com', smtp_port: 587, smtp_security: 'starttls',
    imap_host: 'outlook.office365.com', imap_port: 993, imap_security: 'tls' },
  other: {},
};

const VERDICT_WORDS = {
  ok: 'works', auth: 'the sign-in was refused', config: 'a setting is wrong', unavailable: 'could not be reached',
};

/* A check's report in plain words: each server, then the domain's DNS. */
function checkReport(report) {
  const part = (name, p, extra) => h('li', { class: `check-${name.toLowerCase()}` },
    h('strong', {}, `${name}: `), tag(VERDICT_WORDS[p.verdict] || p.verdict, p.verdict === 'ok' ? 'good' : 'bad'),
    p.failure ? ` ${p.failure}` : '', extra || '');
  const findings = (report.dns && report.dns.findings) || [];
  return h('div', { class: 'card check', 'aria-live': 'polite' },
    h('h3', {}, `Check of ${report.address}`),
    h('ul', {},
      part('SMTP', report.smtp, report.smtp.tls ? ` (${report.smtp.tls})` : ''),
      part('IMAP', report.imap, report.imap.sent_folder ? ` (sent mail filed in “${report.imap.sent_folder}”)` : ''),
      report.dns ? part('DNS', report.dns) : h('li', {}, 'DNS: not looked at')),
    findings.length ? h('ul', { class: 'findings' }, findings.map((f) => h('li', {},
      tag(f.verdict, f.verdict === 'ok' ? 'good' : 'warn'), ` ${f.what}${f.name ? ` (${f.name})` : ''}: ${f.detail}`))) : null);
}

/* A mailbox signing in through its OAuth2 client: the device grant's code
 * and where to type it (on any device: the server has no browser), then
 * followed until the person has signed in; then the check. */
function followSignIn(address, out) {
  const path = `/api/v1/mailboxes/${encodeURIComponent(address)}/authorize`;
  const shown = (s) => h('div', { class: 'card sign-in', 'aria-live': 'polite' },
    h('h3', {}, `Sign in ${address}`),
    s.state === 'pending' ? [
      h('p', {}, 'Open ', h('a', { href: s.verification_uri, target: '_blank', rel: 'noopener noreferrer', id: 'sign-in-link' }, s.verification_uri),
        ' and enter the code ', h('strong', { class: 'user-code' }, s.user_code), ', then sign in as this mailbox.'),
      s.verification_uri_complete ? h('p', { class: 'quiet' }, 'Or open ',
        h('a', { href: s.verification_uri_complete, target: '_blank', rel: 'noopener noreferrer' }, 'this link'), ', which carries the code.') : null,
      h('p', { class: 'quiet' }, 'Waiting for the sign-in…')]
      : s.state === 'signed_in' ? h('p', { class: 'signed-in' }, 'Signed in.')
        : h('p', { class: 'error', role: 'alert' }, `The sign-in failed: ${s.error || s.state}`));
  const watch = async () => {
    const s = await api('GET', path);
    put(out, shown(s));
    if (s.state === 'pending') { state.timers.push(setTimeout(() => watch().catch(failed), 2000)); return; }
    if (s.state === 'signed_in') {
      out.append(h('p', { class: 'quiet' }, 'Checking the servers and the domain…'));
      out.append(checkReport(await api('POST', `/api/v1/mailboxes/${encodeURIComponent(address)}/check`)));
    }
  };
  return api('POST', path).then((s) => { put(out, shown(s)); state.timers.push(setTimeout(() => watch().catch(failed), 2000)); });
}

/* A mailbox signing in here, in this browser: the provider's page, which
 * comes back to the server's /oauth/callback and then to the mailboxes
 * (the client must allow that address: at Google, a "web application"
 * client). */
async function signInHere(address) {
  const s = await api('POST', `/api/v1/mailboxes/${encodeURIComponent(address)}/authorize`,
    { redirect_uri: `${location.origin}/oauth/callback` });
  if (s.flow === 'code' && s.authorization_url) location.assign(s.authorization_url);
  else throw new Error('a sign-in with a code is under way for this mailbox: finish it first');
}

function mailboxForm(after) {
  const field = (name, label, attrs) => h('div', {}, h('label', { for: `mb-${name}` }, label),
    h('input', Object.assign({ id: `mb-${name}`, name }, attrs || {})));
  const provider = h('select', { id: 'mb-provider', name: 'provider' },
    h('option', { value: 'other' }, 'other'), h('option', { value: 'google' }, 'Google Workspace'),
    h('option', { value: 'microsoft' }, 'Microsoft 365'));
  const security = (name) => h('select', { id: `mb-${name}`, name },
    ['starttls', 'tls', 'none'].map((v) => h('option', { value: v }, v)));
  /* A password, or one of the OAuth2 clients set up (piculet oauth set). */
  const signIn = h('select', { id: 'mb-sign-in', name: 'sign_in' }, h('option', { value: '' }, 'a password'));
  const password = field('password', 'Password (kept sealed)', { type: 'password', autocomplete: 'new-password', required: true });
  const problem = h('p', { class: 'error', role: 'alert' });
  const result = h('div', {});
  const submit = h('button', { type: 'submit' }, 'Add and check');
  /* OAuth2: here, in this browser (the code flow), or with a code on any
   * device (the device grant, where the client has one; Google has none
   * for mail). */
  const how = h('select', { id: 'mb-sign-in-how', name: 'sign_in_how' },
    h('option', { value: 'here' }, 'here, in this browser'),
    h('option', { value: 'device' }, 'with a code, on any device'));
  const howField = h('div', { hidden: true }, h('label', { for: 'mb-sign-in-how' }, 'Sign in'), how);
  const form = h('form', { class: 'card', 'aria-label': 'Add a mailbox' },
    h('h2', {}, 'Add a mailbox'),
    h('div', { class: 'inline' },
      field('address', 'Address', { type: 'email', required: true }),
      field('name', 'Name shown'),
      h('div', {}, h('label', { for: 'mb-provider' }, 'Provider'), provider)),
    h('div', { class: 'inline' },
      field('smtp_host', 'SMTP server', { required: true }), field('smtp_port', 'port', { type: 'number', size: 5 }),
      h('div', {}, h('label', { for: 'mb-smtp_security' }, 'security'), security('smtp_security'))),
    h('div', { class: 'inline' },
      field('imap_host', 'IMAP server', { required: true }), field('imap_port', 'port', { type: 'number', size: 5 }),
      h('div', {}, h('label', { for: 'mb-imap_security' }, 'security'), security('imap_security'))),
    h('div', { class: 'inline' },
      h('div', {}, h('label', { for: 'mb-sign-in' }, 'Signs in with'), signIn),
      howField,
      password,
      field('daily_cap', 'Daily cap', { type: 'number', min: 0, placeholder: '50' }),
      submit),
    problem, result);
  const byPassword = () => {
    const yes = signIn.value === '';
    password.hidden = !yes;
    howField.hidden = yes;
    const chosen = signIn.selectedOptions[0];
    const device = chosen !== undefined && chosen.dataset.device === 'true';
    how.options[1].disabled = !device;
    how.value = device && provider.value !== 'google' ? 'device' : 'here';
    form.elements.password.required = yes;
    submit.textContent = yes ? 'Add and check' : 'Add and sign in';
  };
  api('GET', '/api/v1/oauth/clients').then((clients) => {
    signIn.append(...clients.map((c) => h('option', { value: c.name, 'data-device': String(Boolean(c.device)) }, `OAuth2: ${c.name}`)));
  }).catch(failed);
  signIn.addEventListener('change', byPassword);
  provider.addEventListener('change', () => {
    for (const [name, value] of Object.entries(PROVIDERS[provider.value])) form.elements[name].value = value;
    /* The provider's own client, when one of its name is set up. */
    if ([...signIn.options].some((o) => o.value === provider.value)) signIn.value = provider.value;
    byPassword();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problem.textContent = '';
    const settings = {};
    for (const name of ['address', 'name', 'smtp_host', 'smtp_security', 'imap_host', 'imap_security'])
      if (form.elements[name].value) settings[name] = form.elements[name].value;
    for (const name of ['smtp_port', 'imap_port', 'daily_cap'])
      if (form.elements[name].value) settings[name] = Number(form.elements[name].value);
    if (signIn.value) settings.oauth = signIn.value;
    else settings.password = form.elements.password.value;
    try {
      await api('POST', '/api/v1/mailboxes', settings);
      form.elements.password.value = '';
      after();
      if (settings.oauth) {
        notice(`${settings.address} added; sign it in`);
        if (how.value === 'here') await signInHere(settings.address);
        else await followSignIn(settings.address, result);
        return;
      }
      notice(`${settings.address} added; checking it…`);
      result.replaceChildren(h('p', { class: 'quiet' }, 'Checking the servers and the domain…'));
      result.replaceChildren(checkReport(await api('POST', `/api/v1/mailboxes/${encodeURIComponent(settings.address)}/check`)));
    } catch (error) {
      problem.textContent = error.message;
    }
  });
  return form;
}

/* What a mailbox sent and what came back, over all its campaigns. */
function mailboxReport(answer) {
  return h('div', { class: 'card' }, h('h3', {}, `Report of ${answer.mailbox}`),
    h('p', {}, `${answer.sent} sent, ${answer.replied} replied (${rate(answer.replied, answer.sent)}), `,
      `${answer.auto_replied} auto-replies, ${answer.bounced} bounced (${rate(answer.bounced, answer.sent)}), `,
      `${answer.opted_out} opted out`),
    dayChart(answer.days || []));
}

function mailboxActions(box, report) {
  const path = `/api/v1/mailboxes/${encodeURIComponent(box.address)}`;
  const show = h('button', { type: 'button', class: 'plain', onclick: async () => {
    try {
      report.replaceChildren(mailboxReport(await api('GET', `${path}/report`)));
      sizeBars(report);
    } catch (error) { failed(error); }
  } }, 'Report');
  if (!canChange()) return show;
  const act = (action, label) => h('button', { type: 'button', class: 'plain', onclick: async (event) => {
    event.target.disabled = true;
    try {
      const answer = await api('POST', `${path}/${action}`);
      if (action === 'check') report.replaceChildren(checkReport(answer));
      else notice(`${box.address}: ${label.toLowerCase()}d`);
    } catch (error) { failed(error); } finally { event.target.disabled = false; }
  } }, label);
  const signIn = box.oauth ? [' ', h('button', { type: 'button', class: 'plain', onclick: (event) => {
    event.target.disabled = true;
    signInHere(box.address).catch((error) => { event.target.disabled = false; failed(error); });
  } }, 'Sign in')] : [];
  return [show, ' ', act('check', 'Check'), ' ', box.activity === 'paused' ? act('resume', 'Resume') : act('pause', 'Pause'), ...signIn];
}

function mailboxRow(box, report) {
  const why = box.paused_reason ? `${box.paused_reason}${box.paused_until ? ` until ${when(box.paused_until)}` : ''}` : '';
  return h('tr', {},
    h('td', {}, box.address),
    h('td', {}, tag(box.activity.replace('_', ' '), ACTIVITY_KIND[box.activity])),
    h('td', { class: 'n' }, `${box.sent_today} / ${box.daily_cap || '∞'}`),
    h('td', {}, why || (box.next_send_at ? `next send ${when(box.next_send_at)}` : '—'),
      box.last_error && !why
        ? h('div', { class: 'quiet' }, `last error ${when(box.last_error.at)}: ${box.last_error.detail}`)
        : null),
    h('td', { class: 'n hide-narrow' }, box.waiting.paused + box.waiting.uncertain),
    h('td', {}, mailboxActions(box, report)));
}

function statusPage(params) {
  const body = h('tbody', {});
  const stamp = h('p', { class: 'quiet' }, '');
  const report = h('div', {});
  /* Back from the provider's page: say so, and check the mailbox. */
  const signedIn = params && params.get('signed_in');
  if (signedIn) {
    notice(`${signedIn} signed in`);
    report.replaceChildren(h('p', { class: 'quiet' }, `Checking ${signedIn}…`));
    api('POST', `/api/v1/mailboxes/${encodeURIComponent(signedIn)}/check`)
      .then((answer) => report.replaceChildren(checkReport(answer))).catch(failed);
  }
  show(h('h1', {}, 'Mailboxes'),
    h('div', { class: 'scroll' }, h('table', { 'aria-label': 'Mailboxes' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Mailbox'), h('th', {}, 'Now'),
        h('th', { class: 'n' }, 'Sent today'), h('th', {}, 'Why / next'),
        h('th', { class: 'n hide-narrow' }, 'Held'), h('th', {}, ''))), body)),
    stamp, report, canChange() ? mailboxForm(() => state.etags.delete('/api/v1/mailboxes')) : null);
  every(POLL_MS, async () => {
    const boxes = await poll('/api/v1/mailboxes');
    stamp.textContent = `Checked ${new Date().toLocaleTimeString()}`;
    if (boxes === null) return;
    body.replaceChildren(...(boxes.length ? boxes.map((box) => mailboxRow(box, report))
      : [h('tr', {}, h('td', { colspan: 6 }, 'No mailbox yet: add one below.'))]));
  });
}

/* --- campaigns --- */

function campaignActions(campaign, after) {
  if (!canChange()) return null;
  const wanted = { draft: ['start'], running: ['pause'], paused: ['resume'] }[campaign.state] || [];
  return wanted.map((action) => h('button', { type: 'button', class: 'plain', onclick: async () => {
    try {
      await api('POST', `/api/v1/campaigns/${encodeURIComponent(campaign.name)}/${action}`);
      notice(`${campaign.name}: ${{ start: 'started', pause: 'paused', resume: 'resumed' }[action]}`);
      after();
    } catch (error) { failed(error); }
  } }, action));
}

const STARTER = `name: New campaign
mailboxes: [you@example.com]
timezone: Europe/Berlin
window: mon-fri 09:00-17:00
steps:
  - subject: "A question, {{first_name}}"
    body: |
      Hi {{first_name}},

      ...
  - delay: 3d
    body: "Bumping this, {{first_name}}."
`;

function previewSteps(seen) {
  return seen.steps.map((step) => step.skipped || step.task
    ? h('div', { class: 'card' },
      h('h3', {}, `Step ${step.step}`, h('span', { class: 'quiet' },
        step.skipped ? ` — skipped: ${step.skipped}` : ` — earliest ${when(step.earliest)}: ${step.task}`)))
    : h('div', { class: 'card' },
      h('h3', {}, `Step ${step.step}`, h('span', { class: 'quiet' }, ` — earliest ${when(step.earliest)}`)),
      h('pre', { class: 'mail' }, step.message)));
}

/* The editor: the campaign file in a textarea over a copy of its text in
 * which every {{field}} and {{spin: ...}} is marked (the copy's letters are
 * transparent: only the marks show through), a field some prospects lack
 * marked apart. */
function campaignEditor(file) {
  const marks = h('div', { class: 'marks', 'aria-hidden': 'true' });
  const wrap = h('div', { class: 'editor' }, marks, file);
  let lacking = new Set();
  const paint = () => {
    const text = file.value;
    const parts = [];
    let at = 0;
    for (const found of text.matchAll(/\{\{[^{}]*\}\}/g)) {
      const inside = found[0].slice(2, -2).trim();
      const name = inside.split('|')[0].trim();
      const kind = inside.startsWith('spin:') ? 'spin' : lacking.has(name) ? 'lacking' : 'field';
      parts.push(text.slice(at, found.index), h('mark', { class: kind }, found[0]));
      at = found.index + found[0].length;
    }
    parts.push(`${text.slice(at)}\n`);
    marks.replaceChildren(...parts);
    marks.scrollTop = file.scrollTop;
  };
  file.addEventListener('input', paint);
  file.addEventListener('scroll', () => { marks.scrollTop = file.scrollTop; });
  paint();
  return { wrap, paint, mark(names) { lacking = names; paint(); } };
}

function fieldLine(field, seen) {
  const where = `step${field.steps.length > 1 ? 's' : ''} ${field.steps.join(', ')}`;
  let what = '';
  if (field.sender) what = 'the sending mailbox’s';
  else if (field.missing === 0) what = 'every prospect has it';
  else if (field.required) what = `${field.missing} of ${seen.prospects} prospects lack it: held until it is filled in`;
  else what = `${field.missing} of ${seen.prospects} prospects lack it: the fallback goes instead`;
  const kind = field.sender || field.missing === 0 ? 'good' : field.required ? 'bad' : 'warn';
  return h('li', { class: `field ${kind}` }, tag(`{{${field.name}}}`, kind), ` ${where} — ${what}`);
}

/* What the file asks of the prospects and its spintax, asked again when
 * its {{...}} change (the counts read every prospect, not every key). */
function fieldsPanel(file, editor, campaign) {
  const box = h('div', { class: 'card fields', 'aria-live': 'polite' });
  let asked = null;
  let timer = null;
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const key = (file.value.match(/\{\{[^{}]*\}\}/g) || []).join('\n');
      if (!file.value.trim() || key === asked) return;
      asked = key;
      try {
        const seen = await api('POST', '/api/v1/campaigns/fields', { definition: file.value, campaign });
        editor.mark(new Set(seen.fields.filter((f) => f.required && f.missing > 0).map((f) => f.name)));
        put(box,
          h('h3', {}, 'Fields'),
          h('p', { class: 'quiet' }, `Counted over ${seen.enrolled_only ? 'the campaign’s' : 'all'} ${seen.prospects} prospects.`),
          seen.fields.length ? h('ul', {}, seen.fields.map((f) => fieldLine(f, seen))) : h('p', {}, 'No field yet.'),
          seen.spins.length ? h('h3', {}, 'Spintax: each prospect gets one of') : null,
          seen.spins.length ? h('ul', {}, seen.spins.map((sp) => h('li', { class: 'spin' },
            `Step ${sp.step}${sp.variant ? ` ${sp.variant}` : ''} ${sp.part}: `,
            sp.choices.flatMap((c, i) => [i ? ' · ' : '', h('q', {}, c)])))) : null);
      } catch (error) {
        asked = null;
        if (error.status !== 401) box.replaceChildren(h('p', { class: 'error' }, error.message));
      }
    }, 400);
  };
  file.addEventListener('input', refresh);
  return { box, refresh };
}

/* A campaign file and a prospect: the preview follows the typing (a draft
 * previewed by the server, never saved), mistakes shown with their place. */
function livePreview(file, who, out) {
  let timer = null;
  let asked = 0;
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (!who.value || !file.value.trim()) return;
      const mine = ++asked;
      try {
        const seen = await api('POST', '/api/v1/campaigns/preview', { definition: file.value, prospect: who.value });
        if (mine === asked) out.replaceChildren(...previewSteps(seen));
      } catch (error) {
        if (mine === asked) out.replaceChildren(h('p', { class: 'error', role: 'alert' }, error.message));
      }
    }, 300);
  };
  file.addEventListener('input', refresh);
  who.addEventListener('input', refresh);
  return refresh;
}

/* --- the campaign builder: a new campaign in a form, written as its file --- */

const WEEKDAYS = [['mon', 'Monday'], ['tue', 'Tuesday'], ['wed', 'Wednesday'], ['thu', 'Thursday'],
  ['fri', 'Friday'], ['sat', 'Saturday'], ['sun', 'Sunday']];

/* @text as a YAML scalar: a literal block (|) for a text of several lines
 * a person wrote, else double quotes (JSON's escapes are YAML's). */
function yamlText(text, indent) {
  const plainLines = text.includes('\n') && !/[\t\r]/.test(text) && !/^[ \n]/.test(text) && !/\n\n*$/.test(text.replace(/\n$/, ''));
  if (!plainLines) return JSON.stringify(text);
  const pad = ' '.repeat(indent);
  const body = text.replace(/\n$/, '').split('\n').map((line) => (line ? pad + line : '')).join('\n');
  return `${text.endsWith('\n') ? '|' : '|-'}\n${body}`;
}

/* The campaign file the builder's fields make (docs/campaign.md). */
function builderFile(b) {
  const out = [`name: ${JSON.stringify(b.name || 'New campaign')}`,
    `mailboxes: [${b.mailboxes.map((m) => JSON.stringify(m)).join(', ')}]`,
    `timezone: ${JSON.stringify(b.timezone || 'UTC')}`, 'window:'];
  for (const [day] of WEEKDAYS) {
    const d = b.window[day];
    out.push(`  ${day}: ${d.on ? `${d.from}-${d.to}` : 'closed'}`);
  }
  out.push(`interval: ${b.intervalMin}s-${b.intervalMax}s`, `daily_limit: ${b.dailyLimit}`, 'policies:',
    `  stop_on_company_reply: ${b.stopOnCompanyReply}`, `  auto_reply: ${b.autoReply}`,
    `  list_unsubscribe: ${b.listUnsubscribe}`, 'steps:');
  b.steps.forEach((step, i) => {
    const lines = [];
    if (i > 0) lines.push(`delay: ${JSON.stringify(step.delay || '3d')}`);
    if (i === 0 || step.subject) lines.push(`subject: ${JSON.stringify(step.subject)}`);
    lines.push(`body: ${yamlText(step.body, 6)}`);
    lines.forEach((line, k) => out.push(`${k === 0 ? '  - ' : '    '}${line}`));
  });
  return `${out.join('\n')}\n`;
}

/* The builder: each field a control; every change writes the file anew
 * into @file (and tells its listeners: preview, fields, marks). */
function campaignBuilder(file) {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const b = { name: '', mailboxes: [], timezone: zone, window: {}, intervalMin: 60, intervalMax: 180,
    dailyLimit: 30, stopOnCompanyReply: true, autoReply: 'pause', listUnsubscribe: false,
    steps: [{ subject: 'A question, {{first_name}}', body: 'Hi {{first_name}},\n\n…\n' },
      { delay: '3d', subject: '', body: 'Bumping this, {{first_name}}.\n' }] };
  for (const [day] of WEEKDAYS) b.window[day] = { on: !['sat', 'sun'].includes(day), from: '09:00', to: '17:00' };
  const write = () => {
    file.value = builderFile(b);
    file.dispatchEvent(new Event('input'));
  };
  const input = (id, label, value, set, attrs) => {
    const control = h('input', Object.assign({ id, value }, attrs || {}));
    control.addEventListener('input', () => { set(control.type === 'checkbox' ? control.checked : control.value); write(); });
    return h('div', {}, h('label', { for: id }, label), control);
  };
  const boxes = h('fieldset', { class: 'inline' }, h('legend', {}, 'Sends from'));
  api('GET', '/api/v1/mailboxes').then((list) => {
    if (!b.mailboxes.length && list.length) b.mailboxes = [list[0].address];
    boxes.append(...list.map((m, i) => {
      const id = `b-mailbox-${i}`;
      const box = h('input', { id, type: 'checkbox', checked: b.mailboxes.includes(m.address) });
      box.addEventListener('change', () => {
        b.mailboxes = box.checked ? [...b.mailboxes, m.address] : b.mailboxes.filter((a) => a !== m.address);
        write();
      });
      return h('label', { for: id, class: 'check' }, box, ` ${m.address}`);
    }));
    write();
  }).catch(failed);
  const days = h('fieldset', {}, h('legend', {}, 'When it sends (in the prospect’s zone when known, else the campaign’s)'),
    WEEKDAYS.map(([day, label]) => {
      const d = b.window[day];
      const on = h('input', { id: `b-${day}-on`, type: 'checkbox', checked: d.on });
      const from = h('input', { id: `b-${day}-from`, type: 'time', value: d.from, 'aria-label': `${label} from` });
      const to = h('input', { id: `b-${day}-to`, type: 'time', value: d.to, 'aria-label': `${label} until` });
      on.addEventListener('change', () => { d.on = on.checked; write(); });
      from.addEventListener('input', () => { d.from = from.value; write(); });
      to.addEventListener('input', () => { d.to = to.value; write(); });
      return h('div', { class: 'inline tight day' }, h('label', { for: `b-${day}-on`, class: 'check' }, on, ` ${label}`), from, '–', to);
    }));
  const stepsBox = h('div', {});
  const drawSteps = () => {
    stepsBox.replaceChildren(...b.steps.map((step, i) => h('fieldset', { class: 'step' },
      h('legend', {}, i === 0 ? 'Step 1: the opening email' : `Step ${i + 1}: a follow-up`),
      i > 0 ? input(`b-step-${i}-delay`, 'after (3d, 1w, 1d12h)', step.delay, (v) => { step.delay = v; }, { size: 8 }) : null,
      input(`b-step-${i}-subject`, i === 0 ? 'Subject' : 'Subject (empty: a reply in the same thread)', step.subject,
        (v) => { step.subject = v; }),
      h('label', { for: `b-step-${i}-body` }, 'Body'),
      (() => {
        const body = h('textarea', { id: `b-step-${i}-body`, rows: 5 }, step.body);
        body.addEventListener('input', () => { step.body = body.value; write(); });
        return body;
      })(),
      i > 0 ? h('button', { type: 'button', class: 'plain', onclick: () => { b.steps.splice(i, 1); drawSteps(); write(); } },
        `Remove step ${i + 1}`) : null)));
  };
  drawSteps();
  const autoReply = h('select', { id: 'b-auto-reply' },
    [['pause', 'pauses the sequence'], ['continue', 'changes nothing'], ['stop', 'stops it']]
      .map(([v, label]) => h('option', { value: v }, label)));
  autoReply.addEventListener('change', () => { b.autoReply = autoReply.value; write(); });
  const builder = h('div', { class: 'builder' },
    h('div', { class: 'inline' },
      input('b-name', 'Name', b.name, (v) => { b.name = v; }, { required: true }),
      input('b-timezone', 'Time zone (IANA)', b.timezone, (v) => { b.timezone = v; })),
    boxes, days,
    h('div', { class: 'inline' },
      input('b-interval-min', 'Pause between emails, from (s)', b.intervalMin, (v) => { b.intervalMin = Number(v) || 0; }, { type: 'number', min: 0 }),
      input('b-interval-max', 'to (s)', b.intervalMax, (v) => { b.intervalMax = Number(v) || 0; }, { type: 'number', min: 0 }),
      input('b-daily-limit', 'Opening emails a day', b.dailyLimit, (v) => { b.dailyLimit = Number(v) || 1; }, { type: 'number', min: 1 })),
    h('div', { class: 'inline' },
      h('label', { for: 'b-company', class: 'check' },
        (() => {
          const c = h('input', { id: 'b-company', type: 'checkbox', checked: true });
          c.addEventListener('change', () => { b.stopOnCompanyReply = c.checked; write(); });
          return c;
        })(), ' a reply stops the others at the same company'),
      h('label', { for: 'b-unsubscribe', class: 'check' },
        (() => {
          const c = h('input', { id: 'b-unsubscribe', type: 'checkbox' });
          c.addEventListener('change', () => { b.listUnsubscribe = c.checked; write(); });
          return c;
        })(), ' a List-Unsubscribe header'),
      h('div', {}, h('label', { for: 'b-auto-reply' }, 'An auto-reply'), autoReply)),
    h('h3', {}, 'Steps'), stepsBox,
    h('button', { type: 'button', class: 'plain', onclick: () => {
      b.steps.push({ delay: '3d', subject: '', body: '' });
      drawSteps();
      write();
    } }, 'Add a step'));
  return { builder, write };
}

function newCampaignForm(after) {
  const file = h('textarea', { id: 'new-definition', rows: 14, spellcheck: 'false' }, STARTER);
  const who = h('input', { id: 'new-preview-prospect', type: 'email', placeholder: 'a prospect’s address' });
  const preview = h('div', { class: 'live-preview', 'aria-live': 'polite' });
  const problem = h('p', { class: 'error', role: 'alert' });
  const editor = campaignEditor(file);
  const fields = fieldsPanel(file, editor, undefined);
  const { builder, write } = campaignBuilder(file);
  /* In the form (the file it writes shown, not typed), or as the file. */
  const asForm = h('button', { type: 'button', class: 'plain', 'aria-pressed': 'true' }, 'In a form');
  const asFile = h('button', { type: 'button', class: 'plain', 'aria-pressed': 'false' }, 'As the file');
  const mode = (form) => {
    if (form && file.dataset.typed === 'yes' && !confirm('The form writes the file anew: what you typed in it goes. Go on?')) return;
    builder.hidden = !form;
    file.readOnly = form;
    asForm.setAttribute('aria-pressed', String(form));
    asFile.setAttribute('aria-pressed', String(!form));
    if (form) { delete file.dataset.typed; write(); }
  };
  asForm.addEventListener('click', () => mode(true));
  asFile.addEventListener('click', () => mode(false));
  file.addEventListener('keydown', () => { file.dataset.typed = 'yes'; });
  const form = h('form', { class: 'card', 'aria-label': 'New campaign', hidden: true },
    h('h2', {}, 'New campaign'),
    h('div', { class: 'inline', role: 'group', 'aria-label': 'Write it' }, asForm, asFile),
    builder,
    h('h3', {}, h('label', { for: 'new-definition' }, 'The campaign file (docs/campaign.md)')), editor.wrap,
    fields.box,
    h('div', { class: 'inline' }, h('div', {}, h('label', { for: 'new-preview-prospect' }, 'Preview for'), who)),
    preview, problem, h('button', { type: 'submit' }, 'Create the campaign'));
  livePreview(file, who, preview);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const made = await api('POST', '/api/v1/campaigns', { definition: file.value });
      notice(`${made.name} created as a draft`);
      form.hidden = true;
      after();
    } catch (error) { problem.textContent = error.message; }
  });
  const open = h('button', { type: 'button', class: 'plain', onclick: () => { form.hidden = false; mode(true); fields.refresh(); } }, 'New campaign');
  return [open, form];
}

async function campaignsPage() {
  const body = h('tbody', {});
  const fresh = canChange() ? newCampaignForm(() => fill().catch(failed)) : [];
  show(h('h1', {}, 'Campaigns'), ...fresh, h('div', { class: 'scroll' }, h('table', { 'aria-label': 'Campaigns' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Campaign'), h('th', {}, 'State'),
      h('th', { class: 'n' }, 'Enrolled'), h('th', { class: 'n' }, 'Sent'),
      h('th', { class: 'n' }, 'Replied'), h('th', {}, ''))), body)));
  const fill = async () => {
    const campaigns = await api('GET', '/api/v1/campaigns');
    body.replaceChildren(...campaigns.map((c) => h('tr', {},
      h('td', {}, h('a', { href: `#/campaigns/${encodeURIComponent(c.name)}` }, c.name)),
      h('td', {}, tag(c.state)),
      h('td', { class: 'n' }, c.enrolled),
      h('td', { class: 'n' }, c.sent),
      h('td', { class: 'n' }, `${c.replied} (${rate(c.replied, c.enrolled)})`),
      h('td', {}, campaignActions(c, fill)))));
    if (!campaigns.length)
      body.append(h('tr', {}, h('td', { colspan: 6 }, 'No campaign yet.')));
  };
  await fill().catch(failed);
}

function reportTable(report) {
  const rows = report.steps.map((s) => h('tr', {},
    h('td', {}, `Step ${s.step}`),
    h('td', { class: 'n' }, s.sent),
    h('td', { class: 'n' }, `${s.replied} (${rate(s.replied, s.sent)})`),
    h('td', { class: 'n' }, `${s.auto_replied}`),
    h('td', { class: 'n' }, `${s.bounced} (${rate(s.bounced, s.sent)})`),
    h('td', { class: 'n' }, `${s.opted_out}`),
    h('td', { class: 'n hide-narrow' }, `${s.opened} / ${s.clicked}`)));
  return h('div', { class: 'scroll' }, h('table', { 'aria-label': 'Report per step' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Step'), h('th', { class: 'n' }, 'Sent'),
      h('th', { class: 'n' }, 'Replied'), h('th', { class: 'n' }, 'Auto-replies'),
      h('th', { class: 'n' }, 'Bounced'), h('th', { class: 'n' }, 'Opted out'),
      h('th', { class: 'n hide-narrow' }, 'Opened / clicked'))),
    h('tbody', {}, rows)));
}

/* A/B/n: each variant of the steps that have them, the winner marked with
 * the test's words. */
function variantsTable(variants) {
  if (!variants || !variants.length) return null;
  const rows = variants.map((v) => h('tr', {},
    h('td', {}, `Step ${v.step} ${v.variant}`),
    h('td', { class: 'n' }, v.sent),
    h('td', { class: 'n' }, `${v.replied} (${rate(v.replied, v.sent)})`),
    h('td', { class: 'n' }, `${v.bounced}`),
    h('td', {}, v.winner ? `winner: ${v.why}` : '')));
  return h('div', { class: 'scroll' }, h('table', { 'aria-label': 'Report per variant' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Variant'), h('th', { class: 'n' }, 'Sent'),
      h('th', { class: 'n' }, 'Replied'), h('th', { class: 'n' }, 'Bounced'), h('th', {}, 'Picked'))),
    h('tbody', {}, rows)));
}

/* Sends and replies per day, as bars drawn by the page itself. */
function dayChart(days) {
  if (!days.length) return null;
  const most = Math.max(1, ...days.map((d) => d.sent), ...days.map((d) => d.replied));
  const summary = days.map((d) => `${d.day}: ${d.sent} sent, ${d.replied} replied`).join('; ');
  return h('figure', {},
    h('div', { class: 'chart', role: 'img', 'aria-label': `Per day: ${summary}` },
      days.map((d) => h('div', { class: 'col', title: `${d.day}: ${d.sent} sent, ${d.replied} replied` },
        h('div', { class: 'sent', 'data-height': Math.round((100 * d.sent) / most) }),
        h('div', { class: 'replied', 'data-height': Math.round((100 * d.replied) / most) })))),
    h('figcaption', { class: 'quiet' }, `Sent (light) and replied (dark) per day, ${days[0].day} to ${days[days.length - 1].day}`));
}

/* The bars' heights: set from script (the policy allows no inline style
 * attribute), after the chart is in the page. */
function sizeBars(root) {
  for (const bar of root.querySelectorAll('.chart [data-height]'))
    bar.style.height = `${bar.dataset.height}%`;
}

async function campaignPage(name) {
  const path = `/api/v1/campaigns/${encodeURIComponent(name)}`;
  const reportBox = h('div', {}, h('p', { class: 'quiet' }, 'Loading the report…'));
  const preview = h('div', {});
  const who = h('input', { id: 'preview-prospect', type: 'email', placeholder: 'a prospect’s address' });
  const previewForm = h('form', { class: 'inline', 'aria-label': 'Preview' },
    h('div', {}, h('label', { for: 'preview-prospect' }, 'Preview for'), who),
    h('button', { type: 'submit' }, 'Preview'));
  previewForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const seen = await api('GET', `${path}/preview?prospect=${encodeURIComponent(who.value)}`);
      preview.replaceChildren(...previewSteps(seen));
    } catch (error) { preview.replaceChildren(h('p', { class: 'error' }, error.message)); }
  });
  const file = h('textarea', { id: 'definition', rows: 16, spellcheck: 'false', readonly: !canChange() });
  const editor = campaignEditor(file);
  const fields = fieldsPanel(file, editor, name);
  const fileProblem = h('p', { class: 'error', role: 'alert' });
  if (canChange()) livePreview(file, who, preview);
  const save = canChange() ? h('button', { type: 'button', onclick: async () => {
    try {
      await api('PUT', path, { definition: file.value });
      fileProblem.textContent = '';
      notice('Saved.');
    } catch (error) { fileProblem.textContent = error.message; }
  } }, 'Save') : null;
  show(h('h1', {}, name), reportBox,
    h('h2', {}, 'Preview'), previewForm, preview,
    h('h2', {}, h('label', { for: 'definition' }, 'The campaign file')), editor.wrap, fields.box, fileProblem, save);
  try {
    const [report, campaign] = await Promise.all([api('GET', `${path}/report`), api('GET', path)]);
    put(reportBox,
      h('p', {}, tag(campaign.state), ` ${campaign.enrolled} enrolled, ${campaign.active} active, `,
        `${campaign.sent} sent, ${campaign.replied} replied (${rate(campaign.replied, campaign.enrolled)})`),
      reportTable(report), variantsTable(report.variants), dayChart(report.days || []));
    sizeBars(reportBox);
    file.value = campaign.definition || '';
    editor.paint();
    fields.refresh();
  } catch (error) { failed(error); }
}

/* --- prospects --- */

/* What a column may become, as the mapping's choices say it. */
const COLUMN_CHOICES = [['email', 'email address'], ['first_name', 'first name'], ['last_name', 'last name'],
  ['company', 'company'], ['timezone', 'time zone'], ['field', 'a field of its own'], ['skip', 'leave it out']];

/* A header as a field's name ({{name}}): lowercase, other characters "_". */
function fieldName(header) {
  const name = header.toLowerCase().replace(/[^a-z0-9_.-]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[a-z_]/.test(name) ? name : `f_${name}`;
}

/* The file's columns, as the server read its first bytes, each with what
 * it becomes: piculet's guess, changed by the person. */
function columnMapping(columns) {
  const rows = columns.map((c, i) => {
    const choice = h('select', { id: `map-${i}`, 'aria-label': `What “${c.header}” becomes` },
      COLUMN_CHOICES.map(([value, label]) => h('option', { value, selected: (c.meaning || 'field') === value }, label)));
    const name = h('input', { id: `field-${i}`, value: fieldName(c.header), size: 14,
      'aria-label': `Field name for “${c.header}”`, hidden: choice.value !== 'field' });
    choice.addEventListener('change', () => { name.hidden = choice.value !== 'field'; });
    return { header: c.header, choice, name,
      row: h('tr', {}, h('td', {}, c.header), h('td', { class: 'hide-narrow quiet' }, c.samples.join(' · ')),
        h('td', {}, h('div', { class: 'inline tight' }, choice, name))) };
  });
  const table = h('div', { class: 'scroll' }, h('table', { 'aria-label': 'Column mapping' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Column'), h('th', { class: 'hide-narrow' }, 'First values'),
      h('th', {}, 'Becomes'))),
    h('tbody', {}, rows.map((r) => r.row))));
  /* header -> what it becomes ("" leaves it out), for ?columns= */
  const chosen = () => Object.fromEntries(rows.map((r) => [r.header,
    r.choice.value === 'skip' ? '' : r.choice.value === 'field' ? r.name.value.trim() : r.choice.value]));
  return { table, chosen };
}

function importForm(after) {
  const input = h('input', { id: 'csv', type: 'file', accept: '.csv,text/csv' });
  const campaign = h('input', { id: 'import-campaign', type: 'text', placeholder: 'optional' });
  const bar = h('progress', { max: 100, value: 0, hidden: true, 'aria-label': 'Upload' });
  const mappingBox = h('div', { 'aria-live': 'polite' });
  const result = h('div', { 'aria-live': 'polite' });
  let mapping = null;
  const form = h('form', { class: 'card', 'aria-label': 'Import prospects' },
    h('h2', {}, 'Import a CSV'),
    h('div', { class: 'inline' },
      h('div', {}, h('label', { for: 'csv' }, 'File'), input),
      h('div', {}, h('label', { for: 'import-campaign' }, 'Enrol in campaign'), campaign),
      h('button', { type: 'submit' }, 'Import')),
    mappingBox, bar, result);
  /* A file chosen: its columns, read by the server from its first bytes. */
  input.addEventListener('change', async () => {
    mapping = null;
    mappingBox.replaceChildren();
    const chosen = input.files[0];
    if (!chosen) return;
    try {
      const seen = await api('POST', '/api/v1/imports/columns', chosen.slice(0, 65536), { 'Content-Type': 'text/csv' });
      mapping = columnMapping(seen.columns);
      mappingBox.replaceChildren(h('p', { class: 'quiet' },
        `${seen.columns.length} columns, separated by “${seen.delimiter}”: say what each becomes.`), mapping.table);
    } catch (error) {
      mappingBox.replaceChildren(h('p', { class: 'error', role: 'alert' }, `This file cannot be read: ${error.message}`));
    }
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = input.files[0];
    if (!chosen) return;
    const query = new URLSearchParams({ skip_invalid: 'true' });
    if (campaign.value) query.set('campaign', campaign.value);
    if (mapping) query.set('columns', JSON.stringify(mapping.chosen()));
    const request = new XMLHttpRequest();
    request.open('POST', `/api/v1/imports?${query}`);
    request.setRequestHeader('Content-Type', 'text/csv');
    request.setRequestHeader('X-CSRF-Token', state.session.csrf);
    bar.hidden = false;
    bar.value = 0;
    result.replaceChildren(h('p', { class: 'quiet' }, 'Uploading…'));
    request.upload.onprogress = (progress) => {
      if (progress.lengthComputable) bar.value = Math.round((100 * progress.loaded) / progress.total);
    };
    request.onload = () => {
      let answer = null;
      try { answer = JSON.parse(request.responseText); } catch (_) { answer = null; }
      if (request.status !== 200 || !answer) {
        result.replaceChildren(h('p', { class: 'error', role: 'alert' },
          (answer && answer.detail) || `the import failed (${request.status})`));
        return;
      }
      bar.value = 100;
      const summary = answer.summary || {};
      const skipped = ['invalid', 'duplicate', 'blacklisted', 'bounced', 'opted_out']
        .filter((why) => summary[why] > 0).map((why) => `${summary[why]} ${why.replace('_', ' ')}`);
      put(result, h('p', { class: 'import-done' },
        `${answer.rows} rows read: ${summary.imported || 0} new, ${summary.updated || 0} updated`,
        skipped.length ? `; skipped: ${skipped.join(', ')}` : '',
        answer.campaign ? `; ${summary.enrolled || 0} enrolled in ${answer.campaign}` : '',
        summary.held_back ? ` (${summary.held_back} held back: in another campaign)` : '',
        '.'),
        (answer.left_out || []).length ? h('details', { class: 'left-out' },
          h('summary', {}, `The rows left out${summary.invalid > answer.left_out.length ? ` (the first ${answer.left_out.length} of ${summary.invalid})` : ''}`),
          h('ul', {}, answer.left_out.map((why) => h('li', {}, why)))) : null);
      after();
    };
    request.onerror = () => result.replaceChildren(h('p', { class: 'error' }, 'the upload was cut'));
    request.send(chosen);
  });
  return form;
}

async function prospectsPage(params) {
  const search = h('input', { id: 'search', type: 'search', value: params.get('search') || '' });
  const body = h('tbody', {});
  const pager = h('div', { class: 'pager' });
  const form = h('form', { class: 'inline', role: 'search', 'aria-label': 'Prospects' },
    h('div', {}, h('label', { for: 'search' }, 'Search'), search),
    h('button', { type: 'submit' }, 'Search'));
  const pages = [''];
  const load = async () => {
    const query = new URLSearchParams({ limit: '50' });
    if (search.value) query.set('search', search.value);
    if (pages[pages.length - 1]) query.set('after', pages[pages.length - 1]);
    const page = await api('GET', `/api/v1/prospects?${query}`);
    body.replaceChildren(...page.prospects.map((p) => h('tr', {},
      h('td', {}, h('a', { href: `#/prospects/${encodeURIComponent(p.email)}` }, p.email)),
      h('td', {}, [p.first_name, p.last_name].filter(Boolean).join(' ')),
      h('td', { class: 'hide-narrow' }, p.company),
      h('td', {}, tag(p.status)))));
    if (!page.prospects.length) body.append(h('tr', {}, h('td', { colspan: 4 }, 'Nobody here.')));
    put(pager,
      pages.length > 1 ? h('button', { type: 'button', class: 'plain', onclick: () => { pages.pop(); load().catch(failed); } }, 'Previous') : null,
      page.next ? h('button', { type: 'button', class: 'plain', onclick: () => { pages.push(page.next); load().catch(failed); } }, 'Next') : null);
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    pages.length = 1;
    load().catch(failed);
  });
  show(h('h1', {}, 'Prospects'), canChange() ? importForm(() => load().catch(failed)) : null, form,
    h('div', { class: 'scroll' }, h('table', { 'aria-label': 'Prospects' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Email'), h('th', {}, 'Name'),
        h('th', { class: 'hide-narrow' }, 'Company'), h('th', {}, 'Status'))), body)), pager);
  await load().catch(failed);
}

/* A person's names, company and zone, and their fields, changed in place. */
function prospectForm(p, path, after) {
  const field = (name, label, value) => h('div', {}, h('label', { for: `p-${name}` }, label),
    h('input', { id: `p-${name}`, name, value: value || '' }));
  const extra = Object.entries(p.fields || {});
  const problem = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'card', 'aria-label': 'Edit the prospect' },
    h('h2', {}, 'Edit'),
    h('div', { class: 'inline' }, field('first_name', 'First name', p.first_name),
      field('last_name', 'Last name', p.last_name), field('company', 'Company', p.company),
      field('timezone', 'Time zone', p.timezone)),
    extra.length ? h('div', { class: 'inline' }, extra.map(([name, value]) => field(`field-${name}`, name, value))) : null,
    problem, h('button', { type: 'submit' }, 'Save'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const change = { fields: {} };
    for (const name of ['first_name', 'last_name', 'company', 'timezone']) change[name] = form.elements[name].value;
    for (const [name] of extra) change.fields[name] = form.elements[`field-${name}`].value;
    try {
      await api('PATCH', path, change);
      notice('Saved.');
      after();
    } catch (error) { problem.textContent = error.message; }
  });
  return form;
}

async function prospectPage(email) {
  const path = `/api/v1/prospects/${encodeURIComponent(email)}`;
  try {
    const p = await api('GET', path);
    const exportButton = h('button', { type: 'button', class: 'plain', onclick: async () => {
      const data = await api('GET', `${path}/export`);
      const link = h('a', { href: URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' })), download: `${email}.json` });
      link.click();
    } }, 'Export');
    const eraseButton = canChange() ? h('button', { type: 'button', class: 'plain', onclick: async () => {
      if (!confirm(`Forget ${email} and everything sent to them?`)) return;
      try { await api('DELETE', path); notice(`${email} forgotten`); location.hash = '#/prospects'; } catch (error) { failed(error); }
    } }, 'Erase') : null;
    show(h('h1', {}, email),
      h('p', {}, [p.first_name, p.last_name].filter(Boolean).join(' '), p.company ? ` — ${p.company}` : '', ' ', tag(p.status)),
      h('p', {}, exportButton, ' ', eraseButton),
      canChange() ? prospectForm(p, path, () => prospectPage(email)) : null,
      h('h2', {}, 'Campaigns'),
      h('ul', {}, p.campaigns.map((c) => h('li', {}, h('a', { href: `#/campaigns/${encodeURIComponent(c.campaign)}` }, c.campaign),
        `: ${c.state}, next step ${c.next_step}${c.reason ? ` (${c.reason})` : ''}`))),
      h('h2', {}, 'Timeline'),
      h('ol', { class: 'timeline' }, p.history.map((e) => h('li', {},
        h('span', { class: 'quiet' }, when(e.at)), ` ${e.kind}`,
        e.campaign ? ` — ${e.campaign} step ${e.step}` : '', e.detail ? `: ${e.detail}` : ''))));
  } catch (error) { failed(error); }
}

/* --- replies --- */

const INTENTS = ['interested', 'meeting', 'later', 'not_interested', 'wrong_person', 'unsubscribe', 'needs_review'];

const REPLIES_PAGE = 50;

function repliesPage(params) {
  const intent = h('select', { id: 'intent-filter' }, h('option', { value: '' }, 'any'),
    INTENTS.map((i) => h('option', { value: i, selected: params.get('intent') === i }, i.replace('_', ' '))));
  const campaign = h('select', { id: 'campaign-filter' }, h('option', { value: '' }, 'every campaign'));
  api('GET', '/api/v1/campaigns').then((campaigns) => campaign.append(...campaigns.map((c) =>
    h('option', { value: c.name, selected: params.get('campaign') === c.name }, c.name)))).catch(failed);
  const mailbox = h('select', { id: 'mailbox-filter' }, h('option', { value: '' }, 'every mailbox'));
  api('GET', '/api/v1/mailboxes').then((boxes) => mailbox.append(...boxes.map((b) =>
    h('option', { value: b.address, selected: params.get('mailbox') === b.address }, b.address)))).catch(failed);
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  const body = h('tbody', {});
  const pager = h('div', { class: 'pager' });
  const query = new URLSearchParams({ limit: String(REPLIES_PAGE + 1), offset: String(offset) });
  for (const name of ['intent', 'campaign', 'mailbox']) if (params.get(name)) query.set(name, params.get(name));
  const at = (skip) => {
    const next = new URLSearchParams(params);
    next.set('offset', String(skip));
    return `#/replies?${next}`;
  };
  const filter = () => {
    const next = new URLSearchParams();
    if (intent.value) next.set('intent', intent.value);
    if (campaign.value) next.set('campaign', campaign.value);
    if (mailbox.value) next.set('mailbox', mailbox.value);
    location.hash = `#/replies${next.size ? `?${next}` : ''}`;
  };
  intent.addEventListener('change', filter);
  campaign.addEventListener('change', filter);
  mailbox.addEventListener('change', filter);
  show(h('h1', {}, 'Replies'),
    h('form', { class: 'inline', 'aria-label': 'Filter' },
      h('div', {}, h('label', { for: 'intent-filter' }, 'Intent'), intent),
      h('div', {}, h('label', { for: 'campaign-filter' }, 'Campaign'), campaign),
      h('div', {}, h('label', { for: 'mailbox-filter' }, 'Mailbox'), mailbox)),
    h('div', { class: 'scroll' }, h('table', { 'aria-label': 'Replies' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Received'), h('th', {}, 'From'), h('th', {}, 'Subject'),
        h('th', {}, 'Intent'), h('th', { class: 'hide-narrow' }, 'Campaign'))), body)), pager);
  every(POLL_MS, async () => {
    const replies = await poll(`/api/v1/replies?${query}`);
    if (replies === null) return;
    body.replaceChildren(...replies.slice(0, REPLIES_PAGE).map((r) => h('tr', { class: 'reply' },
      h('td', {}, when(r.received_at)),
      h('td', {}, h('a', { href: `#/replies/${r.id}` }, r.from || r.prospect)),
      h('td', {}, r.subject || '(no subject)'),
      h('td', {}, tag((r.intent || r.class).replace('_', ' '), r.needs_review ? 'warn' : '')),
      h('td', { class: 'hide-narrow' }, r.campaign))));
    if (!replies.length) body.append(h('tr', {}, h('td', { colspan: 5 }, 'No reply yet.')));
    put(pager,
      offset > 0 ? h('a', { href: at(Math.max(0, offset - REPLIES_PAGE)) }, 'Newer') : null,
      replies.length > REPLIES_PAGE ? h('a', { href: at(offset + REPLIES_PAGE) }, 'Older') : null);
  });
}

async function replyPage(id) {
  try {
    const found = await api('GET', `/api/v1/replies/${encodeURIComponent(id)}`);
    const reply = found.reply;
    const choice = h('select', { id: 'intent' }, INTENTS.map((i) => h('option', { value: i, selected: reply.intent === i }, i.replace('_', ' '))));
    const mark = canChange() ? h('form', { class: 'inline', 'aria-label': 'Intent' },
      h('div', {}, h('label', { for: 'intent' }, 'Intent'), choice),
      h('button', { type: 'submit' }, 'Mark')) : null;
    if (mark) mark.addEventListener('submit', async (event) => {
      event.preventDefault();
      try { await api('PATCH', `/api/v1/replies/${reply.id}`, { intent: choice.value }); notice('Marked.'); } catch (error) { failed(error); }
    });
    show(h('h1', {}, reply.subject || '(no subject)'),
      h('p', { class: 'quiet' }, `${reply.from || reply.prospect} — ${reply.campaign}`),
      mark,
      h('div', { class: 'thread' }, found.thread.map(turn)),
      canChange() && reply.from ? answerForm(reply, () => replyPage(id)) : null);
  } catch (error) { failed(error); }
}

function turn(m) {
  const meta = {
    received: () => `Received ${when(m.received_at)}`,
    sent: () => `Sent, step ${m.step}, ${when(m.at)} (${m.state})`,
    answered: () => `Answered by ${m.author}, ${when(m.at)} (${m.state}${m.state === 'sent' ? '' : `: ${m.detail}`})`,
  }[m.direction]();
  return h('div', { class: `msg ${m.direction === 'received' ? 'in' : 'out'} ${m.direction}` },
    h('div', { class: 'meta' }, meta), h('strong', {}, m.subject || ''), '\n', m.text || '');
}

/* A key for one answer: kept while it may have gone (a cut connection),
 * a new one only after the server said it did not. */
function newKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function answerForm(reply, after) {
  let key = newKey();
  const text = h('textarea', { id: 'answer', rows: 6 });
  const problem = h('p', { class: 'error', role: 'alert' });
  const send = h('button', { type: 'submit' }, 'Send the answer');
  const form = h('form', { class: 'card', 'aria-label': 'Answer' },
    h('h2', {}, h('label', { for: 'answer' }, `Answer ${reply.from}`)), text, problem, send);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    send.disabled = true;
    problem.textContent = '';
    try {
      const answer = await api('POST', `/api/v1/replies/${reply.id}/answer`, { text: text.value, key });
      if (answer.state === 'failed') key = newKey();
      notice(answer.state === 'sent' ? 'Answer sent.' : `The answer is ${answer.state}: ${answer.detail}`);
      after();
    } catch (error) {
      if (error.status && error.status < 500 && error.status !== 409) key = newKey();
      problem.textContent = error.message;
      send.disabled = false;
    }
  });
  return form;
}

/* --- tasks: what task steps leave a person to do --- */

function taskRow(task, after) {
  const open = !task.done;
  const done = canChange() && open ? h('button', { type: 'button', class: 'plain', onclick: async (event) => {
    event.target.disabled = true;
    try {
      await api('POST', `/api/v1/tasks/${task.id}/done`);
      notice(`${task.kind} with ${task.prospect}: done`);
      after();
    } catch (error) { failed(error); event.target.disabled = false; }
  } }, 'Done') : null;
  const who = [task.name, task.company].filter(Boolean).join(', ');
  return h('tr', { class: `task ${open ? 'open' : 'done'}` },
    h('td', {}, tag(task.kind), task.note ? h('div', {}, task.note) : null),
    h('td', {}, h('a', { href: `#/prospects/${encodeURIComponent(task.prospect)}` }, task.prospect),
      who ? h('div', { class: 'quiet' }, who) : null),
    h('td', { class: 'hide-narrow' }, `${task.campaign}, step ${task.step}`),
    h('td', {}, open ? `since ${when(task.created)}`
      : `done ${when(task.done)}${task.done_by ? ` by ${task.done_by}` : ''}`),
    h('td', {}, done));
}

function tasksPage(params) {
  const all = params.get('all') === 'true';
  const body = h('tbody', {});
  show(h('h1', {}, 'Tasks'),
    h('p', { class: 'quiet' }, 'A task step holds the prospect’s sequence until the task is done; ',
      'the next step then waits its own delay from that moment. ',
      h('a', { href: all ? '#/tasks' : '#/tasks?all=true' }, all ? 'Show the open ones' : 'Show the done ones too')),
    h('div', { class: 'scroll' }, h('table', { 'aria-label': 'Tasks' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Task'), h('th', {}, 'With'),
        h('th', { class: 'hide-narrow' }, 'Campaign'), h('th', {}, 'When'), h('th', {}, ''))), body)));
  const path = `/api/v1/tasks${all ? '?all=true' : ''}`;
  const fill = async () => {
    const tasks = await poll(path);
    if (tasks === null) return;
    body.replaceChildren(...(tasks.length ? tasks.map((t) => taskRow(t, () => { state.etags.delete(path); fill().catch(failed); }))
      : [h('tr', {}, h('td', { colspan: 5 }, all ? 'No task yet.' : 'Nothing to do.'))]));
  };
  every(POLL_MS, fill);
}

/* --- routing --- */

function route() {
  if (!state.session) return;
  stopTimers();
  const [where, query] = (location.hash.slice(1) || '/status').split('?');
  const params = new URLSearchParams(query || '');
  const parts = where.split('/').filter(Boolean).map(decodeURIComponent);
  for (const link of document.querySelectorAll('#nav a'))
    link.toggleAttribute('aria-current', link.getAttribute('href') === `#/${parts[0]}`) ||
      link.removeAttribute('aria-current');
  document.querySelectorAll('#nav a[aria-current]').forEach((a) => a.setAttribute('aria-current', 'page'));
  const pages = {
    status: () => statusPage(params),
    campaigns: () => (parts[1] ? campaignPage(parts[1]) : campaignsPage()),
    prospects: () => (parts[1] ? prospectPage(parts[1]) : prospectsPage(params)),
    replies: () => (parts[1] ? replyPage(parts[1]) : repliesPage(params)),
    tasks: () => tasksPage(params),
  };
  (pages[parts[0]] || pages.status)();
  document.getElementById('main').focus({ preventScroll: true });
}

window.addEventListener('hashchange', route);
window.addEventListener('DOMContentLoaded', async () => {
  try {
    const session = await api('GET', '/api/v1/session');
    if (!session || !session.csrf) throw new ApiError(401);
    state.session = session;
    signedIn();
  } catch (_) {
    signInPage();
  }
});
