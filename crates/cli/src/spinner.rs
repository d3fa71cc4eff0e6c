//! A progress spinner on stderr for requests that take more than a moment.
//!
//! Only a terminal gets one: redirected to a file or a pipe, stderr holds messages and nothing
//! else. A request that answers quickly shows nothing at all, so fast runs do not flicker.

use std::future::Future;
use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressFinish, ProgressStyle};

/// How long a request may take before the spinner appears.
const DELAY: Duration = Duration::from_millis(250);
/// How often the spinner turns.
const TICK: Duration = Duration::from_millis(100);

/// Whether requests get a spinner.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Progress {
    enabled: bool,
}

impl Progress {
    /// A spinner if stderr is a terminal, and no `--verbose` trace is written there: the two
    /// would overwrite each other's lines.
    pub(crate) fn on_stderr(verbose: bool) -> Self {
        Self {
            enabled: !verbose && std::io::stderr().is_terminal(),
        }
    }

    /// No spinner: for work inside another's.
    pub(crate) fn quiet() -> Self {
        Self { enabled: false }
    }

    /// Awaits `work`, with a spinner saying `message` if it takes longer than a moment.
    pub(crate) async fn spin<T>(self, message: String, work: impl Future<Output = T>) -> T {
        if self.enabled {
            spin_on(ProgressDrawTarget::stderr(), DELAY, message, work).await
        } else {
            work.await
        }
    }
}

/// Awaits `work`, drawing a spinner on `target` once `delay` has passed, and clearing it when
/// the work is done.
async fn spin_on<T>(
    target: ProgressDrawTarget,
    delay: Duration,
    message: String,
    work: impl Future<Output = T>,
) -> T {
    let mut work = std::pin::pin!(work);
    tokio::select! {
        biased;
        done = &mut work => return done,
        () = tokio::time::sleep(delay) => {}
    }
    let style = ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    // Cleared however it ends: done, or dropped unfinished by Ctrl-C or `--timeout`.
    let spinner = ProgressBar::with_draw_target(None, target)
        .with_style(style)
        .with_message(message)
        .with_finish(ProgressFinish::AndClear);
    // Drawn at once, then turned by indicatif's own thread.
    spinner.tick();
    spinner.enable_steady_tick(TICK);
    let done = work.await;
    spinner.finish_and_clear();
    done
}

#[cfg(test)]
mod tests {
    use indicatif::InMemoryTerm;

    use super::*;

    #[tokio::test]
    async fn a_slow_request_spins_and_clears_afterwards() {
        let term = InMemoryTerm::new(4, 80);
        let seen = term.clone();
        let work = async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            // The spinner is on screen while the work goes on.
            seen.contents()
        };
        let target = ProgressDrawTarget::term_like(Box::new(term.clone()));
        let delay = Duration::from_millis(10);
        let during = spin_on(target, delay, "Fetching keys".into(), work).await;
        assert!(during.contains("Fetching keys"), "{during:?}");
        assert_eq!(term.contents().trim(), "", "the spinner is cleared");
    }

    #[tokio::test]
    async fn a_quick_request_shows_nothing() {
        let term = InMemoryTerm::new(4, 80);
        let target = ProgressDrawTarget::term_like(Box::new(term.clone()));
        let delay = Duration::from_secs(3600);
        let value = spin_on(target, delay, "Fetching keys".into(), async { 7 }).await;
        assert_eq!(value, 7);
        assert_eq!(term.contents(), "");
    }
}
