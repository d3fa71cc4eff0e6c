//! The README's table of operations, written between its markers by `cargo xtask codegen`: the
//! service, the method and path, the client method, and whether the client retries it. The rest
//! of the README is hand-written; `--check` and `tests/codegen_drift.rs` fail when the table is
//! stale, as for every generated file.

use heck::ToSnakeCase;
use openapiv3::OpenAPI;

use super::{CodegenError, Service};

/// Where the table begins: the line before it.
pub(crate) const BEGIN: &str = "<!-- operations: written by `cargo xtask codegen` from spec/ -->\n";
/// Where it ends: the line after it.
pub(crate) const END: &str = "\n<!-- operations: end -->";

/// The table of every operation of `specs`, in spec order.
pub(crate) fn table(specs: &[(Service, OpenAPI)]) -> String {
    let mut rows = vec![
        "| service | request | client method | retried |".to_string(),
        "| --- | --- | --- | --- |".to_string(),
    ];
    for (service, spec) in specs {
        let name = spec
            .info
            .extensions
            .get("x-service-name")
            .and_then(|name| name.as_str())
            .unwrap_or(service.module);
        for (path, item) in spec.paths.iter() {
            let Some(item) = item.as_item() else { continue };
            for (method, operation) in item.iter() {
                let id = operation.operation_id.as_deref().unwrap_or_default();
                let retried =
                    operation.extensions.get("x-retry").and_then(|v| v.as_str()) == Some("safe");
                rows.push(format!(
                    "| {name} | `{} {path}` | `{}()` | {} |",
                    method.to_uppercase(),
                    id.to_snake_case(),
                    if retried { "yes" } else { "never" }
                ));
            }
        }
    }
    rows.join("\n")
}

/// `readme` with `table` between its markers, or the error that says where the markers go.
pub(crate) fn splice(readme: &str, table: &str) -> Result<String, CodegenError> {
    let missing = || CodegenError::Readme {
        reason: format!(
            "README.md lacks the markers of its table of operations; put these two lines where \
             the table goes:\n{BEGIN}{}",
            END.trim_start()
        ),
    };
    let (before, rest) = readme.split_once(BEGIN).ok_or_else(missing)?;
    let (_, after) = rest.split_once(END).ok_or_else(missing)?;
    Ok(format!("{before}{BEGIN}{table}{END}{after}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_goes_between_the_markers_and_nothing_else_changes() {
        let readme = format!("# Title\n\nintro\n\n{BEGIN}old table{END}\n\nmore\n");
        let spliced = splice(&readme, "| new |").unwrap();
        assert_eq!(
            spliced,
            format!("# Title\n\nintro\n\n{BEGIN}| new |{END}\n\nmore\n")
        );
        assert_eq!(splice(&spliced, "| new |").unwrap(), spliced);
        assert!(splice("# no markers\n", "| t |").is_err());
    }
}
