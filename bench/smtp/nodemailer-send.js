// Sends N copies of a message file on one pooled connection with nodemailer.
const fs = require('fs');
const nodemailer = require('nodemailer');
const [port, count, file] = process.argv.slice(2);
const raw = fs.readFileSync(file);
const transport = nodemailer.createTransport({
  pool: true, maxConnections: 1, maxMessages: Infinity,
  host: '127.0.0.1', port: Number(port), secure: false, ignoreTLS: true,
});
(async () => {
  for (let i = 0; i < Number(count); i++) {
    await transport.sendMail({
      envelope: { from: 'alice@sender.test', to: ['carol@prospect.test'] }, raw,
    });
  }
  transport.close();
})().catch((e) => { console.error(e); process.exit(1); });
