//! Type-checks a syntax tree against the contact schema and lowers it to [`Cond`].

use super::ast::{CmpOp, Expr, InSet, Literal, Operand, OperandKind, PathDisplay, Value};
use super::calls::check_call;
use super::checked::{AttrKind, Checked, Cond, Scalar, Target};
use super::error::{Pos, SegmentError};
use super::fields::{ATTR, COLUMNS, Column, DISTRICT_ALIAS, FieldType, ISSUES, REGION, nearest};

/// What the checker needs to know about the tenant's data.
pub struct Schema<'a> {
    /// Kinds of the region layers imported for the tenant, e.g. `congressional_district`, `precinct`.
    pub region_kinds: Vec<String>,
    /// The centroid `(latitude, longitude)` of a five-digit ZIP, or `None` when the ZIP is unknown.
    pub zip_centroid: &'a dyn Fn(&str) -> Option<(f64, f64)>,
}

/// Type-checks `expr`: every field exists, every literal fits its field, every function call is well formed.
pub fn check(expr: &Expr, schema: &Schema) -> Result<Checked, SegmentError> {
    let cond = Checker { schema }.condition(expr)?;
    Ok(Checked {
        expr: expr.clone(),
        cond,
    })
}

/// What a field path names.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Resolved {
    Column(Column),
    Issues,
    Attr(String),
    Region(String),
}

impl Resolved {
    pub(crate) fn ty(&self) -> FieldType {
        match self {
            Resolved::Column(column) => column.ty,
            Resolved::Issues => FieldType::IssueSet,
            Resolved::Attr(_) => FieldType::Attribute,
            Resolved::Region(_) => FieldType::Region,
        }
    }
}

/// A field as typed, resolved, with where it was written.
pub(crate) struct FieldRef<'e> {
    pub path: &'e [String],
    pub pos: Pos,
    pub resolved: Resolved,
}

impl FieldRef<'_> {
    /// The field as the user wrote it, in backquotes.
    pub(crate) fn quoted(&self) -> String {
        format!("`{}`", PathDisplay(self.path))
    }
}

pub(crate) struct Checker<'s, 'a> {
    pub schema: &'s Schema<'a>,
}

impl Checker<'_, '_> {
    fn condition(&self, expr: &Expr) -> Result<Cond, SegmentError> {
        match expr {
            Expr::Or(parts) => Ok(Cond::Or(self.conditions(parts)?)),
            Expr::And(parts) => Ok(Cond::And(self.conditions(parts)?)),
            Expr::Not(inner, _) => Ok(Cond::Not(Box::new(self.condition(inner)?))),
            Expr::Test(operand) => self.test(operand),
            Expr::Compare {
                left,
                op,
                op_pos,
                right,
            } => self.compare(left, *op, *op_pos, right),
            Expr::In { item, negated, set } => {
                let cond = self.membership(item, set)?;
                Ok(if *negated {
                    Cond::Not(Box::new(cond))
                } else {
                    cond
                })
            }
        }
    }

    fn conditions(&self, parts: &[Expr]) -> Result<Vec<Cond>, SegmentError> {
        parts.iter().map(|part| self.condition(part)).collect()
    }

    /// A bare operand used as a condition.
    fn test(&self, operand: &Operand) -> Result<Cond, SegmentError> {
        match &operand.kind {
            OperandKind::Call { name, args } => check_call(self, name, args, operand.pos),
            OperandKind::Literal(value) => Err(SegmentError::at(
                operand.pos,
                format!("expected a condition, found the value {value}"),
            )),
            OperandKind::Field(path) => {
                let field = self.field(path, operand.pos)?;
                match field.resolved {
                    Resolved::Column(Column {
                        column,
                        ty: FieldType::Bool,
                        ..
                    }) => Ok(Cond::BoolColumn {
                        column,
                        value: true,
                    }),
                    Resolved::Attr(_) => Err(SegmentError::at(
                        operand.pos,
                        format!(
                            "{} is a custom attribute, not a condition; compare it, e.g. {} = true",
                            field.quoted(),
                            PathDisplay(path)
                        ),
                    )),
                    Resolved::Issues => Err(SegmentError::at(
                        operand.pos,
                        "`issues` is a set of issue names, not a condition; write e.g. \"healthcare\" in issues",
                    )),
                    ref other => Err(SegmentError::at(
                        operand.pos,
                        format!(
                            "{} is {}, not a condition; compare it, e.g. {} = {}",
                            field.quoted(),
                            other.ty().describe(),
                            PathDisplay(path),
                            example_value(other)
                        ),
                    )),
                }
            }
        }
    }

