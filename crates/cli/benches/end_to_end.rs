//! `apikeys es list` end to end: the built binary against a loopback cluster
//! (`elastic_apikeys_tests::es_server`, which answers `GET /_security/api_key` and the query API
//! and honours `filter_path`), in every output format, beside `curl -s URL | jq
//! '.api_keys|length'` on the whole list, the baseline a script would use. Two inventories of
//! `tests/bodies.rs`: 100,000 keys of the default mix (about 140 MB as one GET), and 20,000 keys
//! of the worst case (about 126 MB: every key with four times the roles, deep metadata, unknown
//! fields).
//!
//! Then the same cluster behind a link of fixed rate ([`LINK_RATE`]), with 100,000 keys of each
//! mix: the reports that need only some members of each key (CSV, the table), which ask for
//! them alone and page through the query API, beside `curl` fetching the whole list. Real
//! clusters sit behind real networks, where the bytes not asked for are the time saved.
//!
//! Each run is a child process: its wall time from spawn to exit, and its peak resident set as
//! the kernel counted it (`wait4`'s `ru_maxrss`, per child, so that one run's peak does not hide
//! in another's), and the bytes the cluster wrote for it (the server's count, before and after).
//! Prints Markdown tables of the medians; `cargo xtask bench` copies them into its report.
//!
//! The server runs in a process of its own (this program again, with [`SERVE`] set), and this
//! process never holds a body or a report: Linux starts a child's `ru_maxrss` from the resident
//! set of the process that spawned it (`exec` keeps the high-water mark of the memory it
//! replaces, and `posix_spawn` shares the parent's), so a parent that held the 140 MB body would
//! add it to every run's figure.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use elastic_apikeys_tests::es_server::{Cluster, bytes_sent};
use serde::de::{Deserialize, Deserializer, IgnoredAny, SeqAccess, Visitor};

/// A body the server answers with.
struct Body {
    /// What the report calls it.
    label: &'static str,
    /// How many keys it has.
    keys: usize,
    /// Whether its keys are in `Mix::worst_case()` rather than the default mix.
    worst: bool,
}

/// The bodies measured: a large cluster's answer in the default mix, and the worst case at about
/// the same size in bytes.
const BODIES: [Body; 2] = [
    Body {
        label: "default mix",
        keys: 100_000,
        worst: false,
    },
    Body {
        label: "worst case",
        keys: 20_000,
        worst: true,
    },
];
/// The bodies measured behind a link of [`LINK_RATE`]: a large cluster's inventory in the
/// default mix and in the worst case, at the same number of keys.
const LINKED_BODIES: [Body; 2] = [
    Body {
        label: "default mix, behind a link",
        keys: 100_000,
        worst: false,
    },
    Body {
        label: "worst case, behind a link",
        keys: 100_000,
        worst: true,
    },
];
/// The link's rate, in bytes a second: 25 MB/s (200 Mbit/s), a cluster in another region or
/// behind a VPN.
const LINK_RATE: u64 = 25_000_000;
/// The most a run of `apikeys` may take behind the link, as a fraction of `curl`'s time to
/// fetch the whole list.
const LINK_TIME_TARGET: f64 = 0.25;
/// Measured runs behind the link, after one that checks the output: the worst case's whole list
/// takes `curl` about 25 s a run.
const LINKED_RUNS: usize = 3;
/// The runs of `apikeys es list --url URL` measured behind the link: the reports that need only
/// some members of each key.
const LINKED_CASES: [Case; 2] = [
    Case {
        label: "`apikeys es list -o csv`",
        args: &["-o", "csv"],
        report: Report::Csv,
    },
    Case {
        label: "`apikeys es list -o table`",
        args: &["-o", "table"],
        report: Report::Table,
    },
];
/// The targets of the audit measured, each the whole default-mix inventory.
const AUDIT_TARGETS: usize = 20;
/// The served cluster's clock: 2026-01-01T00:00:00Z. No case here asks for `--active-only`.
const CLUSTER_NOW: i64 = 1_767_225_600_000;
/// Measured runs of each command, after one that checks the output; the table shows medians.
const RUNS: usize = 5;
/// The most a run of `apikeys` may take, as a fraction of `curl | jq`'s time.
const TIME_TARGET: f64 = 1.0 / 3.0;
/// The most memory a run of `apikeys` may hold at its peak, in MiB.
const RSS_TARGET_MIB: f64 = 64.0;
/// The runs of `apikeys es list --url URL` measured: each output, then the floor, then two
/// outputs with answers uncompressed (`--no-compression`), which is what loopback's free
/// bandwidth favours.
const CASES: [Case; 7] = [
    Case {
        label: "`apikeys es list -o table`",
        args: &["-o", "table"],
        report: Report::Table,
    },
    Case {
        label: "`apikeys es list -o json`",
        args: &["-o", "json"],
        report: Report::Json,
    },
    Case {
        label: "`apikeys es list -o csv`",
        args: &["-o", "csv"],
        report: Report::Csv,
    },
    Case {
        label: "`apikeys es list -o jsonl`",
        args: &["-o", "jsonl"],
        report: Report::Jsonl,
    },
    // A filter no key passes: the keys are received and decoded (by the client's
    // `send_stream()`), judged, and nothing is written. What every output costs at least.
    Case {
        label: "`apikeys es list -o jsonl`, no key selected (receive, decode and drop only)",
        args: &[
            "-o",
            "jsonl",
            "--expiring-within",
            "1s",
            "--as-of",
            "1970-01-01T00:00:00Z",
        ],
        report: Report::Nothing,
    },
    Case {
        label: "`apikeys es list -o csv --no-compression`",
        args: &["-o", "csv", "--no-compression"],
        report: Report::Csv,
    },
    Case {
        label: "`apikeys es list -o jsonl --no-compression`",
        args: &["-o", "jsonl", "--no-compression"],
        report: Report::Jsonl,
    },
];

