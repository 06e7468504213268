//! Writes a checked segment as a parameterised SQL condition on `contacts c`.
//!
//! Every value typed by the user travels as a bound parameter; the SQL text is built only from this module's
//! own fixed strings and placeholder numbers.
//!
//! NULL semantics: a condition on a missing value is false, and `not` is its exact complement. `state != "PA"`
//! therefore includes contacts with no state, and `not attr.age >= 30` includes contacts without an age. The
//! writer pushes `not` down to the atoms (De Morgan) so that the positive atoms stay index-friendly
//! (`c.state = ?`), and writes each negated atom so that it is never NULL: `IS NOT` / `IS DISTINCT FROM` for
//! equality, `(…) IS NOT TRUE` otherwise.

use std::fmt::Write as _;

use super::ast::CmpOp;
use super::checked::{AttrKind, Checked, Cond, Scalar, Target};
use super::geo::RadiusBounds;

/// Which SQL to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// `?NNN` placeholders; booleans are 0/1; attributes through `json_extract`/`json_type`.
    Sqlite,
    /// `$N` placeholders with explicit casts; attributes through `jsonb` operators.
    Postgres,
}

/// A value to bind, in placeholder order.
#[derive(Clone, Debug, PartialEq)]
pub enum SqlParam {
    /// Bind as text.
    Text(String),
    /// Bind as a 64-bit integer.
    Int(i64),
    /// Bind as a double.
    Float(f64),
    /// Bind as a boolean (SQLite stores it as 0/1).
    Bool(bool),
}

/// A SQL condition and its parameters. `params[i]` binds placeholder number `first_param + i`.
#[derive(Clone, Debug, PartialEq)]
pub struct SqlWhere {
    /// The condition; it refers to the contact row as `c`.
    pub sql: String,
    /// Values for the placeholders, in order.
    pub params: Vec<SqlParam>,
}

/// Compiles a checked segment for `dialect`. Placeholders are numbered from `first_param`; a placeholder may
/// appear more than once in the text (the tenant id in each subquery, a JSON key read twice).
pub fn to_sql(checked: &Checked, dialect: Dialect, tenant_id: i64, first_param: usize) -> SqlWhere {
    let mut writer = Writer {
        dialect,
        sql: String::new(),
        params: Vec::new(),
        first_param,
        tenant_id,
        tenant: None,
    };
    writer.cond(&checked.cond, false);
    SqlWhere {
        sql: writer.sql,
        params: writer.params,
    }
}

struct Writer {
    dialect: Dialect,
    sql: String,
    params: Vec<SqlParam>,
    first_param: usize,
    tenant_id: i64,
    /// The placeholder holding the tenant id, once a subquery needs it.
    tenant: Option<String>,
}

/// A condition that writes as several terms joined by AND/OR, so needs parentheses inside another.
fn is_compound(cond: &Cond) -> bool {
    match cond {
        Cond::And(parts) | Cond::Or(parts) => parts.len() > 1,
        Cond::Not(inner) => is_compound(inner),
        _ => false,
    }
}

impl Writer {
    /// Binds a parameter and returns its placeholder, cast to its type on Postgres.
    fn bind(&mut self, param: SqlParam) -> String {
        let cast = match param {
            SqlParam::Text(_) => "text",
            SqlParam::Int(_) => "bigint",
            SqlParam::Float(_) => "float8",
            SqlParam::Bool(_) => "boolean",
        };
        self.bind_as(param, cast)
    }

    /// Binds a parameter with an explicit Postgres cast.
    fn bind_as(&mut self, param: SqlParam, postgres_cast: &str) -> String {
        self.params.push(param);
        let number = self.first_param + self.params.len() - 1;
        match self.dialect {
            Dialect::Sqlite => format!("?{number}"),
            Dialect::Postgres => format!("${number}::{postgres_cast}"),
        }
    }

    fn tenant(&mut self) -> String {
        if let Some(placeholder) = &self.tenant {
            return placeholder.clone();
        }
        let placeholder = self.bind(SqlParam::Int(self.tenant_id));
        self.tenant = Some(placeholder.clone());
        placeholder
    }

