//! Memory of decoding key lists, as ratios to the body size, for the default mix and the worst
//! case of `tests/bodies.rs`, and for each knob that moves it:
//! - **heap held**: the bytes the decoded list keeps allocated, counted by a global allocator in
//!   this process (what the list costs, without malloc's overhead);
//! - **peak RSS**: what users pay, malloc's overhead and fragmentation included. Each figure comes
//!   from a fresh child process (this same binary, `--rss`) that reads the body from a file,
//!   decodes it and holds the result; its peak resident set (`VmHWM`) is compared with the body.
//!   The body itself is part of the peak, as it is for a client that reads it whole.
//! - **fresh-process decode time**: how long that child's decode took, the median of three
//!   children, for the models, `serde_json::Value` and progenitor's default types
//!   (`tests/baseline/`). A process that decodes once (a CLI run, an audit job) gets every page
//!   of the result fresh from the kernel, which criterion's loop, reusing the memory it freed,
//!   never does.
//!
//! Prints tables; `cargo xtask bench` copies them into its report.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::io::Write as _;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use elastic_apikeys_models::elasticsearch::{ApiKeyReader, GetApiKeyResponse};
use elastic_apikeys_tests::baseline;
use elastic_apikeys_tests::bodies::{self, Mix};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; only counters are added.
#[allow(
    unsafe_code,
    reason = "a global allocator can only be written with unsafe"
)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        // SAFETY: the caller upholds `alloc`'s contract, which is passed on as it is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            let now = CURRENT.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size
                - layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        } else {
            CURRENT.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` and returns what it returned, the bytes still held when it returned, and the peak
/// bytes held on top of what was allocated before it ran.
fn measure<T>(f: impl FnOnce() -> T) -> (T, usize, usize) {
    let before = CURRENT.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let value = f();
    let held = CURRENT.load(Ordering::Relaxed) - before;
    let peak = PEAK.load(Ordering::Relaxed) - before;
    (value, held, peak)
}

/// What a child process decodes, for a peak-RSS figure.
const DECODERS: [&str; 4] = ["value", "models", "progenitor", "streaming"];

/// The child: reads the body at `path` the way a client would (whole, or streamed for
/// `streaming`), decodes it with `decoder`, and prints its peak resident set in bytes and the
/// decode's time in nanoseconds (the body's read is not timed, except when streaming, where
/// reading and decoding are one).
fn child(decoder: &str, path: &Path) {
    let decode = match decoder {
        "value" => {
            let body = std::fs::read(path).unwrap();
            let start = Instant::now();
            let list: serde_json::Value = serde_json::from_slice(&body).unwrap();
            let decode = start.elapsed();
            black_box((&body, &list));
            decode
        }
        "models" => {
            let body = std::fs::read(path).unwrap();
            let start = Instant::now();
            let list: GetApiKeyResponse = serde_json::from_slice(&body).unwrap();
            let decode = start.elapsed();
            black_box((&body, &list));
            decode
        }
        "progenitor" => {
            let body = std::fs::read(path).unwrap();
            let start = Instant::now();
            let list: baseline::elasticsearch::GetApiKeyResponse =
                serde_json::from_slice(&body).unwrap();
            let decode = start.elapsed();
            black_box((&body, &list));
            decode
        }
        "streaming" => {
            let start = Instant::now();
            let file = std::fs::File::open(path).unwrap();
            let mut count = 0usize;
            for key in ApiKeyReader::new(std::io::BufReader::new(file)) {
                black_box(key.unwrap());
                count += 1;
            }
            black_box(count);
            start.elapsed()
        }
        other => panic!("no decoder {other}"),
    };
    println!("{} {}", peak_rss(), decode.as_nanos());
}

/// This process's peak resident set, from `/proc/self/status` (`VmHWM`), in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("Linux reports VmHWM");
    let kib: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .unwrap();
    kib * 1024
}

/// The peak RSS (bytes) and decode time (nanoseconds) of fresh processes decoding `path` with
/// `decoder`: the medians of [`CHILDREN`] runs.
fn child_rss(decoder: &str, path: &Path) -> (u64, u64) {
    let mut runs: Vec<(u64, u64)> = (0..CHILDREN)
        .map(|_| {
            let output = Command::new(std::env::current_exe().unwrap())
                .arg("--rss")
                .arg(decoder)
                .arg(path)
                .output()
                .unwrap();
            assert!(
                output.status.success(),
                "the {decoder} child failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            let text = String::from_utf8_lossy(&output.stdout);
            let mut figures = text.split_whitespace().map(|f| f.parse::<u64>().unwrap());
            (figures.next().unwrap(), figures.next().unwrap())
        })
        .collect();
    let middle = runs.len() / 2;
    runs.sort_unstable_by_key(|&(rss, _)| rss);
    let rss = runs[middle].0;
    runs.sort_unstable_by_key(|&(_, time)| time);
    (rss, runs[middle].1)
}

/// How many fresh processes each figure is the median of.
const CHILDREN: usize = 3;

/// One row of the report: the heap and peak-RSS ratios of one body.
fn row(label: &str, keys: usize, mix: &Mix) {
    let body = bodies::elasticsearch_body(keys, mix);
    let size = body.len() as f64;
    let (value, value_held, _) =
        measure(|| serde_json::from_str::<serde_json::Value>(&body).unwrap());
    drop(black_box(value));
    let (models, models_held, models_peak) =
        measure(|| serde_json::from_str::<GetApiKeyResponse>(&body).unwrap());
    assert_eq!(models.api_keys.len(), keys);
    drop(black_box(models));
    let (count, _, streaming_peak) = measure(|| {
        let mut count = 0;
        for key in ApiKeyReader::new(body.as_bytes()) {
            black_box(key.unwrap());
            count += 1;
        }
        count
    });
    assert_eq!(count, keys);

    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(body.as_bytes()).unwrap();
    file.flush().unwrap();
    drop(body);
    let [
        (value_rss, value_time),
        (models_rss, models_time),
        (_, progenitor_time),
        (streaming_rss, _),
    ] = DECODERS.map(|decoder| child_rss(decoder, file.path()));

    println!(
        "| {label} | {keys} | {:.1} MB | {:.2}× | {:.2}× | {:.2}× | {:.0} KiB | {:.2}× | {:.2}× | {:.1} MiB | {:.2}× ({} vs {} ms) | {:.2}× ({} ms) |",
        size / 1e6,
        value_held as f64 / size,
        models_held as f64 / size,
        models_peak as f64 / size,
        streaming_peak as f64 / 1024.0,
        value_rss as f64 / size,
        models_rss as f64 / size,
        streaming_rss as f64 / (1024.0 * 1024.0),
        value_time as f64 / models_time as f64,
        models_time / 1_000_000,
        value_time / 1_000_000,
        progenitor_time as f64 / models_time as f64,
        progenitor_time / 1_000_000,
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--rss") {
        child(&args[at + 1], Path::new(&args[at + 2]));
        return;
    }
    // `cargo bench` passes flags such as `--bench`; the report takes none.
    println!(
        "| body | keys | size | `Value` heap held | models heap held | models heap peak | streaming heap peak | `Value` peak RSS | models peak RSS | streaming peak RSS | fresh-process decode: models vs `Value` (speed-up) | fresh-process decode: models vs progenitor's default types (speed-up) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for keys in [1_000usize, 10_000, 100_000] {
        row("default mix", keys, &Mix::default());
    }
    row("worst case", 100_000, &Mix::worst_case());
    // One knob at a time, from the default mix, at 10,000 keys.
    let knobs: [(&str, Mix); 7] = [
        (
            "`limited_by` shared by 0%",
            Mix {
                shared_limited_by: 0,
                ..Mix::default()
            },
        ),
        (
            "`limited_by` shared by 50%",
            Mix {
                shared_limited_by: 50,
                ..Mix::default()
            },
        ),
        (
            "`limited_by` shared by 90%",
            Mix {
                shared_limited_by: 90,
                ..Mix::default()
            },
        ),
        (
            "3–4 roles of 3 entries of 3 names",
            Mix {
                roles_per_key: (3, 4),
                index_entries: (3, 3),
                names_per_entry: (3, 3),
                ..Mix::default()
            },
        ),
        (
            "`query` and `field_security` on every entry",
            Mix {
                query_rate: 100,
                field_security_rate: 100,
                ..Mix::default()
            },
        ),
        (
            "metadata 6 deep on every key",
            Mix {
                nested_metadata_rate: 100,
                metadata_depth: 6,
                ..Mix::default()
            },
        ),
        (
            "unknown fields and `_sort` on every key",
            Mix {
                unknown_field_rate: 100,
                sort_rate: 100,
                ..Mix::default()
            },
        ),
    ];
    for (label, mix) in knobs {
        row(label, 10_000, &mix);
    }
}
