//! Errors that point at the line and column of the problem.

/// A position in the expression source: 1-based line and column, columns counted in characters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, in characters (not bytes).
    pub column: u32,
}

impl Pos {
    /// The position of the first character.
    pub const START: Pos = Pos { line: 1, column: 1 };
}

/// Why an expression was refused, and where.
///
/// Displays as `line 1, column 9: `state` is text, but 5 is a number`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct SegmentError {
    /// 1-based line of the offending token.
    pub line: u32,
    /// 1-based column of the offending token, in characters.
    pub column: u32,
    /// What is wrong, written for campaign staff.
    pub message: String,
}

impl SegmentError {
    pub(crate) fn at(pos: Pos, message: impl Into<String>) -> Self {
        SegmentError {
            line: pos.line,
            column: pos.column,
            message: message.into(),
        }
    }

    /// Where the error points.
    pub fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            column: self.column,
        }
    }
}
