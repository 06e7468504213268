//! Splits an expression into tokens, each tagged with its position.

use super::error::{Pos, SegmentError};

/// Longest expression accepted, in characters. Segments are typed by people; this bounds the work and the memory
/// spent on hostile input.
pub const MAX_SOURCE_CHARS: usize = 10_000;

/// One token.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Token {
    /// A name or keyword; keywords are recognised by the parser, case-insensitively.
    Ident(String),
    Text(String),
    Int(i64),
    Float(f64),
    LParen,
    RParen,
    Comma,
    Dot,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    End,
}

impl Token {
    /// How the token reads in an error message.
    pub(crate) fn describe(&self) -> String {
        match self {
            Token::Ident(name) => format!("`{name}`"),
            Token::Text(_) => "a text value".to_string(),
            Token::Int(_) | Token::Float(_) => "a number".to_string(),
            Token::LParen => "`(`".to_string(),
            Token::RParen => "`)`".to_string(),
            Token::Comma => "`,`".to_string(),
            Token::Dot => "`.`".to_string(),
            Token::Eq => "`=`".to_string(),
            Token::Ne => "`!=`".to_string(),
            Token::Lt => "`<`".to_string(),
            Token::Le => "`<=`".to_string(),
            Token::Gt => "`>`".to_string(),
            Token::Ge => "`>=`".to_string(),
            Token::End => "the end of the expression".to_string(),
        }
    }
}

/// A token and where it starts.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Spanned {
    pub token: Token,
    pub pos: Pos,
}

/// Tokenises the whole source; the last token is always [`Token::End`].
pub(crate) fn tokenize(src: &str) -> Result<Vec<Spanned>, SegmentError> {
    // Copy no more than the allowed length plus one, so that a huge input costs nothing.
    let chars: Vec<char> = src.chars().take(MAX_SOURCE_CHARS + 1).collect();
    let too_long = chars.len() > MAX_SOURCE_CHARS;
    let mut lexer = Lexer {
        chars,
        index: 0,
        pos: Pos::START,
    };
    if too_long {
        lexer.advance_to(MAX_SOURCE_CHARS);
        return Err(SegmentError::at(
            lexer.pos,
            format!("the expression is longer than {MAX_SOURCE_CHARS} characters"),
        ));
    }
    let mut tokens = Vec::new();
    loop {
        lexer.skip_space();
        let pos = lexer.pos;
        let Some(c) = lexer.peek(0) else {
            tokens.push(Spanned {
                token: Token::End,
                pos,
            });
            return Ok(tokens);
        };
        let token = lexer.token(c, pos)?;
        tokens.push(Spanned { token, pos });
    }
}

struct Lexer {
    chars: Vec<char>,
    index: usize,
    pos: Pos,
}

