//! Every model of the crates, reachable by the name of its schema.

use std::fmt::Debug;

use elastic_apikeys_models::{cloud, elasticsearch};
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// What the tests need of a model: decoding, encoding, comparison and its JSON Schema.
pub trait Model:
    DeserializeOwned + Serialize + JsonSchema + PartialEq + Debug + Clone + 'static
{
}

impl<T: DeserializeOwned + Serialize + JsonSchema + PartialEq + Debug + Clone + 'static> Model
    for T
{
}

/// Something to do with one model type, chosen at run time by [`visit_model`].
pub trait ModelVisitor {
    /// What the visit returns.
    type Output;
    /// Does the job for the model `T`.
    fn visit<T: Model>(self) -> Self::Output;
}

macro_rules! models {
    ($($module:ident :: $name:ident),* $(,)?) => {
        /// Every `(module, schema)` that has a model, in the specs' order.
        pub const MODEL_NAMES: &[(&str, &str)] = &[$((stringify!($module), stringify!($name))),*];

        /// Runs `visitor` with the model of `module`'s schema `schema`, or returns `None` if there
        /// is no such model.
        pub fn visit_model<V: ModelVisitor>(module: &str, schema: &str, visitor: V) -> Option<V::Output> {
            match (module, schema) {
                $((stringify!($module), stringify!($name)) => Some(visitor.visit::<$module::$name>()),)*
                _ => None,
            }
        }
    };
}

models![
    cloud::ApiKeysResponse,
    cloud::ApiKeyResponse,
    cloud::RoleAssignments,
    cloud::PlatformRoleAssignment,
    cloud::OrganizationRoleAssignment,
    cloud::DeploymentRoleAssignment,
    cloud::ProjectRoleAssignments,
    cloud::ProjectRoleAssignment,
    cloud::BasicFailedReply,
    cloud::BasicFailedReplyElement,
    elasticsearch::GetApiKeyResponse,
    elasticsearch::ApiKey,
    elasticsearch::ApiKeyType,
    elasticsearch::Metadata,
    elasticsearch::Names,
    elasticsearch::RoleDescriptors,
    elasticsearch::RoleDescriptor,
    elasticsearch::IndicesPrivileges,
    elasticsearch::IndicesQuery,
    elasticsearch::RemoteIndicesPrivileges,
    elasticsearch::RemoteClusterPrivileges,
    elasticsearch::RemoteClusterPrivilege,
    elasticsearch::ApplicationPrivileges,
    elasticsearch::GlobalPrivilege,
    elasticsearch::ApplicationGlobalUserPrivileges,
    elasticsearch::ManageUserPrivileges,
    elasticsearch::DataSourcePrivileges,
    elasticsearch::DataSourcePrivilege,
    elasticsearch::Restriction,
    elasticsearch::RestrictionWorkflow,
    elasticsearch::FieldSecurity,
    elasticsearch::Access,
    elasticsearch::ReplicationAccess,
    elasticsearch::SearchAccess,
    elasticsearch::SortResults,
    elasticsearch::FieldValue,
    elasticsearch::ErrorResponse,
    elasticsearch::ErrorCause,
    elasticsearch::HttpHeaders,
];