/// A command measured.
struct Case {
    /// How the table names it.
    label: &'static str,
    /// Its arguments after `es list --url URL`.
    args: &'static [&'static str],
    /// What it must write.
    report: Report,
}

/// What a run must write on stdout: every key, in its format.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Report {
    Table,
    Json,
    Csv,
    Jsonl,
    Nothing,
}
/// Set in the environment of the server process this program starts.
const SERVE: &str = "APIKEYS_END_TO_END_SERVE";

/// An encoded API key (`base64("bench:not-a-secret")`): the server checks nothing, but the CLI
/// wants credentials before it sends.
const API_KEY: &str = "YmVuY2g6bm90LWEtc2VjcmV0";

const MIB: f64 = 1024.0 * 1024.0;

/// One finished run.
struct Measured {
    wall: Duration,
    /// The CPU time (user and system) of the run's processes together: on a busy machine, the
    /// figure that other work changes least.
    cpu: Duration,
    /// The largest peak resident set of the run's processes, in KiB.
    max_rss_kib: u64,
}

/// What `wait4` tells of a child that exited.
struct Reaped {
    /// The exit status, or -1 if a signal ended it.
    status: i32,
    cpu: Duration,
    max_rss_kib: u64,
}

/// What a run wrote on stdout, as far as the checks need it.
#[derive(Debug, Default)]
struct Written {
    bytes: u64,
    lines: u64,
    /// The last line, for the table's count.
    last_line: Vec<u8>,
    /// `-o json`: the number of keys in the document.
    json_keys: Option<usize>,
}

fn main() {
    if let Some(which) = std::env::var_os(SERVE) {
        let which = which.to_string_lossy();
        let (label, rate) = match which.split_once('@') {
            Some((label, rate)) => (label, Some(rate.parse().expect("a rate in bytes a second"))),
            None => (&*which, None),
        };
        let body = BODIES
            .iter()
            .chain(&LINKED_BODIES)
            .find(|body| body.label == label)
            .expect("the server is asked for a known body");
        serve_until_stdin_closes(body, rate);
        return;
    }
    for body in &BODIES {
        measure(body);
    }
    for body in &LINKED_BODIES {
        measure_linked(body);
    }
}

