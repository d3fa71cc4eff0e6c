//! `apikeys cloud`: list, get, create, rotate and delete API keys.

use std::process::ExitCode;

use elastic_apikeys_client::cloud::types::{ApiKeyResponse, ApiKeysResponse};

use crate::args::{CloudArgs, CloudCommand};
use crate::connect::{self, Limits};
use crate::expiry::Clock;
use crate::failure::Failure;
use crate::report::{finish, read_all};
use crate::spinner::Progress;

mod change;
pub(crate) mod key_in_use;
mod rotate;
mod view;

use view::rows;

/// Only the create response holds a key's secret, but whatever a server sends, none is printed.
fn without_secret(mut key: ApiKeyResponse) -> ApiKeyResponse {
    key.key = None;
    key
}

pub(crate) async fn run(
    args: CloudArgs,
    progress: Progress,
    limits: Limits,
) -> Result<ExitCode, Failure> {
    let args = crate::profiles::apply_cloud(args, limits).await?;
    let connection = connect::cloud(&args, limits)?;
    let host = &connection.host;
    match args.command {
        CloudCommand::List {
            all_users,
            user,
            filters,
            report,
        } => {
            let clock = Clock::at(report.as_of);
            let client = &connection.client;
            // Each key is read on its own (`send_stream()`, within `--max-body-size`): one this
            // version cannot read is named on stderr, and the others are still reported.
            let whose = progress.spin(format!("Listing API keys on {host}"), async {
                let keys = match (&user, all_users) {
                    (Some(user), _) => client.get_user_api_keys().user_id(user).send_stream().await,
                    (None, true) => client.get_users_api_keys().send_stream().await,
                    (None, false) => client.get_api_keys().send_stream().await,
                };
                let keys = keys?;
                let in_use =
                    key_in_use::heard(keys.headers(), &connection.credentials_from, &clock);
                read_all(keys.into_inner(), limits.max_body_size)
                    .await
                    .map(|(keys, unreadable)| (keys, unreadable, in_use))
            });
            let (keys, unreadable, in_use) = whose
                .await
                .map_err(|e| Failure::cloud(e, host, connection.trust))?;
            // The one required field is given, so the build cannot fail.
            let list = ApiKeysResponse::builder()
                .keys(
                    keys.into_iter()
                        .filter(|key| {
                            filters
                                .expiring_within
                                .is_none_or(|window| clock.due_within(key, window))
                        })
                        .map(without_secret)
                        .collect::<Vec<_>>(),
                )
                .build()
                .expect("an ApiKeysResponse needs only its keys");
            finish(
                &list.keys,
                &report,
                &clock,
                || rows(&list.keys, &clock),
                &list,
                &unreadable,
                in_use.as_ref(),
            )
        }
        CloudCommand::Create(create) => change::create(connection, create, progress).await,
        CloudCommand::Delete(delete) => change::delete(connection, delete, progress).await,
        CloudCommand::Rotate(rotate) => rotate::run(connection, rotate, progress).await,
        CloudCommand::Get { id, report } => {
            let clock = Clock::at(report.as_of);
            let request = connection.client.get_api_key().api_key_id(&id).send();
            let response = progress
                .spin(format!("Fetching API key {id} from {host}"), request)
                .await
                .map_err(|e| Failure::cloud(e, host, connection.trust))?;
            let in_use =
                key_in_use::heard(response.headers(), &connection.credentials_from, &clock);
            let key = without_secret(response.into_inner());
            let keys = std::slice::from_ref(&key);
            finish(
                keys,
                &report,
                &clock,
                || rows(keys, &clock),
                &key,
                &[],
                in_use.as_ref(),
            )
        }
    }
}
