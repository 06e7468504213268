//! Errors as users see them: messages, positions and suggestions.

use super::*;
use crate::segment::*;

/// (expression, error as shown to the user)
const ERRORS: &[(&str, &str)] = &[
    (
        "state = 5",
        "line 1, column 9: `state` is text, but 5 is a number",
    ),
    (
        "zip = \"1\"\n  and zip = 19103",
        "line 2, column 13: `zip` is text, but 19103 is a number",
    ),
    (
        "opted_out = \"yes\"",
        "line 1, column 13: `opted_out` is a boolean, but \"yes\" is text",
    ),
    (
        "opted_out > true",
        "line 1, column 11: `opted_out` is a boolean, which has no order; use = or != instead of >",
    ),
    (
        "opted_out in (true)",
        "line 1, column 1: `opted_out` is a boolean; use = or !=",
    ),
    (
        "issues = \"jobs\"",
        "line 1, column 1: `issues` is a set of issue names; write \"jobs\" in issues",
    ),
    (
        "5 in issues",
        "line 1, column 1: issue names are text, but 5 is a number",
    ),
    (
        "state in issues",
        "line 1, column 1: write the issue as a quoted name, e.g. \"healthcare\" in issues",
    ),
    (
        "\"x\" in state",
        "line 1, column 8: `state` is text, not a set; write state = \"x\"",
    ),
    (
        "\"x\" in 5",
        "line 1, column 8: expected a list such as (\"a\", \"b\") or `issues` after `in`",
    ),
    (
        "issues in (\"a\", \"b\")",
        "line 1, column 1: `issues` is a set; for contacts with any of these issues write any_issue(\"a\", \"b\")",
    ),
    (
        "state",
        "line 1, column 1: `state` is text, not a condition; compare it, e.g. state = \"PA\"",
    ),
    (
        "issues",
        "line 1, column 1: `issues` is a set of issue names, not a condition; write e.g. \"healthcare\" in issues",
    ),
    (
        "attr.vip",
        "line 1, column 1: `attr.vip` is a custom attribute, not a condition; compare it, e.g. attr.vip = true",
    ),
    (
        "5",
        "line 1, column 1: expected a condition, found the value 5",
    ),
    (
        "state = zip",
        "line 1, column 9: compare `state` with a value, not with another field",
    ),
    (
        "5 = 5",
        "line 1, column 1: a comparison needs a field on one side",
    ),
    (
        "5 in (1, 2)",
        "line 1, column 1: the left side of `in (…)` must be a field",
    ),
    (
        "attr.x in (1, \"a\")",
        "line 1, column 15: the values listed for `attr.x` must all be numbers, all text or all booleans",
    ),
    (
        "attr.x > true",
        "line 1, column 8: true is a boolean, which has no order; use = or != instead of >",
    ),
    (
        "district >= \"PA-07\"",
        "line 1, column 10: `district` is a region name, which has no order; use = or != instead of >=",
    ),
    (
        "district = 7",
        "line 1, column 12: `district` is a region name, but 7 is a number",
    ),
    (
        "attr = 1",
        "line 1, column 1: write a custom attribute as attr.NAME, e.g. attr.age",
    ),
    (
        "attr.a.b = 1",
        "line 1, column 1: `attr.` takes one name; quote a name that holds dots, e.g. attr.\"a.b\"",
    ),
    (
        "attr.\"\" = 1",
        "line 1, column 1: attribute names must be 1 to 200 characters long and cannot contain `\"`",
    ),
    ("state.x = 1", "line 1, column 1: unknown field `state.x`"),
    (
        "within_miles(\"99999\", 25)",
        "line 1, column 14: unknown ZIP \"99999\"",
    ),
    (
        "within_miles(19103, 25)",
        "line 1, column 14: the ZIP code must be text; write it in quotes, \"19103\"",
    ),
    (
        "within_miles(\"19103\", 0)",
        "line 1, column 23: the distance must be more than 0 and at most 500 miles",
    ),
    (
        "within_miles(\"19103\", 501)",
        "line 1, column 23: the distance must be more than 0 and at most 500 miles",
    ),
    (
        "within_miles(\"19103\", \"25\")",
        "line 1, column 23: the distance in miles must be a number",
    ),
    (
        "within_miles(91, 0, 5)",
        "line 1, column 14: the latitude must be between -90 and 90",
    ),
    (
        "within_miles(40, 181, 5)",
        "line 1, column 18: the longitude must be between -180 and 180",
    ),
    (
        "within_miles(40, \"x\", 5)",
        "line 1, column 18: the longitude must be a number",
    ),
    (
        "within_miles(\"19103\")",
        "line 1, column 1: within_miles takes a ZIP and a distance, within_miles(\"19103\", 25), \
         or a latitude, longitude and distance, within_miles(39.95, -75.16, 25)",
    ),
    (
        "within_miles(\"19103\", 25) = true",
        "line 1, column 1: `within_miles(…)` is a condition; it cannot be compared",
    ),
    (
        "any_issue(\"a\") in (1)",
        "line 1, column 1: `any_issue(…)` is a condition; it cannot be tested with `in`",
    ),
    (
        "starts_with(issues, \"a\")",
        "line 1, column 13: `issues` is a set of issue names; starts_with needs a text field",
    ),
    (
        "starts_with(zip, 191)",
        "line 1, column 18: the prefix must be text, e.g. \"191\"",
    ),
    (
        "starts_with(\"191\", zip)",
        "line 1, column 13: the first argument of starts_with must be a field, e.g. zip",
    ),
    (
        "starts_with(zip)",
        "line 1, column 1: starts_with takes a field and a prefix, e.g. starts_with(zip, \"191\")",
    ),
    (
        "any_issue()",
        "line 1, column 1: any_issue takes one or more issue names, e.g. any_issue(\"jobs\", \"housing\")",
    ),
    (
        "any_issue(\"a\", 5)",
        "line 1, column 16: issue names are text, e.g. \"healthcare\"",
    ),
];

