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
    cloud::CreateApiKeyRequest,
    cloud::DeleteApiKeysRequest,
    cloud::DeleteUsersApiKeysRequest,
    cloud::UserApiKey,
    cloud::EmptyResponse,
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
    elasticsearch::DataSourcePrivileges,
    elasticsearch::DataSourcePrivilege,
    elasticsearch::ApplicationGlobalUserPrivileges,
    elasticsearch::ManageUserPrivileges,
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
    elasticsearch::Duration,
    elasticsearch::Refresh,
    elasticsearch::CreateApiKeyRequest,
    elasticsearch::CreateApiKeyResponse,
    elasticsearch::GrantApiKeyRequest,
    elasticsearch::ApiKeyGrantType,
    elasticsearch::ClientAuthentication,
    elasticsearch::GrantApiKey,
    elasticsearch::GrantApiKeyResponse,
    elasticsearch::CloneApiKeyRequest,
    elasticsearch::CloneApiKeyResponse,
    elasticsearch::InvalidateApiKeyRequest,
    elasticsearch::InvalidateApiKeyResponse,
    elasticsearch::UpdateApiKeyRequest,
    elasticsearch::UpdateApiKeyResponse,
    elasticsearch::BulkUpdateApiKeysRequest,
    elasticsearch::BulkUpdateApiKeysResponse,
    elasticsearch::BulkError,
    elasticsearch::CreateCrossClusterApiKeyRequest,
    elasticsearch::CreateCrossClusterApiKeyResponse,
    elasticsearch::UpdateCrossClusterApiKeyRequest,
    elasticsearch::UpdateCrossClusterApiKeyResponse,
    elasticsearch::ClearApiKeyCacheResponse,
    elasticsearch::NodeStatistics,
    elasticsearch::ClusterNode,
    elasticsearch::QueryApiKeysRequest,
    elasticsearch::QueryApiKeysResponse,
    elasticsearch::ApiKeyAggregate,
    elasticsearch::ApiKeyQueryContainer,
    elasticsearch::BoolQuery,
    elasticsearch::MinimumShouldMatch,
    elasticsearch::MatchAllQuery,
    elasticsearch::ExistsQuery,
    elasticsearch::IdsQuery,
    elasticsearch::TermQueryField,
    elasticsearch::ScalarValue,
    elasticsearch::TermQuery,
    elasticsearch::TermsQuery,
    elasticsearch::TermsQueryField,
    elasticsearch::MatchQueryField,
    elasticsearch::MatchQuery,
    elasticsearch::Fuzziness,
    elasticsearch::Operator,
    elasticsearch::ZeroTermsQuery,
    elasticsearch::PrefixQueryField,
    elasticsearch::PrefixQuery,
    elasticsearch::WildcardQueryField,
    elasticsearch::WildcardQuery,
    elasticsearch::RangeQuery,
    elasticsearch::SimpleQueryStringQuery,
    elasticsearch::SortCombinations,
    elasticsearch::SortOptions,
    elasticsearch::FieldSort,
    elasticsearch::SortOrder,
    elasticsearch::SortMode,
    elasticsearch::FieldSortNumericType,
    elasticsearch::Missing,
    elasticsearch::ApiKeyAggregationContainer,
    elasticsearch::CardinalityAggregation,
    elasticsearch::CardinalityExecutionMode,
    elasticsearch::ValueCountAggregation,
    elasticsearch::CompositeAggregation,
    elasticsearch::CompositeAggregateKey,
    elasticsearch::CompositeAggregationSource,
    elasticsearch::CompositeTermsAggregation,
    elasticsearch::CompositeHistogramAggregation,
    elasticsearch::CompositeDateHistogramAggregation,
    elasticsearch::MissingOrder,
    elasticsearch::ValueType,
    elasticsearch::DateRangeAggregation,
    elasticsearch::DateRangeExpression,
    elasticsearch::FieldDateMath,
    elasticsearch::ApiKeyFiltersAggregation,
    elasticsearch::MissingAggregation,
    elasticsearch::RangeAggregation,
    elasticsearch::AggregationRange,
    elasticsearch::TermsAggregation,
    elasticsearch::TermsAggregationCollectMode,
    elasticsearch::TermsAggregationExecutionHint,
    elasticsearch::TermsInclude,
    elasticsearch::TermsExclude,
    elasticsearch::TermsPartition,
];