    /// Writes `cond`, or its complement when `negated`.
    fn cond(&mut self, cond: &Cond, negated: bool) {
        match cond {
            Cond::And(parts) => self.join(parts, negated, if negated { " OR " } else { " AND " }),
            Cond::Or(parts) => self.join(parts, negated, if negated { " AND " } else { " OR " }),
            Cond::Not(inner) => self.cond(inner, !negated),
            Cond::BoolColumn { column, value } => {
                // The column is NOT NULL, so NOT is an exact complement.
                let not = if *value == negated { "NOT " } else { "" };
                let _ = write!(self.sql, "{not}c.{column}");
            }
            Cond::Compare { target, op, value } => self.compare(target, *op, value, negated),
            Cond::In { target, values } => {
                let target_sql = self.target(target);
                let placeholders: Vec<String> =
                    values.iter().map(|v| self.bind_value(target, v)).collect();
                let positive = format!("{target_sql} IN ({})", placeholders.join(", "));
                self.atom(positive, negated);
            }
            Cond::Prefix { target, prefix } => {
                let target_sql = self.target(target);
                let pattern = self.bind(SqlParam::Text(like_prefix(prefix)));
                // SQLite's LIKE ignores ASCII case; ILIKE makes Postgres agree.
                let like = match self.dialect {
                    Dialect::Sqlite => "LIKE",
                    Dialect::Postgres => "ILIKE",
                };
                self.atom(
                    format!("{target_sql} {like} {pattern} ESCAPE '\\'"),
                    negated,
                );
            }
            // Issues are broad (a third of a file cares about the economy): a correlated EXISTS probes the link
            // table's primary key for each candidate row, where `c.id IN (…)` would first materialise hundreds of
            // thousands of ids. Regions are narrow, so they keep the IN form that drives the scan from the region.
            Cond::HasIssue { names } => {
                let tenant = self.tenant();
                let names = self.name_test("i.name", names);
                let _ = write!(
                    self.sql,
                    "{}EXISTS (SELECT 1 FROM contact_issues ci WHERE ci.contact_id = c.id AND ci.issue_id IN \
                     (SELECT i.id FROM issues i WHERE i.tenant_id = {tenant} AND {names}))",
                    if negated { "NOT " } else { "" }
                );
            }
            Cond::InRegion { kind, names } => {
                let tenant = self.tenant();
                let kind = self.bind(SqlParam::Text(kind.clone()));
                let names = self.name_test("r.name", names);
                let _ = write!(
                    self.sql,
                    "c.id {}IN (SELECT cr.contact_id FROM contact_regions cr WHERE cr.region_id IN \
                     (SELECT r.id FROM regions r JOIN region_layers l ON l.id = r.layer_id \
                     WHERE l.tenant_id = {tenant} AND l.kind = {kind} AND {names}))",
                    if negated { "NOT " } else { "" }
                );
            }
            Cond::Within(circle) => {
                let terms = self.within(RadiusBounds::new(*circle));
                if negated {
                    self.atom(terms, true);
                } else {
                    let _ = write!(self.sql, "({terms})");
                }
            }
        }
    }

