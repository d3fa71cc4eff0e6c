//! `cargo xtask bench`: runs the benchmarks and reports each figure as a ratio to its baseline
//! from the same run, as BENCHMARKS.md keeps them.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// A timing ratio the report shows: `numerator / denominator` of criterion's mean times, and the
/// target it is held to.
struct Ratio {
    what: &'static str,
    /// The slower side (the baseline when the target is a speed-up).
    numerator: &'static str,
    denominator: &'static str,
    target: &'static str,
}

const RATIOS: &[Ratio] = &[
    Ratio {
        what: "decode default mix, 100k: models vs `Value` (speed-up, decode alone)",
        numerator: "elasticsearch_100k/decode_value",
        denominator: "elasticsearch_100k/decode_models",
        target: "≥ 2.5×",
    },
    Ratio {
        what: "decode default mix, 100k: models vs progenitor's default types (speed-up, decode alone)",
        numerator: "elasticsearch_100k/decode_progenitor_default",
        denominator: "elasticsearch_100k/decode_models",
        target: "≥ 1.5×",
    },
    Ratio {
        what: "decode and drop default mix, 100k: models vs `Value` (speed-up)",
        numerator: "elasticsearch_100k/decode_and_drop_value",
        denominator: "elasticsearch_100k/decode_and_drop_models",
        target: "–",
    },
    Ratio {
        what: "decode and drop default mix, 100k: models vs progenitor's default types (speed-up)",
        numerator: "elasticsearch_100k/decode_and_drop_progenitor_default",
        denominator: "elasticsearch_100k/decode_and_drop_models",
        target: "–",
    },
    Ratio {
        what: "default mix, 100k: streaming vs whole-body decode and drop as `send()` does it, from bytes (speed-up)",
        numerator: "elasticsearch_100k/decode_and_drop_models_from_bytes",
        denominator: "elasticsearch_100k/decode_and_drop_models_streaming",
        target: "≥ 1×",
    },
    Ratio {
        what: "default mix, 100k: whole-body decode and drop from bytes: `send()`'s UTF-8 pass, then a `str`, vs serde_json's `from_slice` (speed-up)",
        numerator: "elasticsearch_100k/decode_and_drop_models_from_slice",
        denominator: "elasticsearch_100k/decode_and_drop_models_from_bytes",
        target: "–",
    },
    Ratio {
        what: "decode default mix, 100k: `IgnoredAny` vs models (the parse floor, as a fraction)",
        numerator: "elasticsearch_100k/decode_ignored_any",
        denominator: "elasticsearch_100k/decode_models",
        target: "–",
    },
    Ratio {
        what: "encode default mix, 100k: models vs `Value` (speed-up)",
        numerator: "elasticsearch_100k/encode_value",
        denominator: "elasticsearch_100k/encode_models",
        target: "≥ 2.5×",
    },
    Ratio {
        what: "encode default mix, 100k into `io::sink()`: models vs `Value` (speed-up; the serializer's work alone, no output buffer)",
        numerator: "elasticsearch_100k/encode_to_sink_value",
        denominator: "elasticsearch_100k/encode_to_sink_models",
        target: "–",
    },
    Ratio {
        what: "decode worst case, 20k: models vs `Value` (speed-up, decode alone)",
        numerator: "elasticsearch_worst_20k/decode_value",
        denominator: "elasticsearch_worst_20k/decode_models",
        target: "≥ 2.5×",
    },
    Ratio {
        what: "decode worst case, 20k: models vs progenitor's default types (speed-up, decode alone)",
        numerator: "elasticsearch_worst_20k/decode_progenitor_default",
        denominator: "elasticsearch_worst_20k/decode_models",
        target: "≥ 1.5×",
    },
    Ratio {
        what: "decode and drop worst case, 20k: models vs `Value` (speed-up)",
        numerator: "elasticsearch_worst_20k/decode_and_drop_value",
        denominator: "elasticsearch_worst_20k/decode_and_drop_models",
        target: "–",
    },
    Ratio {
        what: "decode and drop worst case, 20k: models vs progenitor's default types (speed-up)",
        numerator: "elasticsearch_worst_20k/decode_and_drop_progenitor_default",
        denominator: "elasticsearch_worst_20k/decode_and_drop_models",
        target: "–",
    },
    Ratio {
        what: "worst case, 20k: streaming vs whole-body decode and drop as `send()` does it, from bytes (speed-up)",
        numerator: "elasticsearch_worst_20k/decode_and_drop_models_from_bytes",
        denominator: "elasticsearch_worst_20k/decode_and_drop_models_streaming",
        target: "≥ 1×",
    },
    Ratio {
        what: "worst case, 20k: whole-body decode and drop from bytes: `send()`'s UTF-8 pass, then a `str`, vs serde_json's `from_slice` (speed-up)",
        numerator: "elasticsearch_worst_20k/decode_and_drop_models_from_slice",
        denominator: "elasticsearch_worst_20k/decode_and_drop_models_from_bytes",
        target: "–",
    },
    Ratio {
        what: "non-ASCII names and labels, 100k: whole-body decode and drop from bytes: `send()`'s UTF-8 pass, then a `str`, vs serde_json's `from_slice` (speed-up)",
        numerator: "elasticsearch_non_ascii_100k/decode_and_drop_models_from_slice",
        denominator: "elasticsearch_non_ascii_100k/decode_and_drop_models_from_bytes",
        target: "–",
    },
    Ratio {
        what: "decode worst case, 20k: `IgnoredAny` vs models (the parse floor, as a fraction)",
        numerator: "elasticsearch_worst_20k/decode_ignored_any",
        denominator: "elasticsearch_worst_20k/decode_models",
        target: "–",
    },
    Ratio {
        what: "encode worst case, 20k: models vs `Value` (speed-up)",
        numerator: "elasticsearch_worst_20k/encode_value",
        denominator: "elasticsearch_worst_20k/encode_models",
        target: "≥ 2.5×",
    },
    Ratio {
        what: "encode worst case, 20k into `io::sink()`: models vs `Value` (speed-up; the serializer's work alone, no output buffer)",
        numerator: "elasticsearch_worst_20k/encode_to_sink_value",
        denominator: "elasticsearch_worst_20k/encode_to_sink_models",
        target: "–",
    },
    Ratio {
        what: "decode default mix, 100k: the models with sonic-rs vs with serde_json (speed-up)",
        numerator: "elasticsearch_100k/decode_models",
        denominator: "elasticsearch_100k/decode_models_sonic_rs",
        target: "–",
    },
    Ratio {
        what: "decode worst case, 20k: the models with sonic-rs vs with serde_json (speed-up)",
        numerator: "elasticsearch_worst_20k/decode_models",
        denominator: "elasticsearch_worst_20k/decode_models_sonic_rs",
        target: "–",
    },
    Ratio {
        what: "decode default mix, 10k: models vs `Value` (speed-up, decode alone)",
        numerator: "elasticsearch_10k/decode_value",
        denominator: "elasticsearch_10k/decode_models",
        target: "–",
    },
    Ratio {
        what: "decode default mix, 1k: models vs `Value` (speed-up, decode alone)",
        numerator: "elasticsearch_1k/decode_value",
        denominator: "elasticsearch_1k/decode_models",
        target: "–",
    },
    Ratio {
        what: "decode Cloud 500: models vs `Value` (speed-up, decode alone)",
        numerator: "cloud_500/decode_value",
        denominator: "cloud_500/decode_models",
        target: "–",
    },
    Ratio {
        what: "decode Cloud 500: models vs progenitor's default types (speed-up, decode alone)",
        numerator: "cloud_500/decode_progenitor_default",
        denominator: "cloud_500/decode_models",
        target: "–",
    },
    Ratio {
        what: "request, empty list: client / bare reqwest (time)",
        numerator: "request_empty/client",
        denominator: "request_empty/bare_reqwest",
        target: "≤ 1.05×",
    },
    Ratio {
        what: "request, empty list: client / bare reqwest with the same read timeout (time)",
        numerator: "request_empty/client",
        denominator: "request_empty/bare_reqwest_read_timeout",
        target: "≤ 1.05×",
    },
    Ratio {
        what: "request, empty list: bare reqwest with a read timeout / without (time)",
        numerator: "request_empty/bare_reqwest_read_timeout",
        denominator: "request_empty/bare_reqwest",
        target: "–",
    },
    Ratio {
        what: "request, 1k keys: client / bare reqwest (time)",
        numerator: "request_1k/client",
        denominator: "request_1k/bare_reqwest",
        target: "≤ 1.05×",
    },
    Ratio {
        what: "request, 1k keys: client / bare reqwest with the same read timeout (time)",
        numerator: "request_1k/client",
        denominator: "request_1k/bare_reqwest_read_timeout",
        target: "≤ 1.05×",
    },
    Ratio {
        what: "request, 1k keys: bare reqwest with a read timeout / without (time)",
        numerator: "request_1k/bare_reqwest_read_timeout",
        denominator: "request_1k/bare_reqwest",
        target: "–",
    },
    Ratio {
        what: "request, 1k keys: streaming client / bare reqwest (time)",
        numerator: "request_1k/client_streaming",
        denominator: "request_1k/bare_reqwest",
        target: "–",
    },
];