/// Measures every case, and `curl | jq`, against a server answering with `body`, and prints the
/// table.
fn measure(body: &Body) {
    let keys = body.keys;
    let (mut server, url, body_len) = start_server(body, None);
    let binary = Path::new(env!("CARGO_BIN_EXE_apikeys"));

    let mut rows = Vec::new();
    for case in &CASES {
        // The first run checks the report and warms the caches; it is not measured.
        let before = bytes_sent(&url);
        let (_, written) = apikeys(binary, &url, case, true);
        let received = bytes_sent(&url) - before;
        check(case.report, &written, keys);
        let runs: Vec<Measured> = (0..RUNS)
            .map(|_| apikeys(binary, &url, case, false).0)
            .collect();
        rows.push((case, Medians::of(&runs), written.bytes, received));
    }
    // `apikeys audit` of many targets, each this whole inventory, in the default mix only: what
    // it holds does not grow with the targets or their keys.
    let audits: Vec<(&str, Measured, u64)> = if body.worst {
        Vec::new()
    } else {
        ["csv", "table"]
            .into_iter()
            .map(|format| {
                let (measured, written) = audit_of_many(binary, &url, format);
                // CSV: a header and a line a key; the table: a count line too.
                let extra = if format == "csv" { 1 } else { 2 };
                assert_eq!(
                    written.lines,
                    (AUDIT_TARGETS * keys) as u64 + extra,
                    "audit {format} lines"
                );
                (format, measured, written.bytes)
            })
            .collect()
    };
    let baseline = if on_path("curl") && on_path("jq") {
        let (_, counted) = curl_jq(&url);
        assert_eq!(counted.trim(), keys.to_string(), "jq counts every key");
        let runs: Vec<Measured> = (0..RUNS).map(|_| curl_jq(&url).0).collect();
        Some(Medians::of(&runs))
    } else {
        None
    };
    drop(server.stdin.take());
    let _ = server.wait();

    println!(
        "\n{}: {keys} keys, {:.1} MB ({:.1} MiB), from a loopback server; {RUNS} runs of each, \
         medians. Targets: time ≤ {TIME_TARGET:.2}× `curl -s URL | jq '.api_keys|length'`, peak \
         RSS ≤ {RSS_TARGET_MIB} MiB.\n",
        body.label,
        body_len as f64 / 1e6,
        body_len as f64 / MIB,
    );
    println!(
        "| command | received | stdout | median time | vs curl \\| jq | CPU time | vs curl \\| jq | peak RSS | result |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---|");
    for (case, measured, bytes, received) in &rows {
        let rss = measured.max_rss_kib as f64 / 1024.0;
        let ratio = baseline
            .as_ref()
            .map(|base| measured.wall.as_secs_f64() / base.wall.as_secs_f64());
        let cpu_ratio = baseline
            .as_ref()
            .map(|base| measured.cpu.as_secs_f64() / base.cpu.as_secs_f64());
        let mut gaps = Vec::new();
        if rss > RSS_TARGET_MIB {
            gaps.push("memory");
        }
        if ratio.is_some_and(|ratio| ratio > TIME_TARGET) {
            gaps.push("time");
        }
        let result = match (gaps.is_empty(), ratio) {
            _ if case.report == Report::Nothing => "reference".to_string(),
            (false, _) => format!("gap: {}", gaps.join(", ")),
            (true, Some(_)) => "pass".to_string(),
            (true, None) => "pass (memory; time not compared)".to_string(),
        };
        let times =
            |ratio: Option<f64>| ratio.map_or("–".to_string(), |ratio| format!("{ratio:.2}×"));
        println!(
            "| {} | {:.1} MB ({:.2}×) | {:.1} MB | {} | {} | {} | {} | {rss:.1} MiB | {result} |",
            case.label,
            *received as f64 / 1e6,
            *received as f64 / body_len as f64,
            *bytes as f64 / 1e6,
            seconds(measured.wall),
            times(ratio),
            seconds(measured.cpu),
            times(cpu_ratio),
        );
    }
    for (format, measured, bytes) in &audits {
        let rss = measured.max_rss_kib as f64 / 1024.0;
        let result = if rss > RSS_TARGET_MIB {
            "gap: memory"
        } else {
            "pass (memory)"
        };
        println!(
            "| `apikeys audit -o {format}`, {AUDIT_TARGETS} targets of these {keys} keys (one run) | – | {:.1} MB | {} | – | {} | – | {rss:.1} MiB | {result} |",
            *bytes as f64 / 1e6,
            seconds(measured.wall),
            seconds(measured.cpu),
        );
    }
    match baseline {
        Some(base) => println!(
            "| `curl -s URL \\| jq '.api_keys\\|length'` | {:.1} MB (1.00×) | – | {} | 1.00× | {} | 1.00× | {:.1} MiB (the larger of the two) | baseline |",
            body_len as f64 / 1e6,
            seconds(base.wall),
            seconds(base.cpu),
            base.max_rss_kib as f64 / 1024.0
        ),
        None => println!(
            "\nThe comparison with `curl | jq` was skipped: `curl` or `jq` is not on PATH."
        ),
    }
}

