//! XML helpers: a strict writer over quick-xml and a lenient reader over roxmltree.

pub(crate) mod read;
pub(crate) mod write;
