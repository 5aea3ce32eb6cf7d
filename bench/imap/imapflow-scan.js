// The same header scan with imapflow: one fetch of every message's header
// fields, streamed.
const { ImapFlow } = require('imapflow');
const fs = require('fs');
const [port, user, caFile, fields] = process.argv.slice(2);
(async () => {
  const client = new ImapFlow({
    host: '127.0.0.1', port: Number(port), secure: true, logger: false,
    auth: { user, pass: process.env.BENCH_IMAP_PASSWORD },
    tls: { ca: [fs.readFileSync(caFile)] },
  });
  await client.connect();
  const lock = await client.getMailboxLock('INBOX', { readOnly: true });
  let count = 0;
  try {
    for await (const message of client.fetch('1:*',
      { uid: true, size: true, flags: true, headers: fields.split(' ') }, { uid: true })) {
      if (message.headers) count++;
    }
  } finally {
    lock.release();
  }
  await client.logout();
  console.log(count);
})().catch((e) => { console.error(e); process.exit(1); });