/// Measures the reports that need only some members of each key, and `curl` fetching the whole
/// list, against a cluster holding `body` behind a link of [`LINK_RATE`], and prints the table.
fn measure_linked(body: &Body) {
    let keys = body.keys;
    let (mut server, url, body_len) = start_server(body, Some(LINK_RATE));
    let binary = Path::new(env!("CARGO_BIN_EXE_apikeys"));
    let mut rows = Vec::new();
    for case in &LINKED_CASES {
        // The first run checks the report (and has the server filter every key once); it is
        // not measured.
        let before = bytes_sent(&url);
        let (_, written) = apikeys(binary, &url, case, true);
        let received = bytes_sent(&url) - before;
        check(case.report, &written, keys);
        let runs: Vec<Measured> = (0..LINKED_RUNS)
            .map(|_| apikeys(binary, &url, case, false).0)
            .collect();
        rows.push((case, Medians::of(&runs), received));
    }
    let curl = |compressed: bool| {
        on_path("curl").then(|| {
            let before = bytes_sent(&url);
            curl_whole_list(&url, compressed);
            let received = bytes_sent(&url) - before;
            let runs: Vec<Measured> = (0..LINKED_RUNS)
                .map(|_| curl_whole_list(&url, compressed))
                .collect();
            (Medians::of(&runs), received)
        })
    };
    let baseline = curl(false);
    let compressed = curl(true);
    drop(server.stdin.take());
    let _ = server.wait();

    println!(
        "\n{}: {keys} keys, {:.1} MB ({:.1} MiB) as one GET, from a loopback server that writes \
         at most {:.0} MB/s; {LINKED_RUNS} runs of each, medians. Targets: time ≤ \
         {LINK_TIME_TARGET:.2}× `curl -s -o /dev/null URL/_security/api_key`, peak RSS ≤ \
         {RSS_TARGET_MIB} MiB.\n",
        body.label,
        body_len as f64 / 1e6,
        body_len as f64 / MIB,
        LINK_RATE as f64 / 1e6,
    );
    println!(
        "| command | received | vs the whole list | median time | vs curl | peak RSS | result |"
    );
    println!("|---|---:|---:|---:|---:|---:|---|");
    for (case, measured, received) in &rows {
        let rss = measured.max_rss_kib as f64 / 1024.0;
        let ratio = baseline
            .as_ref()
            .map(|(base, _)| measured.wall.as_secs_f64() / base.wall.as_secs_f64());
        let mut gaps = Vec::new();
        if rss > RSS_TARGET_MIB {
            gaps.push("memory");
        }
        if ratio.is_some_and(|ratio| ratio > LINK_TIME_TARGET) {
            gaps.push("time");
        }
        let result = match (gaps.is_empty(), ratio) {
            (false, _) => format!("gap: {}", gaps.join(", ")),
            (true, Some(_)) => "pass".to_string(),
            (true, None) => "pass (memory; time not compared)".to_string(),
        };
        println!(
            "| {} | {:.1} MB | {:.3}× | {} | {} | {rss:.1} MiB | {result} |",
            case.label,
            *received as f64 / 1e6,
            *received as f64 / body_len as f64,
            seconds(measured.wall),
            ratio.map_or("–".to_string(), |ratio| format!("{ratio:.2}×")),
        );
    }
    match baseline {
        Some((ref base, received)) => println!(
            "| `curl -s -o /dev/null URL/_security/api_key` | {:.1} MB | {:.3}× | {} | 1.00× | {:.1} MiB | baseline |",
            received as f64 / 1e6,
            received as f64 / body_len as f64,
            seconds(base.wall),
            base.max_rss_kib as f64 / 1024.0
        ),
        None => println!("\nThe comparison with `curl` was skipped: `curl` is not on PATH."),
    }
    if let (Some((base, _)), Some((measured, received))) = (&baseline, compressed) {
        println!(
            "| `curl --compressed -s -o /dev/null URL/_security/api_key` (for comparison) | {:.1} MB | {:.3}× | {} | {:.2}× | {:.1} MiB | – |",
            received as f64 / 1e6,
            received as f64 / body_len as f64,
            seconds(measured.wall),
            measured.wall.as_secs_f64() / base.wall.as_secs_f64(),
            measured.max_rss_kib as f64 / 1024.0
        );
    }
}

