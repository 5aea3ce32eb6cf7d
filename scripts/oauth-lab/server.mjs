// The mail lab's OAuth2 authorization server: oidc-provider (a certified
// OpenID Connect / OAuth 2.0 server library) on 127.0.0.1 over TLS with the
// lab's certificate. Authorization code with PKCE (S256 required), the
// device authorization grant (RFC 8628), refresh-token rotation, token
// introspection (RFC 7662, what Dovecot asks) and revocation (RFC 7009).
//
//   node server.mjs CONFIG.json
//
// CONFIG: {port, cert, key, ca, log, admin_secret, access_ttl, users:
// {address: password}, clients: [oidc-provider client metadata]}.
//
// The sign-in page is a plain HTML form (login, password) that any HTTP
// client can fill in; consent is given with the sign-in. Two lab-only
// routes, for tests, need the admin secret as a Bearer token:
//   POST /lab/revoke?account=A   every grant and token of A ends (as when a
//                                user revokes access or changes password)
//   POST /lab/expire?account=A   A's access tokens end (as when they expire)
//   GET /lab/tokens?account=A    A's live access and refresh tokens (opaque
//                                tokens are their own ids), for tests that
//                                look for them where they must not be
//   POST /lab/hold?account=A     token requests (any account's) wait, from
//                                now until /lab/release lets them go on in
//                                the order they came, each once the one
//                                before is answered (two clients that renew
//                                at once, made to overlap)
//   POST /lab/refuse?account=A&skip=S&count=N
//                                after S more checks of A's tokens pass, the
//                                next N are answered "not active" (a token
//                                ended early, for the client's retry)
// Dovecot asks /lab/introspect, which answers those refusals itself and
// hands every other check, as it came, to oidc-provider's introspection.
// The log names each request and grant type, never a token or secret.
import fs from 'node:fs';
import https from 'node:https';
import Provider from 'oidc-provider';

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const issuer = `https://127.0.0.1:${config.port}`;
// Written at once, not through a stream: a line is in the file before the
// answer it speaks of leaves, so a test that reads the log after its
// request finds it.
const log = fs.openSync(config.log, 'a');
const say = (line) => fs.writeSync(log, `${new Date().toISOString()} ${line}\n`);

// Every stored model by name, each a Map of id -> {payload, expiresAt}: the
// lab routes below need to find an account's grants and tokens.
const stores = new Map();
class LabAdapter {
	constructor(name) {
		if (!stores.has(name)) stores.set(name, new Map());
		this.entries = stores.get(name);
	}
	async upsert(id, payload, expiresIn) {
		const expiresAt = expiresIn ? Date.now() + expiresIn * 1000 : Infinity;
		this.entries.set(id, { payload, expiresAt });
	}
	async find(id) {
		const entry = this.entries.get(id);
		if (entry === undefined) return undefined;
		if (entry.expiresAt <= Date.now()) {
			this.entries.delete(id);
			return undefined;
		}
		return entry.payload;
	}
	async findBy(field, value) {
		for (const [id, entry] of this.entries)
			if (entry.payload[field] === value) return this.find(id);
		return undefined;
	}
	async findByUserCode(userCode) {
		return this.findBy('userCode', userCode);
	}
	async findByUid(uid) {
		return this.findBy('uid', uid);
	}
	async consume(id) {
		const entry = this.entries.get(id);
		if (entry !== undefined) entry.payload.consumed = Math.floor(Date.now() / 1000);
	}
	async destroy(id) {
		this.entries.delete(id);
	}
	async revokeByGrantId(grantId) {
		for (const [id, entry] of this.entries)
			if (entry.payload.grantId === grantId) this.entries.delete(id);
	}
}

function forget(account, models) {
	let n = 0;
	for (const [name, entries] of stores) {
		if (!models.includes(name)) continue;
		for (const [id, entry] of entries) {
			if (entry.payload.accountId === account) {
				entries.delete(id);
				n++;
			}
		}
	}
	return n;
}

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) =>
	`<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escape(title)}</title></head>` +
	`<body><h1>${escape(title)}</h1>${body}</body></html>`;