    fn join(&mut self, parts: &[Cond], negated: bool, joiner: &str) {
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                self.sql.push_str(joiner);
            }
            if is_compound(part) {
                self.sql.push('(');
                self.cond(part, negated);
                self.sql.push(')');
            } else {
                self.cond(part, negated);
            }
        }
    }

    /// Writes a nullable atom, or a never-NULL complement of it.
    fn atom(&mut self, positive: String, negated: bool) {
        if negated {
            let _ = write!(self.sql, "({positive}) IS NOT TRUE");
        } else {
            self.sql.push_str(&positive);
        }
    }

    fn compare(&mut self, target: &Target, op: CmpOp, value: &Scalar, negated: bool) {
        let target_sql = self.target(target);
        if let Target::Attr {
            kind: AttrKind::Bool,
            ..
        } = target
        {
            // A JSON boolean: compare the JSON value itself; the op is = (the checker refuses orderings).
            let placeholder = self.bind_value(target, value);
            let positive = match self.dialect {
                Dialect::Sqlite => format!("{target_sql} = {placeholder}"),
                Dialect::Postgres => format!("{target_sql} = to_jsonb({placeholder})"),
            };
            return self.atom(positive, negated);
        }
        let placeholder = self.bind_value(target, value);
        if negated && op == CmpOp::Eq {
            let distinct = match self.dialect {
                Dialect::Sqlite => "IS NOT",
                Dialect::Postgres => "IS DISTINCT FROM",
            };
            let _ = write!(self.sql, "{target_sql} {distinct} {placeholder}");
        } else {
            self.atom(
                format!("{target_sql} {} {placeholder}", sql_operator(op)),
                negated,
            );
        }
    }

    /// Binds a literal compared with `target`. Attribute booleans bind as the `json_type` name on SQLite.
    fn bind_value(&mut self, target: &Target, value: &Scalar) -> String {
        let number_cast = matches!(
            target,
            Target::Attr {
                kind: AttrKind::Number,
                ..
            }
        );
        match value {
            Scalar::Text(text) => self.bind(SqlParam::Text(text.clone())),
            Scalar::Int(n) if number_cast => self.bind_as(SqlParam::Int(*n), "float8"),
            Scalar::Int(n) => self.bind(SqlParam::Int(*n)),
            Scalar::Float(x) => self.bind(SqlParam::Float(*x)),
            Scalar::Bool(b) => match self.dialect {
                Dialect::Sqlite => self.bind(SqlParam::Text(
                    if *b { "true" } else { "false" }.to_string(),
                )),
                Dialect::Postgres => self.bind(SqlParam::Bool(*b)),
            },
        }
    }

    /// The SQL expression a comparison reads: a column, or a JSON attribute that is NULL unless it holds a
    /// value of the compared kind (so that text never compares with numbers, and no cast can fail).
    fn target(&mut self, target: &Target) -> String {
        let (key, kind) = match target {
            Target::Column(column) => return format!("c.{column}"),
            Target::Attr { key, kind } => (key, kind),
        };
        match self.dialect {
            Dialect::Sqlite => {
                let path = self.bind(SqlParam::Text(format!("$.\"{key}\"")));
                match kind {
                    AttrKind::Number => format!(
                        "CASE WHEN json_type(c.attrs, {path}) IN ('integer', 'real') THEN json_extract(c.attrs, {path}) END"
                    ),
                    AttrKind::Text => {
                        format!(
                            "CASE WHEN json_type(c.attrs, {path}) = 'text' THEN json_extract(c.attrs, {path}) END"
                        )
                    }
                    AttrKind::Bool => format!("json_type(c.attrs, {path})"),
                }
            }
            Dialect::Postgres => {
                let key = self.bind(SqlParam::Text(key.clone()));
                match kind {
                    AttrKind::Number => format!(
                        "CASE WHEN jsonb_typeof(c.attrs -> {key}) = 'number' THEN (c.attrs ->> {key})::float8 END"
                    ),
                    AttrKind::Text => {
                        format!(
                            "CASE WHEN jsonb_typeof(c.attrs -> {key}) = 'string' THEN c.attrs ->> {key} END"
                        )
                    }
                    AttrKind::Bool => format!("(c.attrs -> {key})"),
                }
            }
        }
    }

    /// `column = ?` for one name, `column IN (?, ?)` for several.
    fn name_test(&mut self, column: &str, names: &[String]) -> String {
        let placeholders: Vec<String> = names
            .iter()
            .map(|name| self.bind(SqlParam::Text(name.clone())))
            .collect();
        match placeholders.as_slice() {
            [one] => format!("{column} = {one}"),
            many => format!("{column} IN ({})", many.join(", ")),
        }
    }

    /// The radius test's terms, joined by AND, without enclosing parentheses.
    fn within(&mut self, bounds: RadiusBounds) -> String {
        let lat_min = self.bind(SqlParam::Float(bounds.lat_min));
        let lat_max = self.bind(SqlParam::Float(bounds.lat_max));
        let mut sql = format!("c.lat BETWEEN {lat_min} AND {lat_max}");
        if let Some((west, east)) = bounds.lon_range {
            let west = self.bind(SqlParam::Float(west));
            let east = self.bind(SqlParam::Float(east));
            let _ = write!(sql, " AND c.lon BETWEEN {west} AND {east}");
        }
        let lon0 = self.bind(SqlParam::Float(bounds.lon0));
        let cos_lat0 = self.bind(SqlParam::Float(bounds.cos_lat0));
        let cos_slope = self.bind(SqlParam::Float(bounds.cos_slope));
        let lat0 = self.bind(SqlParam::Float(bounds.lat0));
        let radius_sq = self.bind(SqlParam::Float(bounds.radius_deg_sq));
        let x = format!("((c.lon - {lon0}) * ({cos_lat0} - {cos_slope} * (c.lat - {lat0})))");
        let y = format!("(c.lat - {lat0})");
        let _ = write!(sql, " AND {x} * {x} + {y} * {y} <= {radius_sq}");
        sql
    }
}

fn sql_operator(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "=",
        CmpOp::Ne => "<>",
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
    }
}

/// A LIKE pattern matching values that begin with `prefix`, with `\` as the escape character.
fn like_prefix(prefix: &str) -> String {
    let mut pattern = String::with_capacity(prefix.len() + 1);
    for c in prefix.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}
