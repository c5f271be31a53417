// A second Kabinet server of a test file's own, on a fresh SQLite database (with the demo
// clinic) and its own SMTP sink, for a test that needs what a database allows once: the first
// administrator. It runs the binary that e2e/run.sh runs (KABINET_E2E_BIN), as run.sh does.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Why a file that needs its own server is skipped, or false when it can run. */
export const OWN_SERVER_SKIP = process.env.KABINET_E2E_BIN
  ? false
  : 'KABINET_E2E_BIN is set by e2e/run.sh';

/** A free TCP port of 127.0.0.1. */
async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Stops a child process: TERM, then KILL after 5 s. */
async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts `kabinet serve` on a new database and a free port, mail going to a new Maildir through
 * Debian's aiosmtpd. Returns { url, maildir, bin, databaseUrl, stop() }; call stop() in an
 * `after` hook.
 */
export async function startOwnServer() {
  const bin = process.env.KABINET_E2E_BIN;
  assert.ok(bin, 'KABINET_E2E_BIN is set by e2e/run.sh');
  const dir = mkdtempSync(join(tmpdir(), 'kabinet-own-'));
  const maildir = join(dir, 'maildir');
  const smtpPort = await freePort();
  const smtp = spawn(
    '/usr/bin/python3',
    ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${smtpPort}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir],
    { stdio: 'ignore' },
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const databaseUrl = `sqlite://${dir}/kabinet.db`;
  let log = '';
  const server = spawn(bin, ['serve'], {
    env: {
      ...process.env,
      KABINET_DATABASE_URL: databaseUrl,
      KABINET_BOOKING_RATE_LIMIT: '0',
      KABINET_LISTEN: `127.0.0.1:${port}`,
      KABINET_PUBLIC_URL: url,
      KABINET_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.on('data', (chunk) => (log += chunk));
  server.stderr.on('data', (chunk) => (log += chunk));
  const stop = async () => {
    await stopChild(server);
    await stopChild(smtp);
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null) {
      await stop();
      assert.fail(`the own server exited before it was ready:\n${log}`);
    }
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      assert.fail(`the own server did not answer /health within 60 s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url, maildir, bin, databaseUrl, stop, log: () => log };
}
