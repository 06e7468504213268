use super::*;

const TOML: &str = r#"
[[rules]]
prefix = "+1215"
tenant = 2
channel = "sms"
routes = ["philly-a", "philly-b"]

[[rules]]
carrier = "Verizon"
channel = "mms"
routes = ["vzw-mm7"]

[[rules]]
channel = "rcs"
routes = ["rbm"]

[[rules]]
routes = ["smpp-a", "smpp-b", "smpp-c"]
mode = "round_robin"
"#;

fn table() -> RouteTable {
    toml::from_str(TOML).expect("the example parses")
}

fn query(to: &str, tenant: i64, channel: Channel) -> RouteQuery<'_> {
    RouteQuery {
        to,
        tenant: TenantId(tenant),
        channel,
        carrier: None,
    }
}

fn all(_: &str) -> bool {
    true
}

#[test]
fn the_first_matching_rule_decides() {
    let table = table();
    let philly = query("+12155550100", 2, Channel::Sms);
    assert_eq!(table.select(&philly, all).as_deref(), Some("philly-a"));
    // Same prefix, other tenant: falls to the catch-all.
    let other = query("+12155550100", 3, Channel::Sms);
    assert_eq!(
        table.rule_for(&other).map(|r| r.mode),
        Some(Mode::RoundRobin)
    );
    // Same tenant, other channel: the RCS rule.
    let rcs = query("+12155550100", 2, Channel::Rcs);
    assert_eq!(table.select(&rcs, all).as_deref(), Some("rbm"));
}

#[test]
fn failover_takes_the_first_healthy_route() {
    let table = table();
    let philly = query("+12155550100", 2, Channel::Sms);
    let a_down = |r: &str| r != "philly-a";
    assert_eq!(table.select(&philly, a_down).as_deref(), Some("philly-b"));
    assert_eq!(table.candidates(&philly, all), ["philly-a", "philly-b"]);
    assert_eq!(table.candidates(&philly, a_down), ["philly-b"]);
}

#[test]
fn a_rule_with_every_route_down_gives_no_route_rather_than_falling_through() {
    let table = table();
    let philly = query("+12155550100", 2, Channel::Sms);
    let philly_down = |r: &str| !r.starts_with("philly");
    assert_eq!(table.select(&philly, philly_down), None);
    assert!(table.candidates(&philly, philly_down).is_empty());
}

#[test]
fn round_robin_rotates_among_the_healthy() {
    let table = table();
    let q = query("+442071234567", 1, Channel::Sms);
    let picks: Vec<String> = (0..6).filter_map(|_| table.select(&q, all)).collect();
    assert_eq!(
        picks,
        ["smpp-a", "smpp-b", "smpp-c", "smpp-a", "smpp-b", "smpp-c"]
    );
    let b_down = |r: &str| r != "smpp-b";
    let picks: Vec<String> = (0..4).filter_map(|_| table.select(&q, b_down)).collect();
    assert_eq!(picks, ["smpp-a", "smpp-c", "smpp-a", "smpp-c"]);
    // Candidates start where the rotation stands (10 turns taken: 10 % 3 = 1) and do not move it.
    assert_eq!(table.candidates(&q, all), ["smpp-b", "smpp-c", "smpp-a"]);
    assert_eq!(table.candidates(&q, all), ["smpp-b", "smpp-c", "smpp-a"]);
}

#[test]
fn carrier_rules_need_a_known_carrier_and_ignore_case() {
    let table = table();
    let mut q = query("+13125550100", 1, Channel::Mms);
    assert_eq!(table.select(&q, all).as_deref(), Some("smpp-a"));
    q.carrier = Some("VERIZON");
    assert_eq!(table.select(&q, all).as_deref(), Some("vzw-mm7"));
    q.carrier = Some("T-Mobile");
    assert_ne!(table.select(&q, all).as_deref(), Some("vzw-mm7"));
}

#[test]
fn no_rules_no_route() {
    let table = RouteTable::new(Vec::new()).expect("empty is valid");
    let q = query("+12155550100", 1, Channel::Sms);
    assert_eq!(table.select(&q, all), None);
    assert!(table.candidates(&q, all).is_empty());
}

#[test]
fn bad_rules_are_refused() {
    let empty = r#"{"rules": [{"routes": []}]}"#;
    let error = serde_json::from_str::<RouteTable>(empty).unwrap_err();
    assert!(error.to_string().contains("names no route"), "{error}");
    for prefix in ["1215", "+", "+12a5"] {
        let json = format!(r#"{{"rules": [{{"prefix": "{prefix}", "routes": ["a"]}}]}}"#);
        let error = serde_json::from_str::<RouteTable>(&json).unwrap_err();
        assert!(error.to_string().contains("prefix"), "{prefix}: {error}");
    }
    let typo = r#"{"rules": [{"routes": ["a"], "mode": "random"}]}"#;
    assert!(serde_json::from_str::<RouteTable>(typo).is_err());
    let unknown_field = r#"{"rules": [{"routes": ["a"], "prefx": "+1"}]}"#;
    assert!(serde_json::from_str::<RouteTable>(unknown_field).is_err());
}

#[test]
fn json_reads_the_same_as_toml() {
    let json = r#"{"rule": [{"prefix": "+1215", "routes": ["x", "y"], "mode": "failover"}]}"#;
    let table: RouteTable = serde_json::from_str(json).expect("parses");
    assert_eq!(table.rules().len(), 1);
    assert_eq!(table.rules()[0].routes, ["x", "y"]);
    let q = query("+12155550100", 1, Channel::Mms);
    assert_eq!(table.select(&q, all).as_deref(), Some("x"));
}
