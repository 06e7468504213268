//! The checked form of an expression: fields resolved to columns, literals typed and normalised, ready for SQL.

use super::ast::{CmpOp, Expr};

/// A type-checked segment, ready for [`to_sql`](super::to_sql).
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    pub(crate) expr: Expr,
    pub(crate) cond: Cond,
}

impl Checked {
    /// The expression as written (its `Display` is the canonical text, suitable for saving).
    pub fn expr(&self) -> &Expr {
        &self.expr
    }
}

/// A condition on one contact. `!=` and `not in` are expressed with [`Cond::Not`], so that each atom has one
/// positive meaning; the SQL writer pushes negations down to the atoms.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Cond {
    And(Vec<Cond>),
    Or(Vec<Cond>),
    Not(Box<Cond>),
    /// A NOT NULL boolean column equals `value`.
    BoolColumn {
        column: &'static str,
        value: bool,
    },
    /// `target op value`; `op` is never `Ne`.
    Compare {
        target: Target,
        op: CmpOp,
        value: Scalar,
    },
    /// `target` equals one of `values` (all of the target's kind).
    In {
        target: Target,
        values: Vec<Scalar>,
    },
    /// Text `target` begins with `prefix` (ASCII case-insensitively, as SQL LIKE does in SQLite).
    Prefix {
        target: Target,
        prefix: String,
    },
    /// The contact is tagged with at least one of these issue names.
    HasIssue {
        names: Vec<String>,
    },
    /// The contact lies in one of the named regions of the layer of this kind.
    InRegion {
        kind: String,
        names: Vec<String>,
    },
    /// The contact's lat/lon lies within `miles` of a point.
    Within(Circle),
}

/// What a comparison reads.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Target {
    /// A nullable column of `contacts` (text).
    Column(&'static str),
    /// A top-level key of `contacts.attrs`, read as the kind of JSON value named.
    Attr { key: String, kind: AttrKind },
}

/// Which JSON values an attribute comparison considers; values of other kinds never match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AttrKind {
    Number,
    Text,
    Bool,
}

/// A typed literal.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Scalar {
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

/// A radius around a point, validated: finite, latitude within ±90, longitude within ±180, miles in range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Circle {
    pub lat: f64,
    pub lon: f64,
    pub miles: f64,
}
