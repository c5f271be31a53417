//! [`SmtpSink`]: a real SMTP server on loopback (Python's aiosmtpd, Debian's
//! `python3-aiosmtpd`) that keeps every message it accepts, decoded, for a test to read.
//!
//! ```no_run
//! # use kabinet_testkit::SmtpSink;
//! let sink = SmtpSink::start();
//! // … configure the mailer with `sink.url()`, deliver …
//! let mail = &sink.messages()[0];
//! assert!(mail.body.contains("https://"));
//! ```
//!
//! The server answers `250` only after it has written the message down, so whatever a
//! delivery call reports as sent is already in [`SmtpSink::messages`]. Like a real server
//! it refuses for good (`550`) a mailbox it does not have: any whose local part starts with
//! `nobody`.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::unique_name;

/// The server: binds the port it is given (0: any free one), prints it, and appends each
/// message as one JSON line — envelope recipients, decoded subject and plain-text body, and
/// the raw message.
const SERVER: &str = r#"
import asyncio, email, email.policy, json, sys
from aiosmtpd.smtp import SMTP

class Sink:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.split("@")[0].startswith("nobody"):
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        part = message.get_body(preferencelist=("plain",))
        body = part.get_content() if part is not None else ""
        record = {
            "to": envelope.rcpt_tos,
            "from": envelope.mail_from,
            "subject": str(message.get("subject", "")),
            "body": body.replace("\r\n", "\n"),
            "raw": envelope.content.decode("utf-8", "replace"),
        }
        with open(sys.argv[2], "a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return "250 OK"

async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(Sink()), "127.0.0.1", int(sys.argv[1]))
    print(server.sockets[0].getsockname()[1], flush=True)
    await asyncio.Event().wait()

asyncio.run(main())
"#;

/// One message the sink accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMail {
    /// The envelope's recipients, comma-separated.
    pub to: String,
    /// The envelope's sender.
    pub from: String,
    /// The subject, decoded (RFC 2047).
    pub subject: String,
    /// The text/plain body, decoded, with `\n` line ends.
    pub body: String,
    /// The message as it came over the wire, headers and all.
    pub raw: String,
}

/// An SMTP server on `127.0.0.1`, stopped when dropped.
#[derive(Debug)]
pub struct SmtpSink {
    child: Child,
    port: u16,
    dir: PathBuf,
}

/// The Python that has Debian's modules (aiosmtpd, icalendar): `KABINET_TEST_PYTHON`, else Debian's own
/// `/usr/bin/python3` (a `python3` earlier on `PATH`, e.g. pyenv's, would not see it).
pub fn python() -> String {
    std::env::var("KABINET_TEST_PYTHON").ok().filter(|p| !p.is_empty()).unwrap_or_else(|| {
        if std::path::Path::new("/usr/bin/python3").exists() {
            "/usr/bin/python3".into()
        } else {
            "python3".into()
        }
    })
}

impl SmtpSink {
    /// Starts a sink on a free port.
    pub fn start() -> Self {
        Self::start_on(0)
    }

    /// Starts a sink on `port` — for a test that first finds the server down, then up on the
    /// same address. Panics if the server does not come up within ten seconds.
    pub fn start_on(port: u16) -> Self {
        let dir = std::env::temp_dir().join(format!("kabinet-smtp-{}", unique_name()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {dir:?}: {e}"));
        let script = dir.join("sink.py");
        std::fs::write(&script, SERVER).unwrap_or_else(|e| panic!("cannot write {script:?}: {e}"));
        let mut child = Command::new(python())
            .arg(&script)
            .arg(port.to_string())
            .arg(dir.join("messages.jsonl"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start python3 for the SMTP sink: {e}"));
        let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout of the SMTP sink"));
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(10)).unwrap_or_default();
        let Ok(port) = line.trim().parse::<u16>() else {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "the SMTP sink did not start (is python3-aiosmtpd installed? \
                 scripts/test.sh installs it); it printed {line:?}"
            );
        };
        Self { child, port, dir }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `smtp://127.0.0.1:<port>`, for the mailer.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message accepted so far, oldest first.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        let Ok(text) = std::fs::read_to_string(self.dir.join("messages.jsonl")) else {
            return Vec::new();
        };
        text.lines()
            .map(|line| {
                let v: serde_json::Value = serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("bad line from the SMTP sink ({e}): {line}"));
                let text = |key: &str| v[key].as_str().unwrap_or_default().to_owned();
                let to = v["to"].as_array().map_or_else(Vec::new, |a| {
                    a.iter().filter_map(|t| t.as_str()).collect::<Vec<_>>()
                });
                ReceivedMail {
                    to: to.join(", "),
                    from: text("from"),
                    subject: text("subject"),
                    body: text("body"),
                    raw: text("raw"),
                }
            })
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
