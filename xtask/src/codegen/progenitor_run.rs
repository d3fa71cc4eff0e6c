//! Running progenitor on one spec and splitting its output into the models and the client.

use progenitor::{GenerationSettings, Generator, InterfaceStyle, TagStyle, TypeImpl};
use schemars08::schema::{InstanceType, SchemaObject};

use super::open_enums::{self, OpenEnum};
use super::passes::Pass;
use super::{
    CodegenError, Service, boxed_fields, builder_docs, builder_extra, client_declarations,
    client_errors, client_filtered, client_headers, client_pages, client_runtime, client_streams,
    colliding_names, deprecations, field_order, json_maps, mock_bodies, mock_paths, mock_sealed,
    mock_strings, model_table, non_exhaustive, nullable_fields, operation_table, optional_setters,
    passes, projections, runtime_paths, schema_walk, string_lists, string_newtypes,
    struct_deserialize, untagged_dispatch, wire_policy,
};

/// What progenitor produced for one service, split by crate.
pub(crate) struct Output {
    /// The types alone, for `elastic-apikeys-models`.
    pub(crate) models: syn::File,
    /// The client, whose `types` module is a re-export of the models.
    pub(crate) client: syn::File,
    /// The typed `httpmock` extension, for tests of code that uses the client.
    pub(crate) mock: syn::File,
    /// The operations by id, for the tests that send each through the client and the mock.
    pub(crate) operations: syn::File,
    /// The models by schema name, for the tests that run over every model.
    pub(crate) model_table: syn::File,
}

/// Strings the spec marks `format: password` are secrets: they become the models crate's
/// `SecretString`, whose `Debug` and `Display` never show the value.
fn secret_string() -> SchemaObject {
    SchemaObject {
        instance_type: Some(InstanceType::String.into()),
        format: Some("password".to_string()),
        ..SchemaObject::default()
    }
}

/// The generator settings of one service.
fn settings(service: Service, open_enums: &[OpenEnum]) -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        // `client.get_api_key().api_key_id(id).send().await`
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_derive("PartialEq")
        // Each client carries its credentials and policies, for the hooks of its runtime.
        .with_inner_type(
            client_runtime::INNER_TYPE
                .parse()
                .expect("the inner type is a Rust path"),
        )
        // Every model describes itself as JSON Schema, for downstream validation and docs.
        .with_derive("schemars::JsonSchema")
        // Maps hold exactly their entries, in the order received: re-encoding is byte-stable,
        // and a one-role map costs one entry, not a BTreeMap node of eleven.
        .with_map_type(runtime_paths::SMALL_MAP)
        // Strings of the models are `CompactString`s: most are short (ids, names, privileges,
        // index patterns) and held inline, without a heap block each (BENCHMARKS.md).
        .with_conversion(
            SchemaObject {
                instance_type: Some(InstanceType::String.into()),
                ..SchemaObject::default()
            },
            runtime_paths::STRING,
            [TypeImpl::Display].into_iter(),
        )
        .with_conversion(
            secret_string(),
            runtime_paths::SECRET_STRING,
            std::iter::empty(),
        );
    for &(name, path) in hand_written(service) {
        settings.with_replacement(name, path, std::iter::empty());
    }
    for open in open_enums {
        settings.with_replacement(
            &open.name,
            open.path(service.module),
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    settings
}

/// The schemas whose models are hand-written in the models crate, each with its path: typify
/// puts the path where it would have generated the type.
fn hand_written(service: Service) -> &'static [(&'static str, &'static str)] {
    match service.module {
        "elasticsearch" => &[
            // `limited_by` roles are decoded once per distinct value and shared.
            ("RoleDescriptors", runtime_paths::ROLE_DESCRIPTORS),
            // Checked against the server's grammar when made, and made from typed durations.
            ("Duration", runtime_paths::DURATION),
        ],
        _ => &[],
    }
}

