//! Peak memory of decoding key lists, as a ratio to the body size, measured with a counting
//! allocator in this process: the whole list into `serde_json::Value` (the untyped baseline),
//! into the models, and streamed one key at a time with `ApiKeyReader`.
//!
//! Prints a table; `cargo xtask bench` copies it into its report.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

use elastic_apikeys_models::elasticsearch::{ApiKeyReader, GetApiKeyResponse};
use elastic_apikeys_tests::bodies;

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

fn main() {
    // `cargo bench` passes flags such as `--bench`; this binary takes none.
    println!("| keys | body | Value held | models held | models peak | streaming peak |");
    println!("|---:|---:|---:|---:|---:|---:|");
    for keys in [1_000usize, 10_000, 100_000] {
        let body = bodies::elasticsearch_keys(keys);
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

        println!(
            "| {keys} | {:.1} MB | {:.2}× | {:.2}× | {:.2}× | {:.0} KiB |",
            size / 1e6,
            value_held as f64 / size,
            models_held as f64 / size,
            models_peak as f64 / size,
            streaming_peak as f64 / 1024.0,
        );
    }
}
