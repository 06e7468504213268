//! End-to-end tests of the segment language: errors as users see them, and the exact SQL for both dialects.

mod errors;
mod properties;
mod sql;

use super::*;

fn centroid(zip: &str) -> Option<(f64, f64)> {
    match zip {
        "19103" => Some((39.9525, -75.1727)),
        _ => None,
    }
}

fn schema() -> Schema<'static> {
    Schema {
        region_kinds: vec!["congressional_district".into(), "precinct".into()],
        zip_centroid: &centroid,
    }
}

fn sql(src: &str, dialect: Dialect) -> SqlWhere {
    let checked = compile(src, &schema()).unwrap_or_else(|e| panic!("{src}: {e}"));
    to_sql(&checked, dialect, 7, 2)
}

fn sqlite(src: &str) -> String {
    sql(src, Dialect::Sqlite).sql
}

fn postgres(src: &str) -> String {
    sql(src, Dialect::Postgres).sql
}

fn error(src: &str) -> String {
    compile(src, &schema()).unwrap_err().to_string()
}

fn text(s: &str) -> SqlParam {
    SqlParam::Text(s.to_string())
}
