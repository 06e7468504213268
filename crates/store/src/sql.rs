//! Writing one statement for two dialects: numbered placeholders and values bound in order.
//!
//! Statements are assembled from fixed text and placeholders only; every value is bound, never pasted.

use crate::Backend;
use sqlx::postgres::PgArguments;
use sqlx::sqlite::SqliteArguments;
use sqlx::{Postgres, Sqlite};

/// A value to bind. `None` binds SQL NULL of the right type.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text.
    Text(Option<String>),
    /// 64-bit integer.
    Int(Option<i64>),
    /// Double.
    Float(Option<f64>),
    /// Boolean (0/1 in SQLite).
    Bool(bool),
}

impl From<&canvass_audience::segment::SqlParam> for Value {
    fn from(p: &canvass_audience::segment::SqlParam) -> Self {
        use canvass_audience::segment::SqlParam;
        match p {
            SqlParam::Text(s) => Value::Text(Some(s.clone())),
            SqlParam::Int(i) => Value::Int(Some(*i)),
            SqlParam::Float(f) => Value::Float(Some(*f)),
            SqlParam::Bool(b) => Value::Bool(*b),
        }
    }
}

/// Builds a statement's text and its values together, so placeholders and binds can never drift apart.
#[derive(Debug)]
pub struct Statement {
    backend: Backend,
    /// The SQL text so far.
    pub sql: String,
    /// The values, in placeholder order.
    pub values: Vec<Value>,
    /// Set once a numbered fragment is appended: sqlx counts anonymous `?` on its own, ignoring `?NNN`, so after
    /// a numbered placeholder every later one must be numbered too.
    numbered: bool,
}

impl Statement {
    /// An empty statement for `backend`.
    pub fn new(backend: Backend) -> Self {
        Statement {
            backend,
            sql: String::new(),
            values: Vec::new(),
            numbered: false,
        }
    }

    /// Appends fixed SQL text.
    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    /// Appends a placeholder bound to `value`.
    pub fn bind(&mut self, value: Value) -> &mut Self {
        self.values.push(value);
        match self.backend {
            // Anonymous `?` where possible: sqlx resolves every named parameter by a linear scan inside SQLite,
            // which makes 18,000-value batch inserts quadratic.
            Backend::Sqlite if !self.numbered => self.sql.push('?'),
            Backend::Sqlite => self.sql.push_str(&format!("?{}", self.values.len())),
            Backend::Postgres => self.sql.push_str(&format!("${}", self.values.len())),
        }
        self
    }

    /// Appends a placeholder with a Postgres cast (`$3::jsonb`); SQLite stores the text as is.
    pub fn bind_cast(&mut self, value: Value, pg_type: &str) -> &mut Self {
        self.bind(value);
        if self.backend == Backend::Postgres {
            self.sql.push_str("::");
            self.sql.push_str(pg_type);
        }
        self
    }

    /// The number of the next placeholder.
    pub fn next_param(&self) -> usize {
        self.values.len() + 1
    }

    /// Appends SQL text that already holds placeholders numbered from [`Statement::next_param`], with its values.
    pub fn push_fragment(
        &mut self,
        sql: &str,
        values: impl IntoIterator<Item = Value>,
    ) -> &mut Self {
        self.numbered = true;
        self.sql.push_str(sql);
        self.values.extend(values);
        self
    }

    /// A SQLite query with every value bound.
    pub fn sqlite(&self) -> sqlx::query::Query<'_, Sqlite, SqliteArguments> {
        bind_all(self.sql.clone(), self.values.iter().cloned())
    }

    /// A SQLite query that takes the statement's text and values instead of copying them (bulk writes).
    pub fn into_sqlite(self) -> sqlx::query::Query<'static, Sqlite, SqliteArguments> {
        bind_all(self.sql, self.values)
    }

    /// A PostgreSQL query with every value bound.
    pub fn postgres(&self) -> sqlx::query::Query<'_, Postgres, PgArguments> {
        bind_all(self.sql.clone(), self.values.iter().cloned())
    }

    /// A PostgreSQL query that takes the statement's text and values instead of copying them (bulk writes).
    pub fn into_postgres(self) -> sqlx::query::Query<'static, Postgres, PgArguments> {
        bind_all(self.sql, self.values)
    }
}

/// `sql` as a query of either backend with `values` bound in order.
fn bind_all<'q, DB: sqlx::Database>(
    sql: String,
    values: impl IntoIterator<Item = Value>,
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>
where
    Option<String>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<i64>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<f64>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    bool: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for v in values {
        q = match v {
            Value::Text(s) => q.bind(s),
            Value::Int(i) => q.bind(i),
            Value::Float(f) => q.bind(f),
            Value::Bool(b) => q.bind(b),
        };
    }
    q
}

/// Runs a statement that returns nothing, on whichever backend the executor is.
#[macro_export]
macro_rules! execute {
    ($store:expr, $stmt:expr) => {
        match $store {
            $crate::Store::Sqlite(pool) => $stmt
                .sqlite()
                .execute(pool)
                .await
                .map(|r| r.rows_affected()),
            $crate::Store::Postgres(pool) => $stmt
                .postgres()
                .execute(pool)
                .await
                .map(|r| r.rows_affected()),
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_placeholders_per_dialect() {
        for (backend, want) in [
            (Backend::Sqlite, "a = ? AND b = ?"),
            (Backend::Postgres, "a = $1 AND b = $2::jsonb"),
        ] {
            let mut s = Statement::new(backend);
            s.push("a = ")
                .bind(Value::Int(Some(1)))
                .push(" AND b = ")
                .bind_cast(Value::Text(None), "jsonb");
            assert_eq!(s.sql, want);
            assert_eq!(s.values.len(), 2);
        }
    }

    #[test]
    fn placeholders_after_a_numbered_fragment_are_numbered() {
        let mut s = Statement::new(Backend::Sqlite);
        s.push("t = ").bind(Value::Int(Some(1))).push(" AND ");
        s.push_fragment("x = ?2 OR y = ?2", [Value::Int(Some(2))]);
        s.push(" LIMIT ").bind(Value::Int(Some(3)));
        assert_eq!(s.sql, "t = ? AND x = ?2 OR y = ?2 LIMIT ?3");
    }
}
