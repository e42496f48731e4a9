//! User-defined responses (`--response NAME="ENDPOINT: EXPR [where EXPR]"`): a small expression
//! language on one patient's values at a follow-up visit, parsed once, evaluated per patient.
//!
//! ```text
//! definition := NAME "=" ENDPOINT ":" expr [ "where" expr ]
//! expr       := and ( "or" and )*
//! and        := unary ( "and" unary )*
//! unary      := "not" unary | "(" expr ")" | operand op operand
//! operand    := "value" | "change" | "pct_change" | "baseline" | number
//! op         := "<" | "<=" | ">" | ">=" | "==" | "=" | "!="
//! ```
//! `value` is the follow-up value, `change` = value − baseline, `pct_change` = 100 × change /
//! baseline (none when the baseline is 0). The `where` part restricts the denominator: patients
//! for whom it is false are not counted. Examples: `iga01=iga: value <= 1 and change <= -2`,
//! `itch4=pruritus: change <= -4 where baseline >= 4`, `pasi90=pasi: pct_change <= -90`.
//! A malformed definition is an error that shows the text with a caret under the character
//! where parsing failed.

use std::fmt;

/// A quantity of one patient at one visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variable {
    Value,
    Change,
    PctChange,
    Baseline,
}

/// A variable or a number in a comparison.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Operand {
    Variable(Variable),
    Number(f64),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

/// A parsed condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Compare(Operand, Op, Operand),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
}

/// One patient's numbers at a visit; `None` where not available (no follow-up value, a zero
/// baseline for the percent change).
#[derive(Debug, Clone, Copy)]
pub struct PatientValues {
    pub baseline: f64,
    pub value: Option<f64>,
}

impl PatientValues {
    fn get(&self, v: Variable) -> Option<f64> {
        let b = self.baseline;
        match v {
            Variable::Baseline => Some(b),
            Variable::Value => self.value,
            Variable::Change => self.value.map(|f| f - b),
            Variable::PctChange => self.value.filter(|_| b != 0.0).map(|f| 100.0 * (f - b) / b),
        }
    }
}

impl Expr {
    /// True or false for this patient; `None` when a quantity it needs is not available.
    pub fn eval(&self, p: &PatientValues) -> Option<bool> {
        match self {
            Expr::Compare(a, op, b) => {
                let get = |o: &Operand| match o {
                    Operand::Variable(v) => p.get(*v),
                    Operand::Number(x) => Some(*x),
                };
                let (a, b) = (get(a)?, get(b)?);
                Some(match op {
                    Op::Lt => a < b,
                    Op::Le => a <= b,
                    Op::Gt => a > b,
                    Op::Ge => a >= b,
                    Op::Eq => a == b,
                    Op::Ne => a != b,
                })
            }
            // Three-valued logic: a known false decides an `and`, a known true an `or`.
            Expr::And(a, b) => match (a.eval(p), b.eval(p)) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            },
            Expr::Or(a, b) => match (a.eval(p), b.eval(p)) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            },
            Expr::Not(a) => a.eval(p).map(|x| !x),
        }
    }
}

/// `--response NAME="ENDPOINT: EXPR [where EXPR]"`.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseDefinition {
    pub name: String,
    pub endpoint: String,
    pub condition: Expr,
    pub population: Option<Expr>,
    /// The text as given (for the JSON meta).
    pub text: String,
}

impl ResponseDefinition {
    /// Whether the patient is in the denominator (`Some`) and responds; `None` when the patient
    /// is left out (the `where` part is false or cannot be evaluated).
    pub fn classify(&self, p: &PatientValues) -> Option<bool> {
        if let Some(w) = &self.population {
            if w.eval(p) != Some(true) {
                return None;
            }
        }
        self.condition.eval(p)
    }
}

impl serde::Serialize for ResponseDefinition {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

/// A definition that cannot be parsed: what was expected, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub text: String,
    /// Character (not byte) offset in `text`.
    pub at: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} at character {}:", self.message, self.at + 1)?;
        writeln!(f, "  {}", self.text)?;
        write!(f, "  {}^", " ".repeat(self.at))
    }
}

impl std::error::Error for ParseError {}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Number(f64),
    Op(Op),
    Open,
    Close,
}

struct Parser<'a> {
    text: &'a str,
    /// (token, character offset)
    tokens: Vec<(Token, usize)>,
    pos: usize,
    /// Character offset of the end of the text.
    end: usize,
}

