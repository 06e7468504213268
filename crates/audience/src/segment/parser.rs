//! Recursive-descent parser. Precedence, loosest first: `or`, `and`, `not`, comparison.
//!
//! Grammar:
//! ```text
//! expr       = and_expr { "or" and_expr }
//! and_expr   = not_expr { "and" not_expr }
//! not_expr   = "not" not_expr | comparison
//! comparison = "(" expr ")"
//!            | operand [ cmp_op operand | ["not"] "in" ( list | operand ) ]
//! operand    = literal | path | name "(" [ arg { "," arg } ] ")"
//! arg        = literal | path
//! path       = name { "." ( name | "quoted" ) }
//! list       = "(" literal { "," literal } [","] ")"
//! ```

use super::ast::{CmpOp, Expr, InSet, Literal, Operand, OperandKind, Value, is_keyword};
use super::error::{Pos, SegmentError};
use super::lexer::{Spanned, Token, tokenize};

/// Deepest nesting of parentheses and `not` accepted; keeps recursion far from the stack's end.
pub const MAX_DEPTH: usize = 64;

/// Parses an expression into its syntax tree.
pub fn parse(src: &str) -> Result<Expr, SegmentError> {
    let tokens = tokenize(src)?;
    let mut parser = Parser {
        tokens,
        index: 0,
        depth: 0,
    };
    if parser.peek().token == Token::End {
        return Err(SegmentError::at(
            parser.peek().pos,
            "the expression is empty",
        ));
    }
    let expr = parser.expr()?;
    let next = parser.peek();
    if next.token != Token::End {
        let hint = if next.token == Token::RParen {
            "unmatched `)`".to_string()
        } else {
            format!(
                "expected `and`, `or` or the end of the expression, found {}",
                next.token.describe()
            )
        };
        return Err(SegmentError::at(next.pos, hint));
    }
    Ok(expr)
}

struct Parser {
    tokens: Vec<Spanned>,
    index: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> &Spanned {
        // tokenize() always ends with End, and the parser never moves past it.
        &self.tokens[self.index.min(self.tokens.len() - 1)]
    }

    fn peek_at(&self, ahead: usize) -> &Token {
        &self.tokens[(self.index + ahead).min(self.tokens.len() - 1)].token
    }

    fn advance(&mut self) -> Spanned {
        let token = self.peek().clone();
        if token.token != Token::End {
            self.index += 1;
        }
        token
    }

    fn at_keyword(&self, keyword: &str) -> bool {
        matches!(&self.peek().token, Token::Ident(word) if word.eq_ignore_ascii_case(keyword))
    }

    fn expect(&mut self, wanted: Token, what: &str) -> Result<Pos, SegmentError> {
        let next = self.advance();
        if next.token == wanted {
            Ok(next.pos)
        } else {
            Err(SegmentError::at(
                next.pos,
                format!("expected {what}, found {}", next.token.describe()),
            ))
        }
    }

