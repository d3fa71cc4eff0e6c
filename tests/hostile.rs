//! Hostile configuration shared by the client's and the CLI's tests: base URLs that carry a
//! password, in every shape that parses otherwise than meant or not at all.

/// The two halves of every password of [`urls_with_passwords`]; neither may appear in any output.
pub const PASSWORD_HALVES: [&str; 2] = ["hunter", "xyzzy42"];

/// URL shapes that hold a password, each a different way of not being a usable base URL; `{}`
/// stands for the password.
const SHAPES: &[&str] = &[
    "http://admin:{}@127.0.0.1:99999",
    "http://admin:{}@[::1:9200",
    "http://admin:{}@host name:9200",
    "admin:{}@127.0.0.1:9200",
    "http://admin:{}@127.0.0.1:9200",
    " http://admin:{}@127.0.0.1:9200/ ",
    "ftp://admin:{}@127.0.0.1",
    "http://admin:{}@127.0.0.1:9200/?pretty",
    "https://admin:{}@[::1]:9200/path#fragment",
];

/// What can stand between the two halves of a password: characters that change how a URL
/// parses.
const SEPARATORS: &[&str] = &["", "#", "/", "?", "@", ":", "%40", " ", "\\"];

/// Every shape with every password: none of them is a base URL a client may accept.
pub fn urls_with_passwords() -> Vec<String> {
    let [before, after] = PASSWORD_HALVES;
    SHAPES
        .iter()
        .flat_map(|shape| {
            SEPARATORS
                .iter()
                .map(move |sep| shape.replace("{}", &format!("{before}{sep}{after}")))
        })
        .collect()
}

/// Whether `text` shows any part of the passwords of [`urls_with_passwords`].
pub fn shows_a_password(text: &str) -> bool {
    PASSWORD_HALVES.iter().any(|half| text.contains(half))
}
