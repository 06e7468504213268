//! The exact SQL written for both dialects, and the order of its parameters.

use super::*;
use crate::segment::*;

const EXAMPLE: &str = r#"state in ("PA", "OH") and "healthcare" in issues and district = "PA-07"
  and within_miles("19103", 25) and not opted_out and attr.age >= 30"#;

const ISSUE_SUBQUERY_SQLITE: &str = "EXISTS (SELECT 1 FROM contact_issues ci WHERE ci.contact_id = c.id AND ci.issue_id IN \
     (SELECT i.id FROM issues i WHERE i.tenant_id = ?4 AND i.name = ?5))";

#[test]
fn example_compiles_for_sqlite() {
    let got = sql(EXAMPLE, Dialect::Sqlite);
    let expected = format!(
        "c.state IN (?2, ?3) AND {ISSUE_SUBQUERY_SQLITE} AND c.id IN (SELECT cr.contact_id FROM contact_regions cr \
         WHERE cr.region_id IN (SELECT r.id FROM regions r JOIN region_layers l ON l.id = r.layer_id \
         WHERE l.tenant_id = ?4 AND l.kind = ?6 AND r.name = ?7)) \
         AND (c.lat BETWEEN ?8 AND ?9 AND c.lon BETWEEN ?10 AND ?11 \
         AND ((c.lon - ?12) * (?13 - ?14 * (c.lat - ?15))) * ((c.lon - ?12) * (?13 - ?14 * (c.lat - ?15))) \
         + (c.lat - ?15) * (c.lat - ?15) <= ?16) \
         AND NOT c.opted_out \
         AND CASE WHEN json_type(c.attrs, ?17) IN ('integer', 'real') THEN json_extract(c.attrs, ?17) END >= ?18"
    );
    assert_eq!(got.sql, expected);
    assert_eq!(got.params.len(), 17, "placeholders ?2..=?18");
    assert_eq!(
        &got.params[..6],
        &[
            text("PA"),
            text("OH"),
            SqlParam::Int(7),
            text("healthcare"),
            text("congressional_district"),
            text("PA-07")
        ]
    );
    assert_eq!(&got.params[15..], &[text("$.\"age\""), SqlParam::Int(30)]);
    let SqlParam::Float(lat0) = got.params[13] else {
        panic!("lat0 is a float")
    };
    assert_eq!(lat0, 39.9525);
    let SqlParam::Float(cos_lat0) = got.params[11] else {
        panic!("cos is a float")
    };
    assert!((cos_lat0 - 39.9525f64.to_radians().cos()).abs() < 1e-12);
}

#[test]
fn example_compiles_for_postgres() {
    let got = sql(EXAMPLE, Dialect::Postgres);
    let expected = "c.state IN ($2::text, $3::text) AND EXISTS (SELECT 1 FROM contact_issues ci \
         WHERE ci.contact_id = c.id AND ci.issue_id IN (SELECT i.id FROM issues i WHERE i.tenant_id = $4::bigint AND i.name = $5::text)) \
         AND c.id IN (SELECT cr.contact_id FROM contact_regions cr WHERE cr.region_id IN (SELECT r.id FROM regions r \
         JOIN region_layers l ON l.id = r.layer_id WHERE l.tenant_id = $4::bigint AND l.kind = $6::text \
         AND r.name = $7::text)) \
         AND (c.lat BETWEEN $8::float8 AND $9::float8 AND c.lon BETWEEN $10::float8 AND $11::float8 \
         AND ((c.lon - $12::float8) * ($13::float8 - $14::float8 * (c.lat - $15::float8))) \
         * ((c.lon - $12::float8) * ($13::float8 - $14::float8 * (c.lat - $15::float8))) \
         + (c.lat - $15::float8) * (c.lat - $15::float8) <= $16::float8) \
         AND NOT c.opted_out \
         AND CASE WHEN jsonb_typeof(c.attrs -> $17::text) = 'number' THEN (c.attrs ->> $17::text)::float8 END \
         >= $18::float8";
    assert_eq!(got.sql, expected);
    assert_eq!(got.params[15..], [text("age"), SqlParam::Int(30)]);
    // Both dialects bind the same values, except the JSON path spelling.
    let sqlite = sql(EXAMPLE, Dialect::Sqlite);
    assert_eq!(got.params[..15], sqlite.params[..15]);
}

