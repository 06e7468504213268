//! Property tests: printing round-trips, and no input makes any stage panic.

use proptest::prelude::*;

use super::schema;
use crate::segment::*;

/// Positions differ between a tree and its re-parsed print; everything else must match.
fn erase(expr: &mut Expr) {
    fn operand(op: &mut Operand) {
        op.pos = Pos::default();
        if let OperandKind::Call { args, .. } = &mut op.kind {
            args.iter_mut().for_each(operand);
        }
    }
    match expr {
        Expr::Or(parts) | Expr::And(parts) => parts.iter_mut().for_each(erase),
        Expr::Not(inner, pos) => {
            *pos = Pos::default();
            erase(inner);
        }
        Expr::Compare {
            left,
            op_pos,
            right,
            ..
        } => {
            *op_pos = Pos::default();
            operand(left);
            operand(right);
        }
        Expr::In { item, set, .. } => {
            operand(item);
            match set {
                InSet::List(items, pos) => {
                    *pos = Pos::default();
                    items.iter_mut().for_each(|l| l.pos = Pos::default());
                }
                InSet::Operand(op) => operand(op),
            }
        }
        Expr::Test(op) => operand(op),
    }
}

fn name() -> impl Strategy<Value = String> {
    "[a-zA-Z_][a-zA-Z0-9_]{0,8}".prop_filter("not a keyword", |n| {
        !KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(n))
    })
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<String>().prop_map(Value::Text),
        any::<i64>().prop_map(Value::Int),
        (-1e12..1e12f64).prop_map(Value::Float),
        any::<bool>().prop_map(Value::Bool),
    ]
}

fn at<T>(kind: T) -> (T, Pos) {
    (kind, Pos::default())
}

fn field() -> impl Strategy<Value = Operand> {
    (
        name(),
        prop::collection::vec(prop_oneof![name(), "[a-z]{1,3}", any::<String>()], 0..3),
    )
        .prop_map(|(first, rest)| {
            let (kind, pos) = at(OperandKind::Field(
                std::iter::once(first).chain(rest).collect(),
            ));
            Operand { kind, pos }
        })
}

fn literal_operand() -> impl Strategy<Value = Operand> {
    value().prop_map(|v| Operand {
        kind: OperandKind::Literal(v),
        pos: Pos::default(),
    })
}

fn operand() -> impl Strategy<Value = Operand> {
    let arg = prop_oneof![literal_operand(), field()];
    prop_oneof![
        literal_operand(),
        field(),
        (name(), prop::collection::vec(arg, 0..3)).prop_map(|(name, args)| Operand {
            kind: OperandKind::Call { name, args },
            pos: Pos::default()
        }),
    ]
}

fn op() -> impl Strategy<Value = CmpOp> {
    prop_oneof![
        Just(CmpOp::Eq),
        Just(CmpOp::Ne),
        Just(CmpOp::Lt),
        Just(CmpOp::Le),
        Just(CmpOp::Gt),
        Just(CmpOp::Ge)
    ]
}

fn leaf() -> impl Strategy<Value = Expr> {
    let list = prop::collection::vec(
        value().prop_map(|value| Literal {
            value,
            pos: Pos::default(),
        }),
        1..4,
    )
    .prop_map(|items| InSet::List(items, Pos::default()));
    let set = prop_oneof![list, operand().prop_map(InSet::Operand)];
    prop_oneof![
        (operand(), op(), operand()).prop_map(|(left, op, right)| Expr::Compare {
            left,
            op,
            op_pos: Pos::default(),
            right
        }),
        (operand(), any::<bool>(), set).prop_map(|(item, negated, set)| Expr::In {
            item,
            negated,
            set
        }),
        operand().prop_map(Expr::Test),
    ]
}

fn expr() -> impl Strategy<Value = Expr> {
    leaf().prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(Expr::Or),
            prop::collection::vec(inner.clone(), 2..4).prop_map(Expr::And),
            inner.prop_map(|e| Expr::Not(Box::new(e), Pos::default())),
        ]
    })
}

const WORDS: &[&str] = &[
    "state",
    "=",
    "!=",
    ">=",
    "<",
    "\"PA\"",
    "\"",
    "(",
    ")",
    ",",
    ".",
    "and",
    "or",
    "not",
    "in",
    "issues",
    "within_miles",
    "starts_with",
    "any_issue",
    "25",
    "-1.5",
    "attr",
    "age",
    "district",
    "region",
    "precinct",
    "opted_out",
    "true",
    "zip",
    "\"19103\"",
    "\\",
    "\n",
    "é",
    "9999999999999999999999",
];

proptest! {
    #[test]
    fn printed_trees_parse_back_to_the_same_tree(tree in expr()) {
        let printed = tree.to_string();
        let mut reparsed = parse(&printed).map_err(|e| TestCaseError::fail(format!("{printed}: {e}")))?;
        erase(&mut reparsed);
        prop_assert_eq!(reparsed, tree, "{}", printed);
    }

    #[test]
    fn the_parser_never_panics(src in any::<String>()) {
        if let Err(err) = parse(&src) {
            prop_assert!(err.line >= 1 && err.column >= 1);
        }
    }

    #[test]
    fn the_whole_pipeline_never_panics(words in prop::collection::vec(prop::sample::select(WORDS), 0..40), spaced in any::<bool>()) {
        let src = words.join(if spaced { " " } else { "" });
        match compile(&src, &schema()) {
            Ok(checked) => {
                for dialect in [Dialect::Sqlite, Dialect::Postgres] {
                    let got = to_sql(&checked, dialect, 1, 2);
                    prop_assert!(!got.sql.is_empty());
                }
            }
            Err(err) => {
                let lines = src.split('\n').count() as u32;
                prop_assert!(err.line >= 1 && err.line <= lines && err.column >= 1, "{}: {}", src, err);
            }
        }
    }
}