    fn compare(
        &self,
        left: &Operand,
        op: CmpOp,
        op_pos: Pos,
        right: &Operand,
    ) -> Result<Cond, SegmentError> {
        for side in [left, right] {
            if let OperandKind::Call { name, .. } = &side.kind {
                let message = format!("`{name}(…)` is a condition; it cannot be compared");
                return Err(SegmentError::at(side.pos, message));
            }
        }
        let (path, field_pos, op, value, value_pos) = match (&left.kind, &right.kind) {
            (OperandKind::Field(path), OperandKind::Literal(value)) => {
                (path, left.pos, op, value, right.pos)
            }
            (OperandKind::Literal(value), OperandKind::Field(path)) => {
                (path, right.pos, op.swapped(), value, left.pos)
            }
            (OperandKind::Field(path), _) => {
                let message = format!(
                    "compare `{}` with a value, not with another field",
                    PathDisplay(path)
                );
                return Err(SegmentError::at(right.pos, message));
            }
            _ => {
                return Err(SegmentError::at(
                    left.pos,
                    "a comparison needs a field on one side",
                ));
            }
        };
        let field = self.field(path, field_pos)?;
        let literal = Literal {
            value: value.clone(),
            pos: value_pos,
        };
        let positive = if op == CmpOp::Ne { CmpOp::Eq } else { op };
        let cond = self.compare_field(&field, positive, op_pos, &literal)?;
        Ok(if op == CmpOp::Ne {
            Cond::Not(Box::new(cond))
        } else {
            cond
        })
    }

    /// `field op literal`, where `op` is not `!=`.
    fn compare_field(
        &self,
        field: &FieldRef,
        op: CmpOp,
        op_pos: Pos,
        literal: &Literal,
    ) -> Result<Cond, SegmentError> {
        match &field.resolved {
            Resolved::Column(column) if column.ty == FieldType::Bool => {
                no_ordering(format!("{} is a boolean", field.quoted()), op, op_pos)?;
                match literal.value {
                    Value::Bool(value) => Ok(Cond::BoolColumn {
                        column: column.column,
                        value,
                    }),
                    _ => Err(mismatch(field, literal)),
                }
            }
            Resolved::Column(column) => Ok(Cond::Compare {
                target: Target::Column(column.column),
                op,
                value: Scalar::Text(column_text(field, column, literal)?),
            }),
            Resolved::Attr(key) => {
                let (kind, value) = attr_scalar(literal);
                if kind == AttrKind::Bool {
                    no_ordering(format!("{} is a boolean", literal.value), op, op_pos)?;
                }
                Ok(Cond::Compare {
                    target: Target::Attr {
                        key: key.clone(),
                        kind,
                    },
                    op,
                    value,
                })
            }
            Resolved::Region(kind) => {
                no_ordering(format!("{} is a region name", field.quoted()), op, op_pos)?;
                Ok(Cond::InRegion {
                    kind: kind.clone(),
                    names: vec![region_text(field, literal)?],
                })
            }
            Resolved::Issues => {
                let example = match &literal.value {
                    Value::Text(_) => literal.value.to_string(),
                    _ => "\"healthcare\"".to_string(),
                };
                Err(SegmentError::at(
                    field.pos,
                    format!("`issues` is a set of issue names; write {example} in issues"),
                ))
            }
        }
    }

    /// `item in set` (the caller applies `not`).
    fn membership(&self, item: &Operand, set: &InSet) -> Result<Cond, SegmentError> {
        if let OperandKind::Call { name, .. } = &item.kind {
            let message = format!("`{name}(…)` is a condition; it cannot be tested with `in`");
            return Err(SegmentError::at(item.pos, message));
        }
        match set {
            InSet::Operand(set_operand) => self.in_field(item, set_operand),
            InSet::List(values, _) => {
                let OperandKind::Field(path) = &item.kind else {
                    return Err(SegmentError::at(
                        item.pos,
                        "the left side of `in (…)` must be a field",
                    ));
                };
                let field = self.field(path, item.pos)?;
                self.in_list(&field, values)
            }
        }
    }

    /// `"x" in issues`.
    fn in_field(&self, item: &Operand, set: &Operand) -> Result<Cond, SegmentError> {
        let OperandKind::Field(path) = &set.kind else {
            return Err(SegmentError::at(
                set.pos,
                "expected a list such as (\"a\", \"b\") or `issues` after `in`",
            ));
        };
        let field = self.field(path, set.pos)?;
        if field.resolved != Resolved::Issues {
            let example = match &item.kind {
                OperandKind::Literal(value) => value.to_string(),
                _ => "\"…\"".to_string(),
            };
            let message = format!(
                "{} is {}, not a set; write {} = {example}",
                field.quoted(),
                field.resolved.ty().describe(),
                PathDisplay(path),
            );
            return Err(SegmentError::at(set.pos, message));
        }
        match &item.kind {
            OperandKind::Literal(Value::Text(name)) => Ok(Cond::HasIssue {
                names: vec![name.clone()],
            }),
            OperandKind::Literal(other) => Err(SegmentError::at(
                item.pos,
                format!("issue names are text, but {other} is {}", other.kind_name()),
            )),
            _ => Err(SegmentError::at(
                item.pos,
                "write the issue as a quoted name, e.g. \"healthcare\" in issues",
            )),
        }
    }