    fn enter(&mut self, pos: Pos) -> Result<(), SegmentError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(SegmentError::at(
                pos,
                format!("the expression nests deeper than {MAX_DEPTH} levels"),
            ));
        }
        Ok(())
    }

    fn expr(&mut self) -> Result<Expr, SegmentError> {
        let mut parts = vec![self.and_expr()?];
        while self.at_keyword("or") {
            self.advance();
            parts.push(self.and_expr()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::Or(parts)
        })
    }

    fn and_expr(&mut self) -> Result<Expr, SegmentError> {
        let mut parts = vec![self.not_expr()?];
        while self.at_keyword("and") {
            self.advance();
            parts.push(self.not_expr()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::And(parts)
        })
    }

    fn not_expr(&mut self) -> Result<Expr, SegmentError> {
        if !self.at_keyword("not") {
            return self.comparison();
        }
        let pos = self.advance().pos;
        self.enter(pos)?;
        let inner = self.not_expr()?;
        self.depth -= 1;
        Ok(Expr::Not(Box::new(inner), pos))
    }

    fn comparison(&mut self) -> Result<Expr, SegmentError> {
        if self.peek().token == Token::LParen {
            let pos = self.advance().pos;
            self.enter(pos)?;
            let inner = self.expr()?;
            self.depth -= 1;
            self.expect(Token::RParen, "`)`")?;
            return Ok(inner);
        }
        let left = self.operand("a condition")?;
        let next = self.peek().clone();
        let op = match next.token {
            Token::Eq => Some(CmpOp::Eq),
            Token::Ne => Some(CmpOp::Ne),
            Token::Lt => Some(CmpOp::Lt),
            Token::Le => Some(CmpOp::Le),
            Token::Gt => Some(CmpOp::Gt),
            Token::Ge => Some(CmpOp::Ge),
            _ => None,
        };
        if let Some(op) = op {
            self.advance();
            let right = self.operand("a value")?;
            return Ok(Expr::Compare {
                left,
                op,
                op_pos: next.pos,
                right,
            });
        }
        let negated = self.at_keyword("not")
            && matches!(self.peek_at(1), Token::Ident(word) if word.eq_ignore_ascii_case("in"));
        if negated {
            self.advance();
        }
        if self.at_keyword("in") {
            self.advance();
            let set = if self.peek().token == Token::LParen {
                self.list()?
            } else {
                InSet::Operand(self.operand("a list or a field")?)
            };
            return Ok(Expr::In {
                item: left,
                negated,
                set,
            });
        }
        Ok(Expr::Test(left))
    }

    fn list(&mut self) -> Result<InSet, SegmentError> {
        let open = self.advance().pos;
        let mut items = Vec::new();
        loop {
            if self.peek().token == Token::RParen {
                if items.is_empty() {
                    return Err(SegmentError::at(
                        self.peek().pos,
                        "a list needs at least one value",
                    ));
                }
                break;
            }
            let next = self.advance();
            let Some(value) = literal(&next.token) else {
                let message = match next.token {
                    Token::Ident(_) if !is_keyword_token(&next.token) => {
                        format!("a list holds only values, found {}", next.token.describe())
                    }
                    _ => format!(
                        "expected a value in the list, found {}",
                        next.token.describe()
                    ),
                };
                return Err(SegmentError::at(next.pos, message));
            };
            items.push(Literal {
                value,
                pos: next.pos,
            });
            let separator = self.advance();
            match separator.token {
                Token::Comma => {}
                Token::RParen => return Ok(InSet::List(items, open)),
                other => {
                    let message = format!(
                        "expected `,` or `)` in the list, found {}",
                        other.describe()
                    );
                    return Err(SegmentError::at(separator.pos, message));
                }
            }
        }
        self.advance();
        Ok(InSet::List(items, open))
    }

    /// A literal, field path or function call. `wanted` names what was expected, for the error.
    fn operand(&mut self, wanted: &str) -> Result<Operand, SegmentError> {
        let next = self.advance();
        let pos = next.pos;
        if let Some(value) = literal(&next.token) {
            return Ok(Operand {
                kind: OperandKind::Literal(value),
                pos,
            });
        }
        let Token::Ident(name) = next.token else {
            return Err(expected(wanted, &next));
        };
        if is_keyword(&name) {
            return Err(expected(
                wanted,
                &Spanned {
                    token: Token::Ident(name),
                    pos,
                },
            ));
        }
        if self.peek().token == Token::LParen {
            return self.call(name, pos);
        }
        Ok(Operand {
            kind: OperandKind::Field(self.path(name)?),
            pos,
        })
    }

    fn path(&mut self, first: String) -> Result<Vec<String>, SegmentError> {
        let mut parts = vec![first];
        while self.peek().token == Token::Dot {
            self.advance();
            let next = self.advance();
            match next.token {
                Token::Ident(part) | Token::Text(part) => parts.push(part),
                other => {
                    let message = format!("expected a name after `.`, found {}", other.describe());
                    return Err(SegmentError::at(next.pos, message));
                }
            }
        }
        Ok(parts)
    }

    fn call(&mut self, name: String, pos: Pos) -> Result<Operand, SegmentError> {
        self.advance(); // (
        let mut args = Vec::new();
        if self.peek().token == Token::RParen {
            self.advance();
            return Ok(Operand {
                kind: OperandKind::Call { name, args },
                pos,
            });
        }
        loop {
            let next = self.advance();
            let arg_pos = next.pos;
            let arg = match next.token {
                Token::Ident(word) if !is_keyword(&word) => OperandKind::Field(self.path(word)?),
                token => match literal(&token) {
                    Some(value) => OperandKind::Literal(value),
                    None => {
                        return Err(expected(
                            "a value or a field",
                            &Spanned {
                                token,
                                pos: arg_pos,
                            },
                        ));
                    }
                },
            };
            args.push(Operand {
                kind: arg,
                pos: arg_pos,
            });
            let separator = self.advance();
            match separator.token {
                Token::Comma => {}
                Token::RParen => {
                    return Ok(Operand {
                        kind: OperandKind::Call { name, args },
                        pos,
                    });
                }
                other => {
                    let message = format!(
                        "expected `,` or `)` after an argument, found {}",
                        other.describe()
                    );
                    return Err(SegmentError::at(separator.pos, message));
                }
            }
        }
    }
}