fn tokenize(text: &str, offset: usize, full: &str) -> Result<Vec<(Token, usize)>, ParseError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |at: usize, message: String| ParseError {
        text: full.to_string(),
        at: offset + at,
        message,
    };
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' || c == ')' {
            out.push((
                if c == '(' { Token::Open } else { Token::Close },
                offset + i,
            ));
            i += 1;
        } else if "<>=!".contains(c) {
            let two = chars.get(i + 1) == Some(&'=');
            let op = match (c, two) {
                ('<', true) => Op::Le,
                ('<', false) => Op::Lt,
                ('>', true) => Op::Ge,
                ('>', false) => Op::Gt,
                ('=', _) => Op::Eq,
                ('!', true) => Op::Ne,
                _ => return Err(err(i, "expected '!='".to_string())),
            };
            out.push((Token::Op(op), offset + i));
            i += if two { 2 } else { 1 };
        } else if c.is_ascii_digit() || c == '.' || c == '-' || c == '+' {
            let start = i;
            i += 1;
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || chars[i] == '.'
                    || chars[i] == 'e'
                    || chars[i] == 'E'
                    || ((chars[i] == '-' || chars[i] == '+') && matches!(chars[i - 1], 'e' | 'E')))
            {
                i += 1;
            }
            let s: String = chars[start..i].iter().collect();
            match s.parse::<f64>() {
                Ok(x) if x.is_finite() => out.push((Token::Number(x), offset + start)),
                _ => return Err(err(start, format!("'{s}' is not a number"))),
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let s: String = chars[start..i].iter().collect();
            out.push((Token::Word(s), offset + start));
        } else {
            return Err(err(i, format!("unexpected character '{c}'")));
        }
    }
    Ok(out)
}

