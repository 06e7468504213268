//! Segment expressions: a small, safe language compiled to parameterised SQL.