const provider = new Provider(issuer, {
	adapter: LabAdapter,
	clients: config.clients,
	cookies: { keys: [config.admin_secret] },
	findAccount: (ctx, sub) =>
		config.users[sub] === undefined
			? undefined
			: { accountId: sub, claims: () => ({ sub, email: sub }) },
	scopes: ['openid', 'offline_access', 'mail'],
	pkce: { methods: ['S256'], required: () => true },
	rotateRefreshToken: true,
	issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
	ttl: {
		AccessToken: config.access_ttl,
		AuthorizationCode: 120,
		DeviceCode: 600,
		Grant: 14 * 24 * 3600,
		Interaction: 600,
		RefreshToken: 14 * 24 * 3600,
		Session: 600,
	},
	features: {
		devInteractions: { enabled: false },
		introspection: { enabled: true },
		revocation: { enabled: true },
		deviceFlow: {
			enabled: true,
			charset: 'base-20',
			mask: '****-****',
			userCodeInputSource: async (ctx, form, out, err) => {
				ctx.body = page(
					'Enter the code',
					(err ? `<p class="error">${escape(err.message)}</p>` : '') +
						form.replace('</form>', '<button>Go on</button></form>'),
				);
			},
			userCodeConfirmSource: async (ctx, form, client, deviceInfo, userCode) => {
				ctx.body = page(
					`Sign in ${client.clientId} with code ${userCode}?`,
					form.replace('</form>', '<button>Yes</button></form>'),
				);
			},
			successSource: async (ctx) => {
				ctx.body = page('Signed in', '<p id="device-signed-in">You may close this page.</p>');
			},
		},
	},
	interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
	renderError: async (ctx, out) => {
		ctx.type = 'html';
		ctx.body = page('Error', `<pre id="error">${escape(JSON.stringify(out))}</pre>`);
	},
});