#[test]
fn type_errors_point_at_the_problem() {
    for (src, expected) in ERRORS {
        assert_eq!(error(src), *expected, "{src}");
    }
}

#[test]
fn unknown_names_suggest_the_nearest() {
    assert_eq!(
        error("stat = \"PA\""),
        "line 1, column 1: unknown field `stat`; did you mean `state`?"
    );
    assert_eq!(
        error("isues = 1"),
        "line 1, column 1: unknown field `isues`; did you mean `issues`?"
    );
    assert_eq!(
        error("age >= 30"),
        "line 1, column 1: unknown field `age`; custom attributes are written attr.age"
    );
    assert_eq!(
        error("within_mile(\"19103\", 5)"),
        "line 1, column 1: unknown function `within_mile`; did you mean `within_miles`?"
    );
    assert_eq!(
        error("frobnicate()"),
        "line 1, column 1: unknown function `frobnicate`; functions are within_miles, starts_with, any_issue"
    );
    assert_eq!(
        error("region.precint = \"1\""),
        "line 1, column 1: unknown region kind `precint`; did you mean `precinct`? \
         imported kinds: congressional_district, precinct"
    );
    assert_eq!(
        error("region.school = \"1\""),
        "line 1, column 1: unknown region kind `school`; imported kinds: congressional_district, precinct"
    );
}

#[test]
fn region_kinds_come_from_the_schema() {
    let bare = Schema {
        region_kinds: vec![],
        zip_centroid: &centroid,
    };
    let err = compile("district = \"PA-07\"", &bare).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 1, column 1: `district` needs a region layer of kind congressional_district, and none is imported; \
         import one with `canvass regions import FILE --kind congressional_district`"
    );
    let err = compile("region.precinct = \"1\"", &bare).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 1, column 1: unknown region kind `precinct`; no region layers are imported yet"
    );
    // Kinds match case-insensitively, and the SQL uses the kind as imported.
    let got = sql("region.PRECINCT = \"1\"", Dialect::Sqlite);
    assert_eq!(got.params[1], text("precinct"));
}
