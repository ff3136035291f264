//! Symbol names of generated functions.

/// A local, symbol-safe name for a graph: `Tape::advance` with id 3 becomes
/// `rr_Tape__advance_3`. The id keeps names unique even when two source
/// names mangle alike.
pub(crate) fn mangle(name: &str, id: usize) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    out.push_str("rr_");
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ':' && chars.peek() == Some(&':') {
            chars.next();
            out.push_str("__");
        } else if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else {
            out.push('_');
        }
    }
    out.push('_');
    out.push_str(&id.to_string());
    out
}

/// The symbol of the entry graph, called by the runtime's `main`.
pub(crate) const ENTRY_SYMBOL: &str = "rr_main";

#[cfg(test)]
mod tests {
    use super::mangle;

    #[test]
    fn mangles_paths_and_odd_chars() {
        assert_eq!(mangle("Tape::advance", 3), "rr_Tape__advance_3");
        assert_eq!(mangle("main", 0), "rr_main_0");
        assert_eq!(mangle("List<u8>::push", 12), "rr_List_u8___push_12");
    }
}
