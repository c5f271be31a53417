// The letters the portal sent, as they arrived at the SMTP server on loopback that e2e/run.sh
// starts (aiosmtpd, keeping a Maildir). Debian's python3 decodes the MIME parts, so the tests
// read the text exactly as a mail program would show it.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

const MAILDIR = process.env.KABINET_E2E_MAILDIR;

const READ_MAILDIR = `
import json, mailbox, re, sys
from email import policy
box = mailbox.Maildir(sys.argv[1], factory=None, create=False)
def arrival(key):
    # Maildir names start with the second and the microsecond of delivery: "1764.M123P…".
    m = re.match(r"(\d+)\.M(\d+)", key)
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)
out = []
for key in sorted(box.keys(), key=arrival):
    raw = box[key]
    msg = mailbox.MaildirMessage(raw)
    parsed = __import__("email").message_from_bytes(msg.as_bytes(), policy=policy.default)
    body = parsed.get_body(preferencelist=("plain",))
    out.append({"to": str(parsed["To"]), "subject": str(parsed["Subject"]),
                "body": body.get_content() if body else ""})
print(json.dumps(out))
`;

/** Every letter that arrived so far, oldest first: [{ to, subject, body }] (in `maildir`, run.sh's by default). */
export function letters(maildir = MAILDIR) {
  assert.ok(maildir, 'KABINET_E2E_MAILDIR is set by e2e/run.sh');
  const out = execFileSync('/usr/bin/python3', ['-c', READ_MAILDIR, maildir], { encoding: 'utf8' });
  return JSON.parse(out);
}

/**
 * Waits (the outbox worker sends every few seconds) for a letter to `address` whose subject
 * contains `subject`, and that is not among `seen`. Returns it.
 */
export async function waitForLetter(address, subject, seen = 0, timeoutMs = 30_000, maildir = MAILDIR) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = letters(maildir).filter((l) => l.to.includes(address) && l.subject.includes(subject));
    if (found.length > seen) return found[found.length - 1];
    assert.ok(Date.now() < deadline, `no letter "${subject}" to ${address} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The first link to `path` in a letter's text. */
export function linkIn(letter, path) {
  const match = letter.body.match(new RegExp(`https?://\\S+${path.replace(/[/?]/g, '\\$&')}\\S*`));
  assert.ok(match, `a link to ${path} in:\n${letter.body}`);
  return match[0];
}