/// Runs `apikeys audit -o FORMAT` of [`AUDIT_TARGETS`] profiles, each the cluster at `url`,
/// once, counting what it writes.
fn audit_of_many(binary: &Path, url: &str, format: &str) -> (Measured, Written) {
    use std::os::unix::fs::OpenOptionsExt;

    let dir = std::env::temp_dir().join(format!("apikeys-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a directory for the config file");
    let config = dir.join("config.toml");
    let mut text = String::new();
    for target in 0..AUDIT_TARGETS {
        text.push_str(&format!(
            "[profiles.target{target:02}]\nservice = \"elasticsearch\"\nurl = \"{url}\"\n\
             api_key = {{ env = \"ELASTIC_API_KEY\" }}\n\n"
        ));
    }
    let _ = std::fs::remove_file(&config);
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&config)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .expect("the config file is written");
    let mut command = Command::new(binary);
    command
        .args(["audit", "-o", format])
        .env_clear()
        .env("APIKEYS_CONFIG", &config)
        .env("ELASTIC_API_KEY", API_KEY);
    let measured = report_of(command, false, "audit");
    let _ = std::fs::remove_dir_all(&dir);
    measured
}

/// Runs `curl -s -o /dev/null URL/_security/api_key`: the whole list, fetched and dropped.
/// `curl -s -o /dev/null URL/_security/api_key`, with `--compressed` if `compressed` (which
/// offers gzip, as `apikeys` does).
fn curl_whole_list(url: &str, compressed: bool) -> Measured {
    let started = Instant::now();
    let curl = Command::new("curl")
        .args(["-s", "-o", "/dev/null", &format!("{url}/_security/api_key")])
        .args(compressed.then_some("--compressed"))
        .stdin(Stdio::null())
        .spawn()
        .expect("curl runs");
    let reaped = wait(curl);
    assert!(reaped.status == 0, "curl failed");
    Measured {
        wall: started.elapsed(),
        cpu: reaped.cpu,
        max_rss_kib: reaped.max_rss_kib,
    }
}

fn seconds(wall: Duration) -> String {
    format!("{:.3} s", wall.as_secs_f64())
}

/// The medians of runs, each figure on its own.
struct Medians {
    wall: Duration,
    cpu: Duration,
    max_rss_kib: u64,
}

impl Medians {
    fn of(runs: &[Measured]) -> Self {
        fn median<T: Ord + Copy>(mut values: Vec<T>) -> T {
            values.sort();
            values[values.len() / 2]
        }
        Self {
            wall: median(runs.iter().map(|run| run.wall).collect()),
            cpu: median(runs.iter().map(|run| run.cpu).collect()),
            max_rss_kib: median(runs.iter().map(|run| run.max_rss_kib).collect()),
        }
    }
}

/// Whether `program` is an executable file in one of `PATH`'s directories.
fn on_path(program: &str) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| {
            std::fs::metadata(dir.join(program))
                .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
        })
    })
}

/// Runs `apikeys es list -o output` against `url`, with nothing of this process's environment
/// but the credentials, its stdout read from a pipe as a reader would: counted, and if `check`,
/// also decoded.
fn apikeys(binary: &Path, url: &str, case: &Case, check: bool) -> (Measured, Written) {
    let mut command = Command::new(binary);
    command
        .args(["es", "list", "--url", url])
        .args(case.args)
        .env_clear()
        .env("ELASTIC_API_KEY", API_KEY);
    report_of(command, check && case.report == Report::Json, case.label)
}

