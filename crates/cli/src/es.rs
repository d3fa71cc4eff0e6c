//! `apikeys es`: list, query, create, update and invalidate API keys.

use std::process::ExitCode;

use std::io;

use elastic_apikeys_client::elasticsearch::types::ApiKey;
use elastic_apikeys_client::models::elasticsearch::ApiKeyType;
use futures_util::stream::BoxStream;

use crate::args::{EsArgs, EsCommand, EsList, KeyType, Output};
use crate::connect::{self, Limits};
use crate::expiry::Clock;
use crate::failure::Failure;
use crate::output::{self, Streamed, Target};
use crate::report::Verdict;
use crate::spinner::Progress;

mod create;
mod invalidate;
pub(crate) mod last_use;
pub(crate) mod listing;
mod query;
mod rotate;
mod update;
pub(crate) mod view;

/// Whether `key` passes the filters applied here, after the cluster's own.
fn selected(list: &EsList, clock: &Clock, key: &ApiKey) -> bool {
    let wanted_type = list.key_type.is_none_or(|wanted| {
        // Keys from clusters older than 8.10 have no type, and are all REST keys.
        matches!(
            (wanted, key.type_.as_ref()),
            (KeyType::Rest, None | Some(ApiKeyType::Rest))
                | (KeyType::CrossCluster, Some(ApiKeyType::CrossCluster))
        )
    });
    wanted_type
        && (!list.invalidated || key.invalidated)
        && list
            .filters
            .expiring_within
            .is_none_or(|window| clock.due_within(key, window))
}

pub(crate) async fn run(
    args: EsArgs,
    progress: Progress,
    limits: Limits,
) -> Result<ExitCode, Failure> {
    let args = crate::profiles::apply_es(args, limits).await?;
    let connection = connect::elasticsearch(&args, limits)?;
    let list = match args.command {
        EsCommand::List(list) => list,
        EsCommand::Create(create) => return create::run(connection, create, progress).await,
        EsCommand::Invalidate(invalidate) => {
            return invalidate::run(connection, invalidate, progress).await;
        }
        EsCommand::Update(update) => return update::run(connection, update, progress).await,
        EsCommand::Query(query) => return query::run(connection, query, progress, limits).await,
        EsCommand::Rotate(rotate) => return rotate::run(connection, rotate, progress).await,
    };
    let clock = Clock::at(list.report.as_of);
    let selection = listing::Selection {
        id: list.id.as_deref(),
        name: list.name.as_deref(),
        owner: list.owner,
        username: list.username.as_deref(),
        realm: list.realm.as_deref(),
        active_only: list.active_only,
        with_limited_by: list.with_limited_by,
        with_profile_uid: list.with_profile_uid,
    };
    let last_uses =
        last_use::read(&list.last_use, Some(&connection), &clock, limits, &progress).await?;
    let whole_keys = matches!(list.report.output, Output::Json | Output::Jsonl);
    let filter = listing::filter_path(whole_keys);
    let host = &connection.host;
    let listing = format!("Listing API keys on {host}");
    let keys = progress
        .spin(
            listing,
            listing::keys(&connection.client, &selection, filter.as_deref()),
        )
        .await
        .map_err(|e| Failure::elasticsearch(e, host, connection.trust))?;
    stream(
        keys,
        &list,
        &clock,
        last_uses.as_ref(),
        &connection,
        &progress,
        limits,
    )
    .await
}

/// The keys of `es list`, written as they arrive (pages of the query API, or `send_stream()`
/// of a GET; see [`listing`]) in every format: CSV, JSON
/// and JSON Lines hold one key at a time, and the table the text of its rows (bounded by
/// `--max-body-size`), never the decoded list. Every key is judged as it comes, so that the
/// checks see them all, even once the reader has gone.
///
/// All on this one thread: handing the keys to a writer thread was slower on two cores than
/// this on one, as each key's many small allocations then crossed between cores (read there,
/// freed here) and the allocator contended for them.
async fn stream(
    mut keys: BoxStream<'_, Result<ApiKey, elastic_apikeys_client::Error>>,
    list: &EsList,
    clock: &Clock,
    last_uses: Option<&last_use::LastUses>,
    connection: &connect::Connection<elastic_apikeys_client::elasticsearch::Client>,
    progress: &Progress,
    limits: Limits,
) -> Result<ExitCode, Failure> {
    use futures_util::StreamExt;

    let host = &connection.host;
    let failed = |e| Failure::elasticsearch(e, host, connection.trust);
    let listing = format!("Listing API keys on {host}");
    let target = Target {
        terminal: output::stdout_width(),
        csv_exact: list.report.csv_exact,
    };
    let out = output::report_stdout();
    let format = list.report.output;
    let headers = last_use::headers(last_uses);
    let mut report = Streamed::start(out, format, headers, target, Some("api_keys"))
        .map_err(|e| Failure::output(&e))?;
    let mut verdict = Verdict::new(&list.report);
    // Once the reader has gone (`| head`), keys are still judged but no longer written.
    let mut gone = false;
    let each = async {
        while let Some(key) = keys.next().await {
            let Some(key) = verdict.readable(key, failed)? else {
                continue;
            };
            if !selected(list, clock, &key) {
                continue;
            }
            verdict.judge(&key, clock);
            last_use::judge(last_uses, &key, clock, &mut verdict);
            if gone {
                continue;
            }
            match last_use::push(&mut report, &key, clock, last_uses) {
                // A reader that stopped early is no failure; the checks still decide.
                Err(error) if error.kind() == io::ErrorKind::BrokenPipe => gone = true,
                Err(error) => return Err(Failure::output(&error)),
                Ok(()) => {}
            }
            if report.held() as u64 > limits.max_body_size {
                return Err(Failure::table_too_large(host, limits.max_body_size));
            }
        }
        Ok(())
    };
    // The table shows nothing before the last key: the spinner says that the list is coming.
    // The other formats show the keys themselves, and a spinner would come between them.
    if format == Output::Table {
        progress.spin(listing, each).await?;
    } else {
        each.await?;
    }
    if !gone {
        match report.finish() {
            Err(error) if error.kind() != io::ErrorKind::BrokenPipe => {
                return Err(Failure::output(&error));
            }
            _ => {}
        }
    }
    Ok(verdict.finish())
}
