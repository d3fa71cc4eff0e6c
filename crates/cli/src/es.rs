//! `apikeys es`: list, query, create, update and invalidate API keys.

use std::process::ExitCode;

use elastic_apikeys_client::elasticsearch::types::{ApiKey, GetApiKeyResponse};
use elastic_apikeys_client::models::elasticsearch::ApiKeyType;

use crate::args::{EsArgs, EsCommand, EsList, KeyType, Output};
use crate::connect::{self, Limits};
use crate::expiry::Clock;
use crate::failure::Failure;
use crate::report::finish;
use crate::spinner::Progress;

mod create;
mod invalidate;
mod query;
mod rotate;
mod update;
pub(crate) mod view;

use view::rows;

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
    let args = crate::profiles::apply_es(args)?;
    let connection = connect::elasticsearch(&args, limits)?;
    let list = match args.command {
        EsCommand::List(list) => list,
        EsCommand::Create(create) => return create::run(connection, create, progress).await,
        EsCommand::Invalidate(invalidate) => {
            return invalidate::run(connection, invalidate, progress).await;
        }
        EsCommand::Update(update) => return update::run(connection, update, progress).await,
        EsCommand::Query(query) => return query::run(connection, query, progress).await,
        EsCommand::Rotate(rotate) => return rotate::run(connection, rotate, progress).await,
    };
    let host = &connection.host;
    let clock = Clock::at(list.report.as_of);

    let mut request = connection.client.security_get_api_key();
    if let Some(id) = &list.id {
        request = request.id(id);
    }
    if let Some(name) = &list.name {
        request = request.name(name);
    }
    if let Some(username) = &list.username {
        request = request.username(username);
    }
    if let Some(realm) = &list.realm {
        request = request.realm_name(realm);
    }
    // Flags left off are not sent, so that the cluster's own defaults apply.
    if list.owner {
        request = request.owner(true);
    }
    if list.active_only {
        request = request.active_only(true);
    }
    if list.with_limited_by {
        request = request.with_limited_by(true);
    }
    if list.with_profile_uid {
        request = request.with_profile_uid(true);
    }
    if matches!(list.report.output, Output::Csv | Output::Jsonl) {
        return stream(request, &list, &clock, &connection, &progress).await;
    }
    let response = progress
        .spin(format!("Listing API keys on {host}"), request.send())
        .await
        .map_err(|e| Failure::elasticsearch(e, host, connection.trust))?;
    let mut body: GetApiKeyResponse = response.into_inner();
    body.api_keys.retain(|key| selected(&list, &clock, key));
    finish(
        &body.api_keys,
        &list.report,
        &clock,
        || rows(&body.api_keys, &clock),
        &body,
    )
}

/// CSV and JSON Lines of `es list`, written as the keys arrive (`send_stream()`): memory holds
/// one key, however long the list, and `--max-body-size` does not apply.
async fn stream(
    request: elastic_apikeys_client::elasticsearch::builder::SecurityGetApiKey<'_>,
    list: &EsList,
    clock: &Clock,
    connection: &connect::Connection<elastic_apikeys_client::elasticsearch::Client>,
    progress: &Progress,
) -> Result<ExitCode, Failure> {
    use futures_util::StreamExt;
    use std::io::Write;

    let host = &connection.host;
    let failed = |e| Failure::elasticsearch(e, host, connection.trust);
    let mut keys = progress
        .spin(format!("Listing API keys on {host}"), request.send_stream())
        .await
        .map_err(failed)?
        .into_inner();
    let target = crate::output::Target {
        terminal: crate::output::stdout_width(),
        csv_exact: list.report.csv_exact,
    };
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut csv = None;
    let mut lines = None;
    match list.report.output {
        Output::Csv => {
            csv = Some(
                crate::output::CsvStream::start(out, view::HEADERS, target)
                    .map_err(|e| Failure::output(&e))?,
            );
        }
        _ => lines = Some(out),
    }
    let mut verdict = crate::report::Verdict::new(&list.report);
    // Once the reader has gone (`| head`), keys are still judged, so that the checks see them
    // all, but no longer written.
    let mut gone = false;
    while let Some(key) = keys.next().await {
        let key = key.map_err(failed)?;
        if !selected(list, clock, &key) {
            continue;
        }
        verdict.judge(&key, clock);
        if gone {
            continue;
        }
        let written = match (&mut csv, &mut lines) {
            (Some(csv), _) => csv.row(&rows(std::slice::from_ref(&key), clock).rows[0]),
            (None, Some(out)) => crate::output::write_json_line(out, &key),
            (None, None) => Ok(()),
        };
        match written {
            // A reader that stopped early (`| head`) is no failure; the checks still decide.
            Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => gone = true,
            Err(error) => return Err(Failure::output(&error)),
            Ok(()) => {}
        }
    }
    let flushed = match (csv, lines) {
        _ if gone => Ok(()),
        (Some(csv), _) => csv.finish(),
        (None, Some(mut out)) => out.flush(),
        (None, None) => Ok(()),
    };
    match flushed {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            return Err(Failure::output(&error));
        }
        _ => {}
    }
    Ok(verdict.finish())
}