/// Runs every benchmark and prints the report. `quick` shortens criterion's runs.
pub fn run(root: &Path, quick: bool) -> Result<String, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut bench = Command::new(&cargo);
    bench.current_dir(root).args([
        "bench",
        "-p",
        "elastic-apikeys-models",
        "-p",
        "elastic-apikeys-client",
        "--bench",
        "decode",
        "--bench",
        "request",
    ]);
    if quick {
        bench.args(["--", "--warm-up-time", "1", "--measurement-time", "3"]);
    }
    let status = bench
        .status()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    if !status.success() {
        return Err("cargo bench failed".into());
    }
    let memory = Command::new(&cargo)
        .current_dir(root)
        .args(["bench", "-p", "elastic-apikeys-models", "--bench", "memory"])
        .output()
        .map_err(|e| format!("cannot run the memory benchmark: {e}"))?;
    if !memory.status.success() {
        return Err(format!(
            "the memory benchmark failed: {}",
            String::from_utf8_lossy(&memory.stderr)
        ));
    }

    let mut report = String::new();
    report.push_str(&format!("Machine: {}\n\n", machine()));
    report.push_str("| figure | ratio | target |\n|---|---:|---|\n");
    for ratio in RATIOS {
        let value = match (mean(root, ratio.numerator), mean(root, ratio.denominator)) {
            (Some(n), Some(d)) => format!("{:.2}×", n / d),
            _ => "not measured".to_string(),
        };
        report.push_str(&format!(
            "| {} | {value} | {} |\n",
            ratio.what, ratio.target
        ));
    }
    let started = Instant::now();
    let files = crate::codegen::generate(root).map_err(|e| e.to_string())?;
    let drifts = crate::codegen::check(root, &files);
    report.push_str(&format!(
        "| `codegen --check` in process ({} files, {} stale) | {:.0} ms | < 1 s |\n",
        files.len(),
        drifts.len(),
        started.elapsed().as_secs_f64() * 1000.0
    ));
    report.push_str("\nMemory, in bytes allocated per byte of body (counting allocator):\n\n");
    report.push_str(&String::from_utf8_lossy(&memory.stdout));
    // `apikeys es list` end to end: the built binary in each output format against
    // `curl | jq`, with each run's peak RSS, then the reports that need only some members behind
    // a link of fixed rate, against `curl` fetching the whole list. It prints its own tables.
    let end_to_end = Command::new(&cargo)
        .current_dir(root)
        .args([
            "bench",
            "-p",
            "elastic-apikeys-cli",
            "--bench",
            "end_to_end",
        ])
        .output()
        .map_err(|e| format!("cannot run the end-to-end benchmark: {e}"))?;
    if !end_to_end.status.success() {
        return Err(format!(
            "the end-to-end benchmark failed: {}",
            String::from_utf8_lossy(&end_to_end.stderr)
        ));
    }
    report.push_str(
        "\n`apikeys es list` end to end, on plain loopback and behind a link (time, bytes \
         received and peak RSS of each run):\n\n",
    );
    report.push_str(&String::from_utf8_lossy(&end_to_end.stdout));
    Ok(report)
}

/// Criterion's mean time of `id` (`group/function`, as criterion names its directories), in ns.
fn mean(root: &Path, id: &str) -> Option<f64> {
    let path = root
        .join("target/criterion")
        .join(id)
        .join("new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let start = text.find("\"mean\"")?;
    let rest = &text[start..];
    let key = "\"point_estimate\":";
    let at = rest.find(key)? + key.len();
    let number: String = rest[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
        .collect();
    number.parse().ok()
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!(
        "{cpu}, {cores} cores, {} {}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}