/// Runs `command` (`what` for messages), its stdout read from a pipe as a reader would:
/// counted, and if `json`, decoded as one document of `api_keys`. It must exit with 0.
fn report_of(mut command: Command, json: bool, what: &str) -> (Measured, Written) {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the built binary runs");
    let stdout = child.stdout.take().expect("stdout is piped");
    let stdout = thread::spawn(move || {
        if json {
            count_json_keys(stdout)
        } else {
            count(stdout)
        }
    });
    let stderr = child.stderr.take().expect("stderr is piped");
    let stderr = thread::spawn(move || {
        let mut text = String::new();
        let _ = BufReader::new(stderr)
            .take(64 * 1024)
            .read_to_string(&mut text);
        text
    });
    let reaped = wait(child);
    let wall = started.elapsed();
    let written = stdout.join().expect("stdout is read");
    let stderr = stderr.join().expect("stderr is read");
    assert!(
        reaped.status == 0,
        "{what} exited with {}: {stderr}",
        reaped.status
    );
    (
        Measured {
            wall,
            cpu: reaped.cpu,
            max_rss_kib: reaped.max_rss_kib,
        },
        written,
    )
}

/// Runs `curl -s url | jq '.api_keys|length'`, the two wired with a pipe as a shell wires them,
/// and gives what jq printed.
fn curl_jq(url: &str) -> (Measured, String) {
    let started = Instant::now();
    let mut curl = Command::new("curl")
        .args(["-s", &format!("{url}/_security/api_key")])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .expect("curl runs");
    let piped = curl.stdout.take().expect("curl's stdout is piped");
    let mut jq = Command::new("jq")
        .arg(".api_keys|length")
        .stdin(Stdio::from(piped))
        .stdout(Stdio::piped())
        .spawn()
        .expect("jq runs");
    let mut stdout = jq.stdout.take().expect("jq's stdout is piped");
    let printed: JoinHandle<String> = thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let curl = wait(curl);
    let jq = wait(jq);
    let wall = started.elapsed();
    assert!(curl.status == 0 && jq.status == 0, "curl | jq failed");
    (
        Measured {
            wall,
            cpu: curl.cpu + jq.cpu,
            max_rss_kib: curl.max_rss_kib.max(jq.max_rss_kib),
        },
        printed.join().expect("jq's stdout is read"),
    )
}

/// Reads `pipe` to its end, counting bytes and lines, in a buffer of fixed size: as cheap a
/// reader as can be, so that it takes little of the machine from the run it reads.
fn count(mut pipe: impl Read) -> Written {
    /// The longest last line kept: enough for the table's count.
    const KEPT: usize = 64;
    let mut written = Written::default();
    let mut buffer = vec![0; 256 * 1024];
    // The line being read: its start, up to KEPT bytes.
    let mut line = Vec::new();
    loop {
        let read = match pipe.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => panic!("reading the report: {error}"),
        };
        let chunk = &buffer[..read];
        written.bytes += read as u64;
        let breaks = chunk.iter().filter(|&&byte| byte == b'\n').count();
        written.lines += breaks as u64;
        let rest = match chunk.iter().rposition(|&byte| byte == b'\n') {
            Some(last) => {
                let start = chunk[..last]
                    .iter()
                    .rposition(|&byte| byte == b'\n')
                    .map_or(0, |before| before + 1);
                if breaks > 1 {
                    line.clear();
                }
                line.extend_from_slice(&chunk[start..last]);
                line.truncate(KEPT);
                written.last_line = std::mem::take(&mut line);
                &chunk[last + 1..]
            }
            None => chunk,
        };
        line.extend_from_slice(&rest[..rest.len().min(KEPT.saturating_sub(line.len()))]);
    }
    written
}

/// Decodes `pipe` as one JSON document whose `api_keys` are counted, not kept.
fn count_json_keys(pipe: impl Read) -> Written {
    /// The number of elements of a JSON array.
    struct Count(usize);

    impl<'de> Deserialize<'de> for Count {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct Counting;
            impl<'de> Visitor<'de> for Counting {
                type Value = Count;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("an array")
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Count, A::Error> {
                    let mut n = 0;
                    while seq.next_element::<IgnoredAny>()?.is_some() {
                        n += 1;
                    }
                    Ok(Count(n))
                }
            }
            deserializer.deserialize_seq(Counting)
        }
    }

    #[derive(serde::Deserialize)]
    struct Document {
        api_keys: Count,
    }

    let mut counted = CountingReader {
        inner: pipe,
        bytes: 0,
    };
    let document: Document =
        serde_json::from_reader(BufReader::with_capacity(64 * 1024, &mut counted))
            .expect("-o json writes one JSON document");
    Written {
        bytes: counted.bytes,
        json_keys: Some(document.api_keys.0),
        ..Written::default()
    }
}

