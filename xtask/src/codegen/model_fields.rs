//! Finding a model's field by the spec property it is made from.

/// Whether `field` is the one typify made from `property`: it is renamed to it
/// (`#[serde(rename = "_sort")] pub sort`), or it has the property's name and no rename.
pub(crate) fn is_wire_field(field: &syn::Field, property: &str) -> bool {
    let Some(ident) = &field.ident else {
        return false;
    };
    match rename(field) {
        Some(wire) => wire == property,
        None => ident == property,
    }
}

/// The wire name of a field that `#[serde(rename = "..")]` gives one.
fn rename(field: &syn::Field) -> Option<String> {
    field.attrs.iter().find_map(|attr| {
        if !attr.path().is_ident("serde") {
            return None;
        }
        let mut wire = None;
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                wire = Some(meta.value()?.parse::<syn::LitStr>()?.value());
            } else if meta.input.peek(syn::Token![=]) {
                // Another `key = value` (`skip_serializing_if = ".."`): read past it.
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        })
        .ok()?;
        wire
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_field_by_its_wire_name() {
        let item: syn::ItemStruct = syn::parse_quote! {
            struct Key {
                #[serde(rename = "_sort", skip_serializing_if = "Option::is_none")]
                pub sort: Option<Vec<u8>>,
                #[serde(skip_serializing_if = "Option::is_none")]
                pub name: Option<String>,
                #[serde(rename = "type")]
                pub type_: String,
            }
        };
        let fields: Vec<&syn::Field> = item.fields.iter().collect();
        assert!(is_wire_field(fields[0], "_sort"));
        assert!(!is_wire_field(fields[0], "sort"));
        assert!(is_wire_field(fields[1], "name"));
        assert!(is_wire_field(fields[2], "type"));
        assert!(!is_wire_field(fields[2], "type_"));
    }
}