/// Generates the models and the client of `service` from its parsed spec.
pub(crate) fn run(service: Service, spec: &openapiv3::OpenAPI) -> Result<Output, CodegenError> {
    let unexpected = |reason: String| CodegenError::UnexpectedOutput {
        spec: service.spec,
        reason,
    };
    // The projections of filtered answers are schemas like any other for every pass; only the
    // tests' table of models leaves them out, as the spec file does not have them.
    let filtered = projections::declared(spec).map_err(unexpected)?;
    let mut with_projections = spec.clone();
    let projected = match &filtered {
        Some(declared) => projections::add(&mut with_projections, declared).map_err(unexpected)?,
        None => Vec::new(),
    };
    let spec = &with_projections;
    // From the spec as written: the wire policy marks optional lists and maps `nullable` too,
    // so that typify makes them `Option`s.
    let hand_written_names: Vec<&str> = hand_written(service)
        .iter()
        .map(|&(name, _)| name)
        .collect();
    let nullable = nullable_fields::collect(spec);
    let field_order = field_order::collect(spec);
    let mut spec = spec.clone();
    wire_policy::apply(&mut spec);
    let renamed = colliding_names::separate(&mut spec).map_err(unexpected)?;
    // The mock answers a not-found as the server does (Elasticsearch's `{"api_keys": []}`), so
    // it is made before the not-found answers take the client's error type.
    let mock_spec = spec.clone();
    client_errors::not_found_as_error_type(&mut spec).map_err(unexpected)?;
    let open_enums = open_enums::collect(&spec).map_err(unexpected)?;

    let mut generator = Generator::new(&settings(service, &open_enums));
    let client_tokens =
        generator
            .generate_tokens(&spec)
            .map_err(|source| CodegenError::Progenitor {
                spec: service.spec,
                source,
            })?;
    // After `generate_tokens` the type space holds every type the operations use, including the
    // inline ones; this is exactly what progenitor would otherwise put in the client's `mod types`.
    let models_tokens = generator.get_type_space().to_stream();

    let deprecated = deprecations::collect(&spec);
    let boxed = boxed_fields::collect(&spec).map_err(unexpected)?;
    let mut streamed = client_streams::collect(&spec).map_err(unexpected)?;
    let filtered_operations = match filtered {
        Some(_) => {
            streamed.extend(client_filtered::streams(&streamed, &projected));
            client_filtered::collect(&spec, &projected)
        }
        None => Vec::new(),
    };
    let paged = client_pages::collect(&spec, filtered.as_ref().map(|f| f.parameter.as_str()))
        .map_err(unexpected)?;
    let not_found = client_errors::collect_not_found(&mock_spec).map_err(unexpected)?;
    let policies = client_declarations::collect(&spec).map_err(unexpected)?;
    let headers = client_headers::collect(&spec).map_err(unexpected)?;

    // typify writes a `oneOf` (`Names`: a string or a list) as an untagged enum; whether the
    // spec has one decides if the pass must find work.
    let mut spec_has_untagged_enums = false;
    schema_walk::for_each_schema(&spec, &mut |schema, _| {
        spec_has_untagged_enums |=
            matches!(schema.schema_kind, openapiv3::SchemaKind::OneOf { .. });
    });
    let mut models: syn::File = syn::parse2(models_tokens)
        .map_err(|e| unexpected(format!("the types do not parse as a Rust file: {e}")))?;
    passes::apply(
        &mut models,
        vec![
            Pass::new("builder_extra::start_empty", true, |file| {
                Ok(builder_extra::start_empty(file))
            }),
            // Before the hand-rolled `Deserialize`, which reads each field's type.
            Pass::new("boxed_fields::box_fields", !boxed.is_empty(), |file| {
                boxed_fields::box_fields(file, &boxed)
            }),
            // Before the hand-rolled `Deserialize`, which reads each field's type, and before
            // `take_values`, which would rewrite the setters as those of an `Option`.
            Pass::new(
                "nullable_fields::three_states",
                !nullable.is_empty(),
                |file| nullable_fields::three_states(file, &nullable),
            ),
            // Before the hand-rolled `Deserialize`, which reads each field's wire name.
            Pass::new(
                "colliding_names::restore_wire_names",
                !renamed.is_empty(),
                |file| colliding_names::restore_wire_names(file, &renamed),
            ),
            // After the wire names are restored, by which it finds each property's field.
            Pass::new("field_order::spec_order", true, |file| {
                field_order::spec_order(file, &field_order)
            }),
            Pass::new(
                "struct_deserialize::replace_flatten",
                true,
                struct_deserialize::replace_flatten,
            ),
            Pass::new(
                "untagged_dispatch::dispatch_on_token",
                spec_has_untagged_enums,
                untagged_dispatch::dispatch_on_token,
            ),
            Pass::new("json_maps::use_small_maps", true, |file| {
                Ok(json_maps::use_small_maps(file))
            }),
            Pass::new("json_maps::editable_map_newtypes", true, |file| {
                Ok(json_maps::editable_map_newtypes(file))
            }),
            Pass::new(
                "optional_setters::take_values",
                true,
                optional_setters::take_values,
            ),
            // After `take_values`, whose setters it rewrites again.
            Pass::new("string_lists::take_any_strings", true, |file| {
                Ok(string_lists::take_any_strings(file))
            }),
            Pass::new(
                "string_newtypes::from_str_slices",
                string_newtypes::expected(&spec, &hand_written_names),
                |file| Ok(string_newtypes::from_str_slices(file)),
            ),
            // After every pass that writes setters.
            Pass::new("builder_docs::document_setters", true, |file| {
                Ok(builder_docs::document_setters(file))
            }),
            Pass::new(
                "deprecations::mark_models",
                deprecated.has_properties(),
                |file| deprecations::mark_models(file, &deprecated),
            ),
            Pass::new("builder_extra::add_build", true, |file| {
                Ok(builder_extra::add_build(file))
            }),
            Pass::new("non_exhaustive::mark_models", true, |file| {
                Ok(non_exhaustive::mark_models(file))
            }),
        ],
    )
    .map_err(unexpected)?;
    models
        .items
        .extend(open_enums.iter().flat_map(OpenEnum::items));

    let mut client: syn::File = syn::parse2(client_tokens)
        .map_err(|e| unexpected(format!("the client does not parse as a Rust file: {e}")))?;
    passes::apply(
        &mut client,
        vec![
            Pass::new("share_models", true, |file| {
                share_models(file, service.module)
            }),
            Pass::new(
                "client_runtime::use_own_runtime",
                true,
                client_runtime::use_own_runtime,
            ),
            Pass::new(
                "client_runtime::drop_default_constructor",
                true,
                client_runtime::drop_default_constructor,
            ),
            Pass::new(
                "client_streams::add_send_stream",
                !streamed.is_empty(),
                |file| client_streams::add_send_stream(file, &streamed),
            ),
            Pass::new(
                "client_filtered::add_send_filtered",
                !filtered_operations.is_empty(),
                |file| client_filtered::add_send_filtered(file, &filtered_operations),
            ),
            Pass::new(
                "client_pages::add_send_all_pages",
                !paged.is_empty(),
                |file| client_pages::add_send_all_pages(file, &paged),
            ),
            Pass::new(
                "client_errors::hide_http_library",
                true,
                client_errors::hide_http_library,
            ),
            Pass::new("client_errors::one_error_type", true, |file| {
                client_errors::one_error_type(file, &not_found)
            }),
            Pass::new("client_declarations::table", true, |file| {
                file.items.push(client_declarations::table(&policies));
                Ok(policies.len())
            }),
            Pass::new("client_declarations::retry_safe_consts", true, |file| {
                client_declarations::retry_safe_consts(file, &policies)
            }),
            Pass::new("client_headers::module", !headers.is_empty(), |file| {
                if !headers.is_empty() {
                    file.items.push(client_headers::module(&headers));
                }
                Ok(headers.len())
            }),
            Pass::new(
                "deprecations::mark_client",
                deprecated.has_operations(),
                |file| deprecations::mark_client(file, &deprecated),
            ),
        ],
    )
    .map_err(unexpected)?;

    let mock_tokens = Generator::new(&settings(service, &open_enums))
        .httpmock(&mock_spec, &runtime_paths::client_module(service.module))
        .map_err(|source| CodegenError::Progenitor {
            spec: service.spec,
            source,
        })?;
    let builders = mock_bodies::builder_names(&models);
    let mut mock: syn::File = syn::parse2(mock_tokens)
        .map_err(|e| unexpected(format!("the mock does not parse as a Rust file: {e}")))?;
    passes::apply(
        &mut mock,
        vec![
            Pass::new(
                "mock_paths::match_exactly",
                mock_paths::expected(&spec),
                |file| Ok(mock_paths::match_exactly(file)),
            ),
            Pass::new(
                "mock_strings::take_str",
                mock_strings::expected(&spec),
                |file| Ok(mock_strings::take_str(file)),
            ),
            Pass::new("mock_bodies::take_models_or_builders", true, |file| {
                Ok(mock_bodies::take_models_or_builders(file, &builders))
            }),
            Pass::new("mock_sealed::seal", true, |file| {
                Ok(mock_sealed::seal(file))
            }),
        ],
    )
    .map_err(unexpected)?;
    let operations = operation_table::generate(service, &spec, &client).map_err(unexpected)?;
    let mut table_spec = spec.clone();
    projections::remove(&mut table_spec, &projected);
    let model_table = model_table::generate(service, &table_spec, &models, &hand_written_names)
        .map_err(unexpected)?;
    Ok(Output {
        models,
        client,
        mock,
        operations,
        model_table,
    })
}

/// Replaces the client's own `pub mod types { .. }` with a re-export of the models crate, so the
/// client and the models share one set of types.
fn share_models(client: &mut syn::File, module: &str) -> Result<usize, String> {
    let position = client
        .items
        .iter()
        .position(|item| matches!(item, syn::Item::Mod(m) if m.ident == "types"))
        .ok_or("progenitor's output has no `mod types`")?;
    let module = syn::Ident::new(module, proc_macro2::Span::call_site());
    let models = runtime_paths::tokens(runtime_paths::MODELS);
    client.items[position] = syn::parse_quote! {
        /// Types used as operation parameters and responses: the models of
        /// `elastic-apikeys-models`, re-exported.
        pub use #models::#module as types;
    };
    Ok(1)
}
