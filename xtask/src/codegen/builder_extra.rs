//! The builders typify writes beside each struct start every field without a default as "not
//! supplied", including the flattened `extra` map that [`wire_policy`](super::wire_policy) adds.
//! Building a model by hand would then demand `.extra(Map::new())` for nothing. This patch starts
//! `extra` empty instead, in every builder's `Default`.

use syn::visit_mut::{self, VisitMut};

/// Starts the `extra` field of every builder of `file` as an empty map; returns how many.
pub(crate) fn start_empty(file: &mut syn::File) -> usize {
    let mut pass = StartEmpty(0);
    pass.visit_file_mut(file);
    pass.0
}

struct StartEmpty(usize);

impl VisitMut for StartEmpty {
    fn visit_field_value_mut(&mut self, field: &mut syn::FieldValue) {
        let is_extra = matches!(&field.member, syn::Member::Named(name) if name == "extra");
        let is_unsupplied = matches!(
            &field.expr,
            syn::Expr::Call(call) if matches!(&*call.func, syn::Expr::Path(p) if p.path.is_ident("Err"))
        );
        if is_extra && is_unsupplied {
            field.expr = syn::parse_quote!(Ok(Default::default()));
            self.0 += 1;
        }
        visit_mut::visit_field_value_mut(self, field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_unsupplied_extra_field_changes() {
        let mut file: syn::File = syn::parse_quote! {
            impl Default for Key {
                fn default() -> Self {
                    Self {
                        id: Err("no value supplied for id".to_string()),
                        extra: Err("no value supplied for extra".to_string()),
                    }
                }
            }
            fn f(v: Key) -> Key { Key { extra: v.extra, id: v.id } }
        };
        start_empty(&mut file);
        let text = prettyplease::unparse(&file);
        assert!(text.contains("extra: Ok(Default::default())"), "{text}");
        assert!(
            text.contains(r#"id: Err("no value supplied for id".to_string())"#),
            "{text}"
        );
        assert!(text.contains("extra: v.extra"), "{text}");
    }
}