fn literal(token: &Token) -> Option<Value> {
    match token {
        Token::Text(text) => Some(Value::Text(text.clone())),
        Token::Int(n) => Some(Value::Int(*n)),
        Token::Float(x) => Some(Value::Float(*x)),
        Token::Ident(word) if word.eq_ignore_ascii_case("true") => Some(Value::Bool(true)),
        Token::Ident(word) if word.eq_ignore_ascii_case("false") => Some(Value::Bool(false)),
        _ => None,
    }
}

fn is_keyword_token(token: &Token) -> bool {
    matches!(token, Token::Ident(word) if is_keyword(word))
}

fn expected(wanted: &str, found: &Spanned) -> SegmentError {
    SegmentError::at(
        found.pos,
        format!("expected {wanted}, found {}", found.token.describe()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(src: &str) -> String {
        parse(src).unwrap_err().to_string()
    }

    #[test]
    fn precedence_is_not_then_and_then_or() {
        let expr = parse("a or not b and c").unwrap();
        assert_eq!(expr.to_string(), "a or (not b and c)");
        let Expr::Or(parts) = expr else {
            panic!("expected or")
        };
        assert!(matches!(&parts[1], Expr::And(inner) if matches!(inner[0], Expr::Not(..))));
    }

    #[test]
    fn keywords_are_case_insensitive() {
        let expr = parse("NOT opted_out AND state In (\"PA\") Or x = TRUE").unwrap();
        assert_eq!(
            expr.to_string(),
            "(not opted_out and state in (\"PA\")) or x = true"
        );
    }

    #[test]
    fn not_in_and_paths() {
        let expr = parse("\"a\" not in issues and attr.\"first vote\" >= 2.5").unwrap();
        assert_eq!(
            expr.to_string(),
            "\"a\" not in issues and attr.\"first vote\" >= 2.5"
        );
    }

    #[test]
    fn calls_take_literals_and_fields() {
        let expr = parse("within_miles(39.95, -75.16, 25) and starts_with(zip, \"191\")").unwrap();
        assert_eq!(
            expr.to_string(),
            "within_miles(39.95, -75.16, 25) and starts_with(zip, \"191\")"
        );
        assert_eq!(parse("f()").unwrap().to_string(), "f()");
    }

    #[test]
    fn syntax_errors_point_at_the_token() {
        assert_eq!(error(""), "line 1, column 1: the expression is empty");
        assert_eq!(
            error("state ="),
            "line 1, column 8: expected a value, found the end of the expression"
        );
        assert_eq!(
            error("state = \"PA\" and"),
            "line 1, column 17: expected a condition, found the end of the expression"
        );
        assert_eq!(
            error("(state = \"PA\""),
            "line 1, column 14: expected `)`, found the end of the expression"
        );
        assert_eq!(error("state = \"PA\")"), "line 1, column 13: unmatched `)`");
        assert_eq!(
            error("state = \"PA\" \"OH\""),
            "line 1, column 14: expected `and`, `or` or the end of the expression, found a text value"
        );
        assert_eq!(
            error("state in ()"),
            "line 1, column 11: a list needs at least one value"
        );
        assert_eq!(
            error("state in (\"PA\" \"OH\")"),
            "line 1, column 16: expected `,` or `)` in the list, found a text value"
        );
        assert_eq!(
            error("state in (zip)"),
            "line 1, column 11: a list holds only values, found `zip`"
        );
        assert_eq!(
            error("and"),
            "line 1, column 1: expected a condition, found `and`"
        );
        assert_eq!(
            error("attr. = 1"),
            "line 1, column 7: expected a name after `.`, found `=`"
        );
        assert_eq!(
            error("f(1 2)"),
            "line 1, column 5: expected `,` or `)` after an argument, found a number"
        );
        assert_eq!(
            error("a = 1\n  and = 2"),
            "line 2, column 7: expected a condition, found `=`"
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("{}a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert!(parse(&deep).is_ok());
        let too_deep = format!(
            "{}a{}",
            "(".repeat(MAX_DEPTH + 1),
            ")".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(
            parse(&too_deep).unwrap_err().to_string(),
            "line 1, column 65: the expression nests deeper than 64 levels"
        );
        let nots = format!("{}a", "not ".repeat(2_000));
        assert!(parse(&nots).unwrap_err().message.contains("nests deeper"));
    }

    #[test]
    fn long_flat_chains_do_not_nest() {
        let chain = vec!["a = 1"; 1_000].join(" or ");
        let Expr::Or(parts) = parse(&chain).unwrap() else {
            panic!("expected or")
        };
        assert_eq!(parts.len(), 1_000);
    }
}
