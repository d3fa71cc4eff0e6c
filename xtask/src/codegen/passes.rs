//! The rewrites of progenitor's output, each a named entry that counts what it changed.
//!
//! Every pass matches a shape of progenitor's or typify's output (a `TryInto<Option<T>>`
//! setter, a `format!` path matcher, a `serde_json::Map`). After an upgrade that changes the
//! shape, a pass would find nothing and the guarantee it adds would go quietly. So each pass
//! says whether the spec gives it something to do, and a pass that was expected to change
//! something and changed nothing fails code generation with its name.

/// A rewrite of a generated file, which returns how many items it changed.
type Rewrite<'a> = Box<dyn FnOnce(&mut syn::File) -> Result<usize, String> + 'a>;

/// One rewrite of a generated file.
pub(crate) struct Pass<'a> {
    /// What it is, as errors name it (`json_maps::use_small_maps`).
    pub(crate) name: &'static str,
    /// Whether the spec gives it something to do.
    pub(crate) expected: bool,
    /// The rewrite; returns how many items it changed.
    pub(crate) run: Rewrite<'a>,
}

impl<'a> Pass<'a> {
    /// A pass named `name` that the spec gives something to do when `expected`.
    pub(crate) fn new(
        name: &'static str,
        expected: bool,
        run: impl FnOnce(&mut syn::File) -> Result<usize, String> + 'a,
    ) -> Self {
        Self {
            name,
            expected,
            run: Box::new(run),
        }
    }
}

/// Runs `passes` over `file`, in order; returns each pass's name and count.
pub(crate) fn apply(
    file: &mut syn::File,
    passes: Vec<Pass<'_>>,
) -> Result<Vec<(&'static str, usize)>, String> {
    let mut counts = Vec::with_capacity(passes.len());
    for pass in passes {
        let count = (pass.run)(file).map_err(|error| format!("{}: {error}", pass.name))?;
        if pass.expected && count == 0 {
            return Err(format!(
                "the pass `{}` rewrote nothing where the spec gives it work: did progenitor or \
                 typify change the shape of their output?",
                pass.name
            ));
        }
        counts.push((pass.name, count));
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pass_that_finds_nothing_to_do_fails_with_its_name() {
        let mut file: syn::File = syn::parse_quote!(
            struct A;
        );
        let counts = apply(
            &mut file,
            vec![
                Pass::new("first", true, |_| Ok(2)),
                Pass::new("optional", false, |_| Ok(0)),
            ],
        )
        .unwrap();
        assert_eq!(counts, [("first", 2), ("optional", 0)]);
        let error = apply(&mut file, vec![Pass::new("json_maps", true, |_| Ok(0))]).unwrap_err();
        assert!(error.contains("`json_maps` rewrote nothing"), "{error}");
        assert!(error.contains("did progenitor"), "{error}");
        let error = apply(
            &mut file,
            vec![Pass::new("broken", true, |_| Err("no arm".into()))],
        )
        .unwrap_err();
        assert_eq!(error, "broken: no arm");
    }
}
