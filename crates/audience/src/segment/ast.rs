//! The syntax tree, as written by the user, before any field is resolved.
//!
//! `Display` prints a canonical form that parses back to the same tree (positions aside).

use std::fmt;

use super::error::Pos;

/// A segment expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// `a or b or …` (two or more operands).
    Or(Vec<Expr>),
    /// `a and b and …` (two or more operands).
    And(Vec<Expr>),
    /// `not a`; the position is that of the keyword.
    Not(Box<Expr>, Pos),
    /// `left op right`.
    Compare {
        left: Operand,
        op: CmpOp,
        op_pos: Pos,
        right: Operand,
    },
    /// `item in set` or `item not in set`.
    In {
        item: Operand,
        negated: bool,
        set: InSet,
    },
    /// A bare operand used as a condition: a boolean field or a function such as `within_miles(…)`.
    Test(Operand),
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    /// `=` (also written `==`).
    Eq,
    /// `!=` (also written `<>`).
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CmpOp {
    /// The operator as the language writes it.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }

    /// The operator that holds when the operands are swapped (`5 < x` is `x > 5`).
    pub fn swapped(self) -> CmpOp {
        match self {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Ge => CmpOp::Le,
            same => same,
        }
    }

    /// Whether this is one of `<`, `<=`, `>`, `>=`.
    pub fn is_ordering(self) -> bool {
        !matches!(self, CmpOp::Eq | CmpOp::Ne)
    }
}

/// The right-hand side of `in`.
#[derive(Clone, Debug, PartialEq)]
pub enum InSet {
    /// `("a", "b")`; the position is that of the opening parenthesis.
    List(Vec<Literal>, Pos),
    /// A field, as in `"healthcare" in issues`.
    Operand(Operand),
}

/// A value, field or function call, with the position where it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Operand {
    /// What it is.
    pub kind: OperandKind,
    /// Where it starts.
    pub pos: Pos,
}

/// The kinds of operand.
#[derive(Clone, Debug, PartialEq)]
pub enum OperandKind {
    /// A literal value.
    Literal(Value),
    /// A field path: `state`, `attr.age`, `region.precinct`.
    Field(Vec<String>),
    /// A function call: `within_miles("19103", 25)`.
    Call { name: String, args: Vec<Operand> },
}

/// A literal with its position (list items).
#[derive(Clone, Debug, PartialEq)]
pub struct Literal {
    /// The value.
    pub value: Value,
    /// Where it starts.
    pub pos: Pos,
}

/// A literal value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `"text"`
    Text(String),
    /// `42`
    Int(i64),
    /// `4.2`
    Float(f64),
    /// `true` / `false`
    Bool(bool),
}

impl Value {
    /// `text`, `a number` or `a boolean`, for error messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Text(_) => "text",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Bool(_) => "a boolean",
        }
    }
}

/// Keywords, which cannot start a field name.
pub const KEYWORDS: [&str; 6] = ["and", "or", "not", "in", "true", "false"];

pub(crate) fn is_keyword(word: &str) -> bool {
    KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(word))
}

fn is_plain_name(part: &str) -> bool {
    let mut chars = part.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Text(text) => write_quoted(f, text),
            Value::Int(n) => write!(f, "{n}"),
            Value::Float(x) => {
                // Rust prints 30.0 as "30", which would read back as an integer.
                let printed = x.to_string();
                if printed.contains('.') {
                    f.write_str(&printed)
                } else {
                    write!(f, "{printed}.0")
                }
            }
            Value::Bool(b) => write!(f, "{b}"),
        }
    }
}

fn write_quoted(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in text.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\t' => f.write_str("\\t")?,
            '\r' => f.write_str("\\r")?,
            other => write!(f, "{other}")?,
        }
    }
    f.write_str("\"")
}

/// Prints a field path, quoting parts that are not plain names (`attr."first vote"`).
pub(crate) struct PathDisplay<'a>(pub &'a [String]);

impl fmt::Display for PathDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, part) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            if is_plain_name(part) && (i > 0 || !is_keyword(part)) {
                f.write_str(part)?;
            } else {
                write_quoted(f, part)?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            OperandKind::Literal(value) => write!(f, "{value}"),
            OperandKind::Field(path) => write!(f, "{}", PathDisplay(path)),
            OperandKind::Call { name, args } => {
                write!(f, "{name}(")?;
                for (i, arg) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{arg}")?;
                }
                f.write_str(")")
            }
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Or(parts) => write_joined(f, parts, " or "),
            Expr::And(parts) => write_joined(f, parts, " and "),
            Expr::Not(inner, _) => {
                f.write_str("not ")?;
                write_operand_of_logic(f, inner)
            }
            Expr::Compare {
                left, op, right, ..
            } => write!(f, "{left} {} {right}", op.symbol()),
            Expr::In { item, negated, set } => {
                write!(f, "{item} {}in ", if *negated { "not " } else { "" })?;
                match set {
                    InSet::Operand(operand) => write!(f, "{operand}"),
                    InSet::List(items, _) => {
                        f.write_str("(")?;
                        for (i, item) in items.iter().enumerate() {
                            if i > 0 {
                                f.write_str(", ")?;
                            }
                            write!(f, "{}", item.value)?;
                        }
                        f.write_str(")")
                    }
                }
            }
            Expr::Test(operand) => write!(f, "{operand}"),
        }
    }
}

fn write_joined(f: &mut fmt::Formatter<'_>, parts: &[Expr], joiner: &str) -> fmt::Result {
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            f.write_str(joiner)?;
        }
        write_operand_of_logic(f, part)?;
    }
    Ok(())
}

/// Parenthesises `and`/`or` inside another logical operator, so that the printed text keeps the tree's shape.
fn write_operand_of_logic(f: &mut fmt::Formatter<'_>, expr: &Expr) -> fmt::Result {
    match expr {
        Expr::Or(_) | Expr::And(_) => write!(f, "({expr})"),
        _ => write!(f, "{expr}"),
    }
}
