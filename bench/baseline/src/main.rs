#![doc = r#"
The benchmark baseline: a bare axum server that answers every request with
one fixed JSON body.

It is the ceiling against which `bench/run.sh` measures the Kabinet server:
the same runtime (tokio, multi-threaded), the same HTTP stack (hyper via
axum 0.8) and the same response body, but no routing work, no database, no
serialisation. The body is read once at start and leaked into a
`&'static [u8]`, so serving it allocates nothing beyond what axum and hyper
need for the response itself.

```text
kabinet-bench-baseline [--listen ADDR] --body FILE
```

* `--listen ADDR` — socket address to bind (default `127.0.0.1:18090`);
* `--body FILE` — the JSON body returned for `GET /` and every other path,
  with `content-type: application/json`.
"#]

use std::error::Error;
use std::net::SocketAddr;
use std::path::PathBuf;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::get;

/// The address the baseline listens on when `--listen` is not given.
const DEFAULT_LISTEN: &str = "127.0.0.1:18090";

/// Usage text printed for `--help` and on argument errors.
const USAGE: &str = "usage: kabinet-bench-baseline [--listen ADDR] --body FILE";

/// An error with a human-readable message.
///
/// `main` returns `Box<dyn Error>`, and Rust prints the error returned from
/// `main` with `Debug`; this type's `Debug` is its plain message, so the user
/// sees `Error: --body FILE is required` rather than an escaped string.
struct Fail(String);

impl std::fmt::Debug for Fail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Display for Fail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Error for Fail {}

/// Builds a boxed [`Fail`] from a message.
fn fail(message: impl Into<String>) -> Box<dyn Error> {
    Box::new(Fail(message.into()))
}

/// Command-line arguments.
#[derive(Debug)]
struct Args {
    /// Socket address to bind.
    listen: SocketAddr,
    /// File holding the JSON body.
    body: PathBuf,
}

/// What the command line asks for.
enum Command {
    /// Serve the body.
    Serve(Args),
    /// Print the usage and exit.
    Help,
}

/// Parses the arguments (without the program name) by hand.
///
/// Accepts `--listen ADDR`, `--listen=ADDR`, `--body FILE`, `--body=FILE`
/// and `-h`/`--help`.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Command, Box<dyn Error>> {
    let mut listen: SocketAddr = DEFAULT_LISTEN.parse()?;
    let mut body: Option<PathBuf> = None;
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => {
                (name.to_owned(), Some(value.to_owned()))
            }
            _ => (arg, None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| fail(format!("{name} needs a value\n{USAGE}")))
        };
        match name.as_str() {
            "--listen" => {
                let raw = value("--listen")?;
                listen =
                    raw.parse().map_err(|e| fail(format!("--listen {raw:?}: {e}\n{USAGE}")))?;
            }
            "--body" => body = Some(PathBuf::from(value("--body")?)),
            "-h" | "--help" => return Ok(Command::Help),
            other => return Err(fail(format!("unknown argument {other:?}\n{USAGE}"))),
        }
    }
    let body = body.ok_or_else(|| fail(format!("--body FILE is required\n{USAGE}")))?;
    Ok(Command::Serve(Args { listen, body }))
}

/// Resolves when the process receives Ctrl-C (SIGINT).
async fn shutdown_signal() {
    // If the handler cannot be installed, run until killed instead.
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let args = match parse_args(std::env::args().skip(1))? {
        Command::Serve(args) => args,
        Command::Help => {
            println!("{USAGE}");
            return Ok(());
        }
    };

    let bytes = std::fs::read(&args.body)
        .map_err(|e| fail(format!("cannot read --body {}: {e}", args.body.display())))?;
    let len = bytes.len();
    // Read once, kept for the life of the process: a `&'static [u8]` becomes a
    // `Bytes::from_static` response body, so no copy per request.
    let body: &'static [u8] = Box::leak(bytes.into_boxed_slice());

    let handler = move || async move {
        ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body)
            .into_response()
    };
    let app = Router::new().route("/", get(handler)).fallback(handler);

    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| fail(format!("cannot bind {}: {e}", args.listen)))?;
    println!(
        "kabinet-bench-baseline: serving {len} bytes from {} on http://{}",
        args.body.display(),
        listener.local_addr()?
    );
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await?;
    Ok(())
}