impl Parser<'_> {
    fn err(&self, at: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            text: self.text.to_string(),
            at,
            message: message.into(),
        }
    }
    fn peek(&self) -> Option<&(Token, usize)> {
        self.tokens.get(self.pos)
    }
    fn here(&self) -> usize {
        self.peek().map_or(self.end, |t| t.1)
    }
    fn keyword(&mut self, k: &str) -> bool {
        if matches!(self.peek(), Some((Token::Word(w), _)) if w.eq_ignore_ascii_case(k)) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn expr(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.and()?;
        while self.keyword("or") {
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }
    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.unary()?;
        while self.keyword("and") {
            left = Expr::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }
    fn unary(&mut self) -> Result<Expr, ParseError> {
        if self.keyword("not") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if matches!(self.peek(), Some((Token::Open, _))) {
            self.pos += 1;
            let e = self.expr()?;
            if !matches!(self.peek(), Some((Token::Close, _))) {
                return Err(self.err(self.here(), "expected ')'"));
            }
            self.pos += 1;
            return Ok(e);
        }
        let a = self.operand()?;
        let op = match self.peek() {
            Some((Token::Op(op), _)) => *op,
            _ => return Err(self.err(self.here(), "expected a comparison (<, <=, >, >=, ==, !=)")),
        };
        self.pos += 1;
        let b = self.operand()?;
        Ok(Expr::Compare(a, op, b))
    }
    fn operand(&mut self) -> Result<Operand, ParseError> {
        let at = self.here();
        let expected = "expected value, change, pct_change, baseline or a number";
        let Some((token, _)) = self.peek().cloned() else {
            return Err(self.err(at, expected));
        };
        let o = match token {
            Token::Number(x) => Operand::Number(x),
            Token::Word(w) => Operand::Variable(match w.to_ascii_lowercase().as_str() {
                "value" => Variable::Value,
                "change" => Variable::Change,
                "pct_change" => Variable::PctChange,
                "baseline" => Variable::Baseline,
                _ => {
                    return Err(self.err(
                        at,
                        format!(
                            "unknown variable '{w}': expected value, change, pct_change or baseline"
                        ),
                    ))
                }
            }),
            _ => return Err(self.err(at, expected)),
        };
        self.pos += 1;
        Ok(o)
    }
}

fn parse_condition(full: &str, offset: usize, part: &str) -> Result<Expr, ParseError> {
    let mut p = Parser {
        text: full,
        tokens: tokenize(part, offset, full)?,
        pos: 0,
        end: offset + part.chars().count(),
    };
    if p.tokens.is_empty() {
        return Err(p.err(p.end, "expected a condition"));
    }
    let e = p.expr()?;
    if p.pos < p.tokens.len() {
        return Err(p.err(p.here(), "expected 'and', 'or', 'where' or the end"));
    }
    Ok(e)
}

/// Names that would collide with the built-in responses or are not a plain identifier.
fn check_name(full: &str, name: &str) -> Result<(), ParseError> {
    let err = |message: String| ParseError {
        text: full.to_string(),
        at: 0,
        message,
    };
    let ok = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !ok {
        return Err(err(format!(
            "response name '{name}': expected letters, digits and '_', starting with a letter"
        )));
    }
    if name == "clearance" || name.starts_with("responder") {
        return Err(err(format!(
            "response name '{name}' is taken by the built-in responder and clearance rows"
        )));
    }
    Ok(())
}

impl std::str::FromStr for ResponseDefinition {
    type Err = ParseError;
    /// `NAME=ENDPOINT: EXPR [where EXPR]`.
    fn from_str(text: &str) -> Result<Self, ParseError> {
        let chars: Vec<char> = text.chars().collect();
        let err = |at: usize, message: &str| ParseError {
            text: text.to_string(),
            at,
            message: message.to_string(),
        };
        let Some(eq) = chars.iter().position(|&c| c == '=') else {
            return Err(err(chars.len(), "expected NAME=\"ENDPOINT: CONDITION\""));
        };
        let name: String = chars[..eq].iter().collect::<String>().trim().to_string();
        check_name(text, &name)?;
        let Some(colon) = chars[eq..].iter().position(|&c| c == ':').map(|i| i + eq) else {
            return Err(err(chars.len(), "expected ':' after the endpoint"));
        };
        let endpoint: String = chars[eq + 1..colon]
            .iter()
            .collect::<String>()
            .trim()
            .to_string();
        if endpoint.is_empty() {
            return Err(err(eq + 1, "expected an endpoint before ':'"));
        }
        // Split at the word `where` (outside any identifier).
        let rest: String = chars[colon + 1..].iter().collect();
        let lower = rest.to_ascii_lowercase();
        let mut split = None;
        for (byte, _) in lower.match_indices("where") {
            let before = lower[..byte].chars().last();
            let after = lower[byte + 5..].chars().next();
            let boundary = |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
            if boundary(before) && boundary(after) {
                split = Some(byte);
                break;
            }
        }
        let start = colon + 1;
        let (condition, population) = match split {
            Some(byte) => {
                let cond = &rest[..byte];
                let pop = &rest[byte + 5..];
                let pop_start = start + rest[..byte + 5].chars().count();
                (
                    parse_condition(text, start, cond)?,
                    Some(parse_condition(text, pop_start, pop)?),
                )
            }
            None => (parse_condition(text, start, &rest)?, None),
        };
        Ok(ResponseDefinition {
            name,
            endpoint,
            condition,
            population,
            text: text.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(baseline: f64, value: Option<f64>) -> PatientValues {
        PatientValues { baseline, value }
    }

    #[test]
    fn the_issue_examples_parse_and_classify() {
        let d: ResponseDefinition = "iga01=iga: value <= 1 and change <= -2".parse().unwrap();
        assert_eq!((d.name.as_str(), d.endpoint.as_str()), ("iga01", "iga"));
        assert_eq!(d.classify(&p(3.0, Some(1.0))), Some(true));
        assert_eq!(d.classify(&p(2.0, Some(1.0))), Some(false));
        assert_eq!(d.classify(&p(2.0, None)), None);
        let d: ResponseDefinition = "itch4=pruritus: change <= -4 where baseline >= 4"
            .parse()
            .unwrap();
        assert_eq!(
            d.classify(&p(3.0, Some(0.0))),
            None,
            "not in the denominator"
        );
        assert_eq!(d.classify(&p(8.0, Some(4.0))), Some(true));
        assert_eq!(d.classify(&p(8.0, Some(5.0))), Some(false));
        let d: ResponseDefinition = "pasi90=pasi: pct_change <= -90".parse().unwrap();
        assert_eq!(d.classify(&p(20.0, Some(2.0))), Some(true));
        assert_eq!(
            d.classify(&p(0.0, Some(0.0))),
            None,
            "no percent change at baseline 0"
        );
        let d: ResponseDefinition = "x=e: not (value > 2 or value == 0) and baseline != 1"
            .parse()
            .unwrap();
        assert_eq!(d.classify(&p(3.0, Some(1.5))), Some(true));
        assert_eq!(d.classify(&p(3.0, Some(0.0))), Some(false));
    }

    #[test]
    fn errors_point_at_the_character() {
        let cases = [
            (
                "iga01=iga: value <= 1 and chnge <= -2",
                26,
                "unknown variable 'chnge'",
            ),
            ("iga01=iga: value <= ", 20, "expected value"),
            ("iga01=iga: value 1", 17, "expected a comparison"),
            ("iga01=iga: (value < 1", 21, "expected ')'"),
            ("iga01=iga: value < 1 value", 21, "expected 'and'"),
            ("iga01=iga: value < 1 where", 26, "expected a condition"),
            ("iga01 iga value < 1", 19, "expected NAME="),
            ("responder9=iga: value < 1", 0, "taken"),
            ("iga01=iga: value < 1e", 19, "not a number"),
            ("iga01=iga: value ~ 1", 17, "unexpected character '~'"),
        ];
        for (text, at, fragment) in cases {
            let e = text.parse::<ResponseDefinition>().unwrap_err();
            assert_eq!(e.at, at, "{text}: {e}");
            assert!(e.message.contains(fragment), "{text}: {e}");
            let shown = e.to_string();
            let caret_line = shown.lines().last().unwrap();
            assert_eq!(caret_line.find('^'), Some(2 + at), "{shown}");
        }
    }
}