/// (expression, SQLite, Postgres, parameters) with the store's numbering (tenant 7, first parameter 2).
const ATOMS: &[(&str, &str, &str)] = &[
    ("state = \"pa\"", "c.state = ?2", "c.state = $2::text"),
    ("\"PA\" = state", "c.state = ?2", "c.state = $2::text"),
    (
        "state != \"PA\"",
        "c.state IS NOT ?2",
        "c.state IS DISTINCT FROM $2::text",
    ),
    (
        "given_name < \"M\"",
        "c.given_name < ?2",
        "c.given_name < $2::text",
    ),
    (
        "\"M\" < last_name",
        "c.family_name > ?2",
        "c.family_name > $2::text",
    ),
    (
        "not county >= \"M\"",
        "(c.county_name >= ?2) IS NOT TRUE",
        "(c.county_name >= $2::text) IS NOT TRUE",
    ),
    (
        "county_fips not in (\"42101\")",
        "(c.county_fips IN (?2)) IS NOT TRUE",
        "(c.county_fips IN ($2::text)) IS NOT TRUE",
    ),
    ("opted_out", "c.opted_out", "c.opted_out"),
    ("opted_out = false", "NOT c.opted_out", "NOT c.opted_out"),
    ("opted_out != false", "c.opted_out", "c.opted_out"),
    ("not not opted_out", "c.opted_out", "c.opted_out"),
    (
        "time_zone = \"America/New_York\" or phone = \"+12155550100\"",
        "c.time_zone = ?2 OR c.phone = ?3",
        "c.time_zone = $2::text OR c.phone = $3::text",
    ),
    (
        "not (zip = \"1\" or zip = \"2\")",
        "c.zip IS NOT ?2 AND c.zip IS NOT ?3",
        "c.zip IS DISTINCT FROM $2::text AND c.zip IS DISTINCT FROM $3::text",
    ),
    (
        "not (zip = \"1\" and (zip = \"2\" or opted_out))",
        "c.zip IS NOT ?2 OR (c.zip IS NOT ?3 AND NOT c.opted_out)",
        "c.zip IS DISTINCT FROM $2::text OR (c.zip IS DISTINCT FROM $3::text AND NOT c.opted_out)",
    ),
    (
        "starts_with(zip, \"1_%\\\\\")",
        "c.zip LIKE ?2 ESCAPE '\\'",
        "c.zip ILIKE $2::text ESCAPE '\\'",
    ),
    (
        "not starts_with(state, \"p\")",
        "(c.state LIKE ?2 ESCAPE '\\') IS NOT TRUE",
        "(c.state ILIKE $2::text ESCAPE '\\') IS NOT TRUE",
    ),
    (
        "\"jobs\" not in issues",
        "NOT EXISTS (SELECT 1 FROM contact_issues ci WHERE ci.contact_id = c.id AND ci.issue_id IN (SELECT i.id FROM issues i WHERE i.tenant_id = ?2 AND i.name = ?3))",
        "NOT EXISTS (SELECT 1 FROM contact_issues ci WHERE ci.contact_id = c.id AND ci.issue_id IN (SELECT i.id FROM issues i WHERE i.tenant_id = $2::bigint AND i.name = $3::text))",
    ),
    (
        "any_issue(\"a\", \"b\")",
        "EXISTS (SELECT 1 FROM contact_issues ci WHERE ci.contact_id = c.id AND ci.issue_id IN (SELECT i.id FROM issues i WHERE i.tenant_id = ?2 AND i.name IN (?3, ?4)))",
        "EXISTS (SELECT 1 FROM contact_issues ci WHERE ci.contact_id = c.id AND ci.issue_id IN (SELECT i.id FROM issues i WHERE i.tenant_id = $2::bigint AND i.name IN ($3::text, $4::text)))",
    ),
    (
        "region.precinct not in (\"1\", \"2\")",
        "c.id NOT IN (SELECT cr.contact_id FROM contact_regions cr WHERE cr.region_id IN (SELECT r.id FROM regions r JOIN region_layers l ON l.id = r.layer_id WHERE l.tenant_id = ?2 AND l.kind = ?3 AND r.name IN (?4, ?5)))",
        "c.id NOT IN (SELECT cr.contact_id FROM contact_regions cr WHERE cr.region_id IN (SELECT r.id FROM regions r JOIN region_layers l ON l.id = r.layer_id WHERE l.tenant_id = $2::bigint AND l.kind = $3::text AND r.name IN ($4::text, $5::text)))",
    ),
    (
        "attr.name = \"Bo\"",
        "CASE WHEN json_type(c.attrs, ?2) = 'text' THEN json_extract(c.attrs, ?2) END = ?3",
        "CASE WHEN jsonb_typeof(c.attrs -> $2::text) = 'string' THEN c.attrs ->> $2::text END = $3::text",
    ),
    (
        "attr.name != \"Bo\"",
        "CASE WHEN json_type(c.attrs, ?2) = 'text' THEN json_extract(c.attrs, ?2) END IS NOT ?3",
        "CASE WHEN jsonb_typeof(c.attrs -> $2::text) = 'string' THEN c.attrs ->> $2::text END IS DISTINCT FROM $3::text",
    ),
    (
        "attr.score not in (1, 2.5)",
        "(CASE WHEN json_type(c.attrs, ?2) IN ('integer', 'real') THEN json_extract(c.attrs, ?2) END IN (?3, ?4)) IS NOT TRUE",
        "(CASE WHEN jsonb_typeof(c.attrs -> $2::text) = 'number' THEN (c.attrs ->> $2::text)::float8 END IN ($3::float8, $4::float8)) IS NOT TRUE",
    ),
    (
        "attr.vip = true",
        "json_type(c.attrs, ?2) = ?3",
        "(c.attrs -> $2::text) = to_jsonb($3::boolean)",
    ),
    (
        "attr.vip != true",
        "(json_type(c.attrs, ?2) = ?3) IS NOT TRUE",
        "((c.attrs -> $2::text) = to_jsonb($3::boolean)) IS NOT TRUE",
    ),
    (
        "attr.vip in (true, false)",
        "json_type(c.attrs, ?2) = ?3 OR json_type(c.attrs, ?4) = ?5",
        "(c.attrs -> $2::text) = to_jsonb($3::boolean) OR (c.attrs -> $4::text) = to_jsonb($5::boolean)",
    ),
    (
        "starts_with(attr.code, \"A\")",
        "CASE WHEN json_type(c.attrs, ?2) = 'text' THEN json_extract(c.attrs, ?2) END LIKE ?3 ESCAPE '\\'",
        "CASE WHEN jsonb_typeof(c.attrs -> $2::text) = 'string' THEN c.attrs ->> $2::text END ILIKE $3::text ESCAPE '\\'",
    ),
];

