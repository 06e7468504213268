//! Checks the built-in functions: `within_miles`, `starts_with`, `any_issue`.

use super::ast::{Operand, OperandKind, Value};
use super::check::{Checker, Resolved};
use super::checked::{AttrKind, Circle, Cond, Target};
use super::error::{Pos, SegmentError};
use super::fields::{FieldType, functions, nearest};

/// Largest radius accepted by `within_miles`; see the accuracy notes in the `geo` module.
pub const MAX_RADIUS_MILES: f64 = 500.0;

pub(crate) fn check_call(
    checker: &Checker,
    name: &str,
    args: &[Operand],
    pos: Pos,
) -> Result<Cond, SegmentError> {
    match name.to_ascii_lowercase().as_str() {
        "within_miles" => within_miles(checker, args, pos),
        "starts_with" => starts_with(checker, args, pos),
        "any_issue" => any_issue(args, pos),
        _ => {
            let names = functions().iter().map(|f| f.name);
            let message = match nearest(name, names.clone()) {
                Some(suggestion) => {
                    format!("unknown function `{name}`; did you mean `{suggestion}`?")
                }
                None => format!(
                    "unknown function `{name}`; functions are {}",
                    names.collect::<Vec<_>>().join(", ")
                ),
            };
            Err(SegmentError::at(pos, message))
        }
    }
}

fn within_miles(checker: &Checker, args: &[Operand], pos: Pos) -> Result<Cond, SegmentError> {
    let (lat, lon, miles_arg) = match args {
        [zip, miles] => {
            let OperandKind::Literal(Value::Text(code)) = &zip.kind else {
                let hint = match &zip.kind {
                    OperandKind::Literal(Value::Int(n)) => {
                        format!("; write it in quotes, \"{n:05}\"")
                    }
                    _ => String::new(),
                };
                return Err(SegmentError::at(
                    zip.pos,
                    format!("the ZIP code must be text{hint}"),
                ));
            };
            let Some((lat, lon)) = (checker.schema.zip_centroid)(code) else {
                return Err(SegmentError::at(zip.pos, format!("unknown ZIP \"{code}\"")));
            };
            if !(lat.is_finite() && lon.is_finite()) {
                return Err(SegmentError::at(
                    zip.pos,
                    format!("ZIP \"{code}\" has no usable location"),
                ));
            }
            (lat, lon, miles)
        }
        [lat, lon, miles] => {
            let lat_value = number(lat, "the latitude")?;
            let lon_value = number(lon, "the longitude")?;
            if !(-90.0..=90.0).contains(&lat_value) {
                return Err(SegmentError::at(
                    lat.pos,
                    "the latitude must be between -90 and 90",
                ));
            }
            if !(-180.0..=180.0).contains(&lon_value) {
                return Err(SegmentError::at(
                    lon.pos,
                    "the longitude must be between -180 and 180",
                ));
            }
            (lat_value, lon_value, miles)
        }
        _ => {
            return Err(SegmentError::at(
                pos,
                "within_miles takes a ZIP and a distance, within_miles(\"19103\", 25), \
                 or a latitude, longitude and distance, within_miles(39.95, -75.16, 25)",
            ));
        }
    };
    let miles = number(miles_arg, "the distance in miles")?;
    if !(miles > 0.0 && miles <= MAX_RADIUS_MILES) {
        let message =
            format!("the distance must be more than 0 and at most {MAX_RADIUS_MILES} miles");
        return Err(SegmentError::at(miles_arg.pos, message));
    }
    Ok(Cond::Within(Circle { lat, lon, miles }))
}

fn number(arg: &Operand, what: &str) -> Result<f64, SegmentError> {
    match &arg.kind {
        OperandKind::Literal(Value::Int(n)) => Ok(*n as f64),
        OperandKind::Literal(Value::Float(x)) => Ok(*x),
        _ => Err(SegmentError::at(
            arg.pos,
            format!("{what} must be a number"),
        )),
    }
}

fn starts_with(checker: &Checker, args: &[Operand], pos: Pos) -> Result<Cond, SegmentError> {
    let [field_arg, prefix_arg] = args else {
        return Err(SegmentError::at(
            pos,
            "starts_with takes a field and a prefix, e.g. starts_with(zip, \"191\")",
        ));
    };
    let OperandKind::Field(path) = &field_arg.kind else {
        return Err(SegmentError::at(
            field_arg.pos,
            "the first argument of starts_with must be a field, e.g. zip",
        ));
    };
    let field = checker.field(path, field_arg.pos)?;
    let OperandKind::Literal(Value::Text(prefix)) = &prefix_arg.kind else {
        return Err(SegmentError::at(
            prefix_arg.pos,
            "the prefix must be text, e.g. \"191\"",
        ));
    };
    match field.resolved {
        Resolved::Column(column) if column.ty == FieldType::Text => {
            let prefix = if column.upper_case {
                prefix.to_ascii_uppercase()
            } else {
                prefix.clone()
            };
            Ok(Cond::Prefix {
                target: Target::Column(column.column),
                prefix,
            })
        }
        Resolved::Attr(key) => Ok(Cond::Prefix {
            target: Target::Attr {
                key,
                kind: AttrKind::Text,
            },
            prefix: prefix.clone(),
        }),
        ref other => Err(SegmentError::at(
            field_arg.pos,
            format!(
                "{} is {}; starts_with needs a text field",
                field.quoted(),
                other.ty().describe()
            ),
        )),
    }
}

fn any_issue(args: &[Operand], pos: Pos) -> Result<Cond, SegmentError> {
    if args.is_empty() {
        return Err(SegmentError::at(
            pos,
            "any_issue takes one or more issue names, e.g. any_issue(\"jobs\", \"housing\")",
        ));
    }
    let names = args
        .iter()
        .map(|arg| match &arg.kind {
            OperandKind::Literal(Value::Text(name)) => Ok(name.clone()),
            _ => Err(SegmentError::at(
                arg.pos,
                "issue names are text, e.g. \"healthcare\"",
            )),
        })
        .collect::<Result<_, _>>()?;
    Ok(Cond::HasIssue { names })
}