    /// `field in ("a", "b")`.
    fn in_list(&self, field: &FieldRef, values: &[Literal]) -> Result<Cond, SegmentError> {
        match &field.resolved {
            Resolved::Column(column) if column.ty == FieldType::Bool => Err(SegmentError::at(
                field.pos,
                format!("{} is a boolean; use = or !=", field.quoted()),
            )),
            Resolved::Column(column) => {
                let texts = values
                    .iter()
                    .map(|literal| column_text(field, column, literal));
                let values = texts
                    .map(|text| text.map(Scalar::Text))
                    .collect::<Result<_, _>>()?;
                Ok(Cond::In {
                    target: Target::Column(column.column),
                    values,
                })
            }
            Resolved::Region(kind) => {
                let names = values
                    .iter()
                    .map(|literal| region_text(field, literal))
                    .collect::<Result<_, _>>()?;
                Ok(Cond::InRegion {
                    kind: kind.clone(),
                    names,
                })
            }
            Resolved::Attr(key) => attr_in(field, key, values),
            Resolved::Issues => {
                let listed: Vec<String> = values.iter().map(|v| v.value.to_string()).collect();
                let message = format!(
                    "`issues` is a set; for contacts with any of these issues write any_issue({})",
                    listed.join(", ")
                );
                Err(SegmentError::at(field.pos, message))
            }
        }
    }

    /// Resolves a field path against the fixed fields, custom attributes and the tenant's region layers.
    pub(crate) fn field<'e>(
        &self,
        path: &'e [String],
        pos: Pos,
    ) -> Result<FieldRef<'e>, SegmentError> {
        let resolved = self.resolve(path, pos)?;
        Ok(FieldRef {
            path,
            pos,
            resolved,
        })
    }

    fn resolve(&self, path: &[String], pos: Pos) -> Result<Resolved, SegmentError> {
        let head = path
            .first()
            .map(|part| part.to_ascii_lowercase())
            .unwrap_or_default();
        match (head.as_str(), path.len()) {
            (ATTR, 2) => attr_key(&path[1], pos).map(Resolved::Attr),
            (REGION, 2) => self.region_kind(&path[1], pos).map(Resolved::Region),
            (ATTR, 1) => Err(SegmentError::at(
                pos,
                "write a custom attribute as attr.NAME, e.g. attr.age",
            )),
            (REGION, 1) => Err(SegmentError::at(
                pos,
                format!(
                    "write a region as region.KIND, e.g. region.precinct; {}",
                    self.imported_kinds()
                ),
            )),
            (ATTR | REGION, _) => Err(SegmentError::at(
                pos,
                format!(
                    "`{head}.` takes one name; quote a name that holds dots, e.g. {head}.\"a.b\""
                ),
            )),
            (name, 1) => self.resolve_name(name, &path[0], pos),
            _ => Err(SegmentError::at(
                pos,
                format!("unknown field `{}`", PathDisplay(path)),
            )),
        }
    }

    fn resolve_name(&self, name: &str, typed: &str, pos: Pos) -> Result<Resolved, SegmentError> {
        if let Some((_, column)) = COLUMNS.iter().find(|(known, _)| *known == name) {
            return Ok(Resolved::Column(*column));
        }
        if name == ISSUES {
            return Ok(Resolved::Issues);
        }
        let (alias, kind) = DISTRICT_ALIAS;
        if name == alias {
            if self.schema.region_kinds.iter().any(|known| known == kind) {
                return Ok(Resolved::Region(kind.to_string()));
            }
            let message = format!(
                "`district` needs a region layer of kind {kind}, and none is imported; \
                 import one with `canvass regions import FILE --kind {kind}`"
            );
            return Err(SegmentError::at(pos, message));
        }
        let known = COLUMNS
            .iter()
            .map(|(known, _)| *known)
            .chain([ISSUES, alias, ATTR, REGION]);
        let message = match nearest(name, known) {
            Some(suggestion) => format!("unknown field `{typed}`; did you mean `{suggestion}`?"),
            None => format!("unknown field `{typed}`; custom attributes are written attr.{typed}"),
        };
        Err(SegmentError::at(pos, message))
    }

    fn region_kind(&self, typed: &str, pos: Pos) -> Result<String, SegmentError> {
        let kinds = &self.schema.region_kinds;
        if let Some(kind) = kinds.iter().find(|kind| *kind == typed) {
            return Ok(kind.clone());
        }
        if let Some(kind) = kinds.iter().find(|kind| kind.eq_ignore_ascii_case(typed)) {
            return Ok(kind.clone());
        }
        let suggestion = nearest(typed, kinds.iter().map(String::as_str))
            .map(|kind| format!(" did you mean `{kind}`?"))
            .unwrap_or_default();
        let message = format!(
            "unknown region kind `{typed}`;{suggestion} {}",
            self.imported_kinds()
        );
        Err(SegmentError::at(pos, message))
    }

    fn imported_kinds(&self) -> String {
        if self.schema.region_kinds.is_empty() {
            "no region layers are imported yet".to_string()
        } else {
            format!("imported kinds: {}", self.schema.region_kinds.join(", "))
        }
    }
}