async function readForm(req) {
	const chunks = [];
	for await (const chunk of req) chunks.push(chunk);
	return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function interaction(req, res) {
	const details = await provider.interactionDetails(req, res);
	const uid = details.uid;
	if (req.method === 'GET') {
		res.setHeader('Content-Type', 'text/html; charset=utf-8');
		res.end(page(
			'Sign in to the mail lab',
			`<form method="post" action="/interaction/${escape(uid)}/login">` +
				'<input name="login" type="email"><input name="password" type="password">' +
				'<button>Sign in</button></form>',
		));
		return;
	}
	const form = await readForm(req);
	const account = form.get('login') || '';
	if (config.users[account] === undefined || config.users[account] !== form.get('password')) {
		say(`interaction ${uid}: wrong login or password`);
		res.statusCode = 200;
		res.setHeader('Content-Type', 'text/html; charset=utf-8');
		res.end(page('Sign in to the mail lab',
			'<p class="error">Wrong address or password.</p>' +
			`<form method="post" action="/interaction/${escape(uid)}/login">` +
			'<input name="login" type="email"><input name="password" type="password">' +
			'<button>Sign in</button></form>'));
		return;
	}
	const clientId = details.params.client_id;
	const grant = new provider.Grant({ accountId: account, clientId });
	grant.addOIDCScope(details.params.scope || 'mail');
	const grantId = await grant.save();
	say(`interaction ${uid}: ${account} signed in to ${clientId}`);
	await provider.interactionFinished(req, res, {
		login: { accountId: account },
		consent: { grantId },
	}, { mergeWithLastSubmission: false });
}

// Token requests waiting for /lab/release, each a function that lets it go
// on; null when they are not held.
let held = null;

// account -> {skip, count}: checks to refuse (POST /lab/refuse).
const refusals = new Map();

async function introspect(req, res) {
	const chunks = [];
	for await (const chunk of req) chunks.push(chunk);
	const body = Buffer.concat(chunks);
	const token = new URLSearchParams(body.toString('utf8')).get('token') || '';
	const entry = (stores.get('AccessToken') || new Map()).get(token);
	const account = entry ? entry.payload.accountId : undefined;
	const rule = account !== undefined ? refusals.get(account) : undefined;
	if (rule !== undefined) {
		if (rule.skip > 0) {
			rule.skip--;
		} else {
			if (--rule.count <= 0) refusals.delete(account);
			say(`introspection of a token of ${account}: refused by the lab`);
			res.setHeader('Content-Type', 'application/json');
			res.end(JSON.stringify({ active: false }));
			return;
		}
	}
	const upstream = https.request(`${issuer}/token/introspection`, {
		method: 'POST',
		ca: fs.readFileSync(config.ca),
		headers: {
			authorization: req.headers.authorization || '',
			'content-type': req.headers['content-type'] || 'application/x-www-form-urlencoded',
			'content-length': body.length,
		},
	}, (answer) => {
		res.writeHead(answer.statusCode, answer.headers);
		answer.pipe(res);
	});
	upstream.on('error', (e) => {
		say(`introspection: ${e.message}`);
		res.statusCode = 502;
		res.end();
	});
	upstream.end(body);
}

async function lab(req, res, url) {
	if (req.headers.authorization !== `Bearer ${config.admin_secret}`) {
		res.statusCode = 401;
		res.end();
		return;
	}
	const account = url.searchParams.get('account') || '';
	if (url.pathname === '/lab/refuse') {
		refusals.set(account, {
			skip: Number(url.searchParams.get('skip') || 0),
			count: Number(url.searchParams.get('count') || 1),
		});
		res.setHeader('Content-Type', 'application/json');
		res.end(JSON.stringify({ refusing: account }));
		return;
	}
	if (url.pathname === '/lab/hold' || url.pathname === '/lab/release') {
		const waiting = held || [];
		held = url.pathname === '/lab/hold' ? [] : null;
		say(`${url.pathname}: ${waiting.length} token requests go on`);
		const next = () => {
			if (waiting.length > 0) waiting.shift()(next);
		};
		next();
		res.setHeader('Content-Type', 'application/json');
		res.end(JSON.stringify({ released: waiting.length }));
		return;
	}
	if (url.pathname === '/lab/tokens') {
		const tokens = [];
		for (const name of ['AccessToken', 'RefreshToken'])
			for (const [id, entry] of stores.get(name) || [])
				if (entry.payload.accountId === account) tokens.push(id);
		res.setHeader('Content-Type', 'application/json');
		res.end(JSON.stringify({ tokens }));
		return;
	}
	const models = url.pathname === '/lab/revoke'
		? ['Grant', 'AccessToken', 'RefreshToken', 'AuthorizationCode', 'DeviceCode', 'Session']
		: ['AccessToken'];
	const n = forget(account, models);
	say(`${url.pathname} ${account}: ${n} ended`);
	res.setHeader('Content-Type', 'application/json');
	res.end(JSON.stringify({ ended: n }));
}

const callback = provider.callback();
const server = https.createServer({
	cert: fs.readFileSync(config.cert),
	key: fs.readFileSync(config.key),
}, (req, res) => {
	const url = new URL(req.url, issuer);
	if (req.method === 'POST' && url.pathname === '/token') {
		// The grant type is read by oidc-provider too: peek without eating it.
		say(`POST /token`);
	} else {
		say(`${req.method} ${url.pathname}`);
	}
	const fail = (e) => {
		say(`error: ${e && e.message}`);
		if (!res.headersSent) res.statusCode = 500;
		res.end();
	};
	if (url.pathname.startsWith('/interaction/'))
		interaction(req, res).catch(fail);
	else if (req.method === 'POST' && url.pathname === '/lab/introspect')
		introspect(req, res).catch(fail);
	else if (url.pathname.startsWith('/lab/'))
		lab(req, res, url).catch(fail);
	else if (held !== null && req.method === 'POST' && url.pathname === '/token') {
		held.push((next) => {
			res.on('finish', next);
			callback(req, res);
		});
		say(`POST /token held (${held.length} waiting)`);
	} else
		callback(req, res);
});
provider.on('grant.success', (ctx) => say(`token issued: ${ctx.oidc.params.grant_type || ''}`));
provider.on('grant.error', (ctx, e) => say(`token refused: ${ctx.oidc.params?.grant_type || ''}: ${e.error}`));
provider.on('server_error', (ctx, e) => say(`server error: ${e.message}`));
server.listen(config.port, '127.0.0.1', () => say(`listening on ${issuer}`));
for (const signal of ['SIGTERM', 'SIGINT'])
	process.on(signal, () => server.close(() => process.exit(0)));