#[test]
fn atoms_compile_to_the_expected_sql() {
    for (src, sqlite_sql, postgres_sql) in ATOMS {
        assert_eq!(sqlite(src), *sqlite_sql, "SQLite: {src}");
        assert_eq!(postgres(src), *postgres_sql, "Postgres: {src}");
    }
}

#[test]
fn parameters_follow_placeholder_order() {
    let got = sql(
        "starts_with(zip, \"1_%\\\\\") and state in (\"pa\", \"oh\")",
        Dialect::Sqlite,
    );
    assert_eq!(
        got.params,
        vec![text("1\\_\\%\\\\%"), text("PA"), text("OH")]
    );
    let got = sql(
        "attr.vip = true and not attr.n >= 2.5 and district = \"x\"",
        Dialect::Postgres,
    );
    assert_eq!(
        got.params,
        vec![
            text("vip"),
            SqlParam::Bool(true),
            text("n"),
            SqlParam::Float(2.5),
            SqlParam::Int(7),
            text("congressional_district"),
            text("x")
        ]
    );
    let got = sql("attr.vip = false", Dialect::Sqlite);
    assert_eq!(got.params, vec![text("$.\"vip\""), text("false")]);
}

#[test]
fn numbering_starts_at_first_param_and_the_tenant_is_bound_once() {
    let checked = compile("\"a\" in issues or district = \"PA-07\"", &schema()).unwrap();
    let got = to_sql(&checked, Dialect::Sqlite, 42, 5);
    assert!(
        got.sql.contains("i.tenant_id = ?5 AND i.name = ?6"),
        "{}",
        got.sql
    );
    assert!(
        got.sql
            .contains("l.tenant_id = ?5 AND l.kind = ?7 AND r.name = ?8"),
        "{}",
        got.sql
    );
    assert_eq!(
        got.params,
        vec![
            SqlParam::Int(42),
            text("a"),
            text("congressional_district"),
            text("PA-07")
        ]
    );
    let got = to_sql(
        &compile("zip = \"1\"", &schema()).unwrap(),
        Dialect::Postgres,
        42,
        1,
    );
    assert_eq!(
        (got.sql.as_str(), got.params.as_slice()),
        ("c.zip = $1::text", &[text("1")][..])
    );
}

