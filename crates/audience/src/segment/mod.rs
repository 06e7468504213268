//! Segment expressions: a small, safe language compiled to parameterised SQL.
//!
//! Campaign staff pick contacts with expressions such as
//!
//! ```text
//! state in ("PA", "OH") and "healthcare" in issues and district = "PA-07"
//!   and within_miles("19103", 25) and not opted_out and attr.age >= 30
//! ```
//!
//! [`parse`] builds a syntax tree, [`check`] resolves fields and types against a [`Schema`], and [`to_sql`]
//! writes a condition on `contacts c` for SQLite or PostgreSQL. User text never enters the SQL: every literal is
//! a bound parameter.
//!
//! # The language
//!
//! - **Values:** `"text"` (escapes `\"`, `\\`, `\n`, `\t`, `\r`), integers, decimals (`-75.16`), `true`, `false`,
//!   and lists after `in`: `("a", "b")`.
//! - **Operators:** `=` (or `==`), `!=` (or `<>`), `<`, `<=`, `>`, `>=`, `in`, `not in`, `and`, `or`, `not`, and
//!   parentheses. `not` binds tighter than `and`, which binds tighter than `or`. Keywords, field names and
//!   function names are case-insensitive; attribute names are not.
//! - **Fields** (see [`fields`]): `phone`, `first_name` (`given_name`), `last_name` (`family_name`), `zip`,
//!   `state` (compared in upper case), `county` (`county_name`), `county_fips`, `time_zone`: text.
//!   `opted_out`: boolean, usable bare (`not opted_out`). `issues`: `"x" in issues`, `"x" not in issues`, and
//!   `any_issue("a", "b")` for any of several. `attr.NAME` (or `attr."odd name"`): a custom JSON attribute,
//!   compared as a number, text or boolean according to the literal; values of another JSON type never match.
//!   `region.KIND`: the name of the region of an imported layer that holds the contact (`=`, `!=`, `in`);
//!   `district` is `region.congressional_district`.
//! - **Functions:** `within_miles("19103", 25)`, `within_miles(39.95, -75.16, 25)` (accuracy in [`geo`]),
//!   `starts_with(zip, "191")`.
//! - **Missing values:** a comparison with a missing value is false, and `not` is always its exact complement:
//!   `state != "PA"` includes contacts with no state.
//! - **Bounds:** at most [`MAX_SOURCE_CHARS`] characters and [`MAX_DEPTH`] levels of parentheses and `not`.
//!   Text comparisons other than `state` are exact (case-sensitive), as are issue and region names.

mod ast;
mod calls;
mod check;
mod checked;
mod error;
mod fields;
pub mod geo;
mod lexer;
mod parser;
mod sql;

#[cfg(test)]
mod tests;

pub use ast::{CmpOp, Expr, InSet, KEYWORDS, Literal, Operand, OperandKind, Value};
pub use calls::MAX_RADIUS_MILES;
pub use check::{Schema, check};
pub use checked::Checked;
pub use error::{Pos, SegmentError};
pub use fields::{FieldInfo, FieldType, FunctionInfo, fields, functions};
pub use lexer::MAX_SOURCE_CHARS;
pub use parser::{MAX_DEPTH, parse};
pub use sql::{Dialect, SqlParam, SqlWhere, to_sql};

/// Parses and checks `src`: the whole front end in one call.
pub fn compile(src: &str, schema: &Schema) -> Result<Checked, SegmentError> {
    check(&parse(src)?, schema)
}