/// A reader that counts what passes through it.
struct CountingReader<R> {
    inner: R,
    bytes: u64,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.bytes += read as u64;
        Ok(read)
    }
}

/// Checks that a run wrote the whole report: every key, in the format asked for.
fn check(report: Report, written: &Written, count: usize) {
    let keys = count as u64;
    match report {
        // Headers, a row per key, and the count.
        Report::Table => {
            assert_eq!(written.lines, keys + 2, "table lines");
            let footer = format!("{},{:03} keys", count / 1000, count % 1000);
            assert_eq!(written.last_line, footer.as_bytes(), "the table's count");
        }
        Report::Json => assert_eq!(written.json_keys, Some(count), "keys in the JSON document"),
        Report::Csv => assert_eq!(written.lines, keys + 1, "CSV lines"),
        Report::Jsonl => assert_eq!(written.lines, keys, "JSON lines"),
        Report::Nothing => assert_eq!(written.bytes, 0, "no key selected, none written"),
    }
}

/// Waits for `child` and gives its exit status, CPU time and peak resident set from `wait4`: the
/// usage of that one child, where `getrusage` would give the largest peak of every child this
/// process has waited for. `Child::wait` would reap it without its usage, so the child is
/// taken, and never waited for otherwise.
fn wait(child: Child) -> Reaped {
    let pid = libc::pid_t::try_from(child.id()).expect("a pid fits pid_t");
    let mut status = 0;
    // SAFETY: `rusage` is plain data, for which all zeroes is a valid value.
    #[allow(unsafe_code, reason = "libc's rusage has no safe constructor")]
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `status` and `usage` are valid for writes for the call's duration, and `pid`
        // is a child of this process that nothing else waits for (`Child::wait` is never
        // called on it).
        #[allow(
            unsafe_code,
            reason = "wait4 is the one call that gives one child's usage"
        )]
        let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if waited == pid {
            break;
        }
        let error = std::io::Error::last_os_error();
        assert!(
            error.kind() == std::io::ErrorKind::Interrupted,
            "wait4: {error}"
        );
    }
    let time = |t: libc::timeval| {
        Duration::from_secs(u64::try_from(t.tv_sec).unwrap_or(0))
            + Duration::from_micros(u64::try_from(t.tv_usec).unwrap_or(0))
    };
    Reaped {
        status: if libc::WIFEXITED(status) {
            libc::WEXITSTATUS(status)
        } else {
            -1
        },
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
        // Linux gives ru_maxrss in KiB.
        max_rss_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0),
    }
}

/// Starts this program as the server, at `rate` bytes a second if given, and gives it, its base
/// URL and the length of the whole `GET /_security/api_key` body.
fn start_server(body: &Body, rate: Option<u64>) -> (Child, String, usize) {
    let which = match rate {
        Some(rate) => format!("{}@{rate}", body.label),
        None => body.label.to_string(),
    };
    let mut server = Command::new(std::env::current_exe().expect("this program's path"))
        .env(SERVE, which)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let mut first = String::new();
    BufReader::new(server.stdout.take().expect("the server's stdout is piped"))
        .read_line(&mut first)
        .expect("the server says where it listens");
    let (url, length) = first
        .trim()
        .split_once(' ')
        .expect("the server's line is `URL LENGTH`");
    let length = length.parse().expect("the body's length");
    (server, url.to_string(), length)
}

/// The server process: makes the body, prints `URL LENGTH` on stdout, and answers as a cluster
/// with that inventory does (`elastic_apikeys_tests::es_server`: `GET /_security/api_key`, the
/// query API, `filter_path`), at `rate` bytes a second if given, until its stdin closes (the
/// benchmark is done, or gone).
fn serve_until_stdin_closes(body: &Body, rate: Option<u64>) {
    let mix = if body.worst {
        elastic_apikeys_tests::bodies::Mix::worst_case()
    } else {
        elastic_apikeys_tests::bodies::Mix::default()
    };
    let text = elastic_apikeys_tests::bodies::elasticsearch_body(body.keys, &mix);
    let length = text.len();
    let mut cluster = Cluster::new(&text, CLUSTER_NOW);
    drop(text);
    if let Some(rate) = rate {
        cluster = cluster.with_rate(rate);
    }
    let server = cluster.serve();
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{} {length}", server.url()).expect("the benchmark reads the URL");
    stdout.flush().expect("the benchmark reads the URL");
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
}