#[test]
fn user_text_never_reaches_the_sql() {
    let hostile = r#"x'); DROP TABLE contacts; --"#;
    let src = format!(
        "zip = {0} or {0} in issues or district = {0} or attr.{0} = {0} or starts_with(phone, {0})",
        Value::Text(hostile.to_string())
    );
    for dialect in [Dialect::Sqlite, Dialect::Postgres] {
        let got = sql(&src, dialect);
        assert!(!got.sql.contains("DROP"), "{}", got.sql);
        assert!(got.params.iter().any(|p| *p == text(hostile)));
    }
}

#[test]
fn within_miles_from_a_point_or_a_zip() {
    let from_zip = sql("within_miles(\"19103\", 25)", Dialect::Sqlite);
    let from_point = sql("within_miles(39.9525, -75.1727, 25)", Dialect::Sqlite);
    assert_eq!(from_zip, from_point);
    let SqlParam::Float(lat_min) = from_zip.params[0] else {
        panic!("float")
    };
    assert!((lat_min - (39.9525 - 25.0 / geo::MILES_PER_DEGREE)).abs() < 1e-9);
    // Near the antimeridian the longitude box is dropped; the distance test remains.
    let aleutians = sql("within_miles(52.0, 179.9, 25)", Dialect::Sqlite).sql;
    assert!(!aleutians.contains("c.lon BETWEEN"), "{aleutians}");
    assert!(
        aleutians.starts_with("(c.lat BETWEEN ?2 AND ?3 AND ((c.lon - ?4)"),
        "{aleutians}"
    );
    let negated = sql("not within_miles(\"19103\", 1)", Dialect::Postgres).sql;
    assert!(
        negated.starts_with("(c.lat BETWEEN $2::float8") && negated.ends_with(") IS NOT TRUE"),
        "{negated}"
    );
}

#[test]
fn checked_keeps_the_canonical_text() {
    let checked = compile("NOT opted_out AND State == \"pa\"", &schema()).unwrap();
    assert_eq!(
        checked.expr().to_string(),
        "not opted_out and State = \"pa\""
    );
}
#[test]
fn aliases_and_case() {
    assert_eq!(
        sqlite("GIVEN_NAME = \"Ann\" and family_name = \"Lee\""),
        "c.given_name = ?2 AND c.family_name = ?3"
    );
    assert_eq!(
        sqlite("first_name = \"Ann\" and last_name = \"Lee\""),
        "c.given_name = ?2 AND c.family_name = ?3"
    );
    assert_eq!(
        sql("district = \"PA-07\"", Dialect::Sqlite),
        sql("region.congressional_district = \"PA-07\"", Dialect::Sqlite)
    );
    assert_eq!(
        sql("county_name = \"Bucks\"", Dialect::Sqlite),
        sql("county = \"Bucks\"", Dialect::Sqlite)
    );
    assert_eq!(
        sql("state = \"pa\"", Dialect::Sqlite).params,
        vec![text("PA")]
    );
    // Only state codes are normalised; attribute names keep their case.
    assert_eq!(
        sql("zip = \"ab\" and attr.Age = 1", Dialect::Sqlite).params[..2],
        [text("ab"), text("$.\"Age\"")]
    );
}

#[test]
fn deep_and_long_inputs_compile_without_overflow() {
    let nested = format!("{}opted_out{}", "not (".repeat(31), ")".repeat(31));
    assert_eq!(sqlite(&nested), "NOT c.opted_out");
    let chain = vec!["zip = \"1\""; 700].join(" or ");
    let got = sql(&chain, Dialect::Sqlite);
    assert_eq!(got.params.len(), 700);
    assert!(got.sql.ends_with("OR c.zip = ?701"));
}