/// An example literal for a field's type, for hints.
fn example_value(resolved: &Resolved) -> &'static str {
    match resolved {
        Resolved::Column(column) if column.field == "state" => "\"PA\"",
        Resolved::Region(_) => "\"PA-07\"",
        _ => "\"…\"",
    }
}

fn attr_key(key: &str, pos: Pos) -> Result<String, SegmentError> {
    // SQLite's JSON path syntax ($."key") has no escape for a double quote.
    if key.is_empty() || key.contains('"') || key.chars().count() > 200 {
        return Err(SegmentError::at(
            pos,
            "attribute names must be 1 to 200 characters long and cannot contain `\"`",
        ));
    }
    Ok(key.to_string())
}

/// Refuses `<`, `<=`, `>`, `>=` on values without an order; `subject` says what has none.
fn no_ordering(subject: String, op: CmpOp, op_pos: Pos) -> Result<(), SegmentError> {
    if !op.is_ordering() {
        return Ok(());
    }
    let message = format!(
        "{subject}, which has no order; use = or != instead of {}",
        op.symbol()
    );
    Err(SegmentError::at(op_pos, message))
}

fn mismatch(field: &FieldRef, literal: &Literal) -> SegmentError {
    let message = format!(
        "{} is {}, but {} is {}",
        field.quoted(),
        field.resolved.ty().describe(),
        literal.value,
        literal.value.kind_name()
    );
    SegmentError::at(literal.pos, message)
}

/// The text a text column is compared with; state codes are upper-cased.
fn column_text(
    field: &FieldRef,
    column: &Column,
    literal: &Literal,
) -> Result<String, SegmentError> {
    match &literal.value {
        Value::Text(text) if column.upper_case => Ok(text.to_ascii_uppercase()),
        Value::Text(text) => Ok(text.clone()),
        _ => Err(mismatch(field, literal)),
    }
}

fn region_text(field: &FieldRef, literal: &Literal) -> Result<String, SegmentError> {
    match &literal.value {
        Value::Text(text) => Ok(text.clone()),
        _ => Err(mismatch(field, literal)),
    }
}

fn attr_scalar(literal: &Literal) -> (AttrKind, Scalar) {
    match &literal.value {
        Value::Text(text) => (AttrKind::Text, Scalar::Text(text.clone())),
        Value::Int(n) => (AttrKind::Number, Scalar::Int(*n)),
        Value::Float(x) => (AttrKind::Number, Scalar::Float(*x)),
        Value::Bool(b) => (AttrKind::Bool, Scalar::Bool(*b)),
    }
}

/// `attr.x in (…)`: every value must be of one kind; booleans become a chain of `or`.
fn attr_in(field: &FieldRef, key: &str, values: &[Literal]) -> Result<Cond, SegmentError> {
    let mut kind = None;
    let mut scalars = Vec::with_capacity(values.len());
    for literal in values {
        let (this_kind, scalar) = attr_scalar(literal);
        if kind.is_some_and(|first| first != this_kind) {
            let message = format!(
                "the values listed for {} must all be numbers, all text or all booleans",
                field.quoted()
            );
            return Err(SegmentError::at(literal.pos, message));
        }
        kind = Some(this_kind);
        scalars.push(scalar);
    }
    let kind = kind.unwrap_or(AttrKind::Text);
    let target = Target::Attr {
        key: key.to_string(),
        kind,
    };
    if kind == AttrKind::Bool {
        let each = scalars.into_iter().map(|value| Cond::Compare {
            target: target.clone(),
            op: CmpOp::Eq,
            value,
        });
        return Ok(Cond::Or(each.collect()));
    }
    Ok(Cond::In {
        target,
        values: scalars,
    })
}