impl Lexer {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.index + ahead).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek(0)?;
        self.index += 1;
        if c == '\n' {
            self.pos.line += 1;
            self.pos.column = 1;
        } else {
            self.pos.column += 1;
        }
        Some(c)
    }

    fn advance_to(&mut self, index: usize) {
        while self.index < index && self.bump().is_some() {}
    }

    fn skip_space(&mut self) {
        while self.peek(0).is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    fn token(&mut self, c: char, pos: Pos) -> Result<Token, SegmentError> {
        let two = |lexer: &mut Lexer, token: Token| {
            lexer.bump();
            lexer.bump();
            token
        };
        let one = |lexer: &mut Lexer, token: Token| {
            lexer.bump();
            token
        };
        Ok(match (c, self.peek(1)) {
            ('"', _) => self.text(pos)?,
            ('(', _) => one(self, Token::LParen),
            (')', _) => one(self, Token::RParen),
            (',', _) => one(self, Token::Comma),
            ('=', Some('=')) => two(self, Token::Eq),
            ('=', _) => one(self, Token::Eq),
            ('!', Some('=')) | ('<', Some('>')) => two(self, Token::Ne),
            ('<', Some('=')) => two(self, Token::Le),
            ('<', _) => one(self, Token::Lt),
            ('>', Some('=')) => two(self, Token::Ge),
            ('>', _) => one(self, Token::Gt),
            ('-', Some(d)) if d.is_ascii_digit() => self.number(pos)?,
            (d, _) if d.is_ascii_digit() => self.number(pos)?,
            ('.', _) => one(self, Token::Dot),
            (a, _) if a.is_ascii_alphabetic() || a == '_' => Token::Ident(self.ident()),
            ('!', _) => return Err(SegmentError::at(pos, "unexpected `!`; write `not` or `!=`")),
            ('\'', _) => {
                return Err(SegmentError::at(
                    pos,
                    "text values take double quotes, e.g. \"PA\"",
                ));
            }
            (other, _) => {
                return Err(SegmentError::at(
                    pos,
                    format!("unexpected character `{other}`"),
                ));
            }
        })
    }

    fn ident(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self
            .peek(0)
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        {
            name.push(c);
            self.bump();
        }
        name
    }

    fn number(&mut self, pos: Pos) -> Result<Token, SegmentError> {
        let mut digits = String::new();
        if self.peek(0) == Some('-') {
            digits.push('-');
            self.bump();
        }
        let mut is_decimal = false;
        while let Some(c) = self.peek(0) {
            if c.is_ascii_digit() {
                digits.push(c);
            } else if c == '.' && !is_decimal && self.peek(1).is_some_and(|d| d.is_ascii_digit()) {
                is_decimal = true;
                digits.push(c);
            } else {
                break;
            }
            self.bump();
        }
        if self
            .peek(0)
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '.')
        {
            return Err(SegmentError::at(pos, "malformed number"));
        }
        if is_decimal {
            match digits.parse::<f64>() {
                Ok(value) if value.is_finite() => Ok(Token::Float(value)),
                _ => Err(SegmentError::at(pos, "number is too large")),
            }
        } else {
            digits
                .parse::<i64>()
                .map(Token::Int)
                .map_err(|_| SegmentError::at(pos, "number is too large"))
        }
    }

    fn text(&mut self, pos: Pos) -> Result<Token, SegmentError> {
        self.bump(); // the opening quote
        let mut value = String::new();
        loop {
            let escape_pos = self.pos;
            match self.bump() {
                None | Some('\n') => {
                    return Err(SegmentError::at(
                        pos,
                        "text value is missing its closing `\"`",
                    ));
                }
                Some('"') => return Ok(Token::Text(value)),
                Some('\\') => match self.bump() {
                    Some('"') => value.push('"'),
                    Some('\\') => value.push('\\'),
                    Some('n') => value.push('\n'),
                    Some('t') => value.push('\t'),
                    Some('r') => value.push('\r'),
                    _ => {
                        return Err(SegmentError::at(
                            escape_pos,
                            "unknown escape; inside quotes write \\\" or \\\\ (also \\n, \\t, \\r)",
                        ));
                    }
                },
                Some(c) => value.push(c),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Token> {
        tokenize(src)
            .unwrap()
            .into_iter()
            .map(|t| t.token)
            .collect()
    }

    #[test]
    fn tokens_and_positions() {
        let tokens = tokenize("state  in (\"PA\",\n -1.5)").unwrap();
        let got: Vec<(Token, u32, u32)> = tokens
            .into_iter()
            .map(|t| (t.token, t.pos.line, t.pos.column))
            .collect();
        assert_eq!(
            got,
            vec![
                (Token::Ident("state".into()), 1, 1),
                (Token::Ident("in".into()), 1, 8),
                (Token::LParen, 1, 11),
                (Token::Text("PA".into()), 1, 12),
                (Token::Comma, 1, 16),
                (Token::Float(-1.5), 2, 2),
                (Token::RParen, 2, 6),
                (Token::End, 2, 7),
            ]
        );
    }

    #[test]
    fn operators_and_aliases() {
        assert_eq!(
            kinds("= == != <> < <= > >="),
            vec![
                Token::Eq,
                Token::Eq,
                Token::Ne,
                Token::Ne,
                Token::Lt,
                Token::Le,
                Token::Gt,
                Token::Ge,
                Token::End
            ]
        );
    }

    #[test]
    fn escapes() {
        assert_eq!(
            kinds(r#""a\"b\\c""#),
            vec![Token::Text("a\"b\\c".into()), Token::End]
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let err = tokenize("\"é\" ü").unwrap_err();
        assert_eq!((err.line, err.column), (1, 5));
    }

    #[test]
    fn errors_point_at_the_problem() {
        let err = tokenize("zip = \"191").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 1, column 7: text value is missing its closing `\"`"
        );
        let err = tokenize("a = 99999999999999999999").unwrap_err();
        assert_eq!(err.to_string(), "line 1, column 5: number is too large");
        let err = tokenize("a = \"x\\q\"").unwrap_err();
        assert_eq!((err.line, err.column), (1, 7));
        let err = tokenize("a = 'PA'").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 1, column 5: text values take double quotes, e.g. \"PA\""
        );
        let err = tokenize("a = 12abc").unwrap_err();
        assert_eq!(err.to_string(), "line 1, column 5: malformed number");
    }

    #[test]
    fn overlong_input_is_refused() {
        let src = "a".repeat(MAX_SOURCE_CHARS + 1);
        let err = tokenize(&src).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 1, column 10001: the expression is longer than 10000 characters"
        );
        assert!(tokenize(&"a".repeat(MAX_SOURCE_CHARS)).is_ok());
        let huge = "é\n".repeat(1_000_000);
        let err = tokenize(&huge).unwrap_err();
        assert_eq!((err.line, err.column), (5_001, 1));
    }
}
