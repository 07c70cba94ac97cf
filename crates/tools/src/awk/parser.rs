//! awk's grammar read into a tree: rules (`BEGIN`, `END`, patterns, ranges), function
//! definitions, statements and expressions with POSIX awk's precedence, and BusyBox's two
//! syntax messages ("Unexpected token", "Unexpected end of string") with the line they stand on.
//!
//! Why this file is long: it is one recursive descent, a function per level of awk's precedence
//! read top to bottom, and the tree it builds (`Expr`, `Stmt`), which the functions mirror.

use std::collections::HashMap;

use super::lexer::{tokens, LexError, Tok};

/// Where a variable lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Var {
    Global(usize),
    /// A function's parameter (or extra parameter used as a local).
    Local(usize),
}

#[derive(Debug, Clone)]
pub enum LValue {
    Var(Var),
    Field(Box<Expr>),
    Index(Var, Vec<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

#[derive(Debug, Clone)]
pub enum Getline {
    /// `getline [var]`: the next record of the main input.
    Main,
    /// `getline [var] < file`.
    File(Box<Expr>),
    /// `cmd | getline [var]`.
    Cmd(Box<Expr>),
}

#[derive(Debug, Clone)]
pub enum Expr {
    Num(f64),
    Str(String),
    /// A regular expression literal: as a value, whether it matches `$0`.
    Regex(String),
    Var(Var),
    Field(Box<Expr>),
    Index(Var, Vec<Expr>),
    Assign(Option<BinOp>, Box<LValue>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Plus(Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    /// `a ~ b` (`true`) or `a !~ b`.
    Match(bool, Box<Expr>, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    In(Vec<Expr>, Var),
    /// `++x` / `--x` (`pre`), `x++` / `x--`; the step is +1 or -1.
    Incr {
        pre: bool,
        step: f64,
        target: Box<LValue>,
    },
    Call(usize, Vec<Expr>),
    Builtin(String, Vec<Expr>),
    Getline(Getline, Option<Box<LValue>>),
    /// A parenthesised expression (it keeps `>` from meaning redirection in `print`).
    Group(Box<Expr>),
}

/// Where `print` and `printf` write.
#[derive(Debug, Clone)]
pub enum Redirect {
    File(Expr),
    Append(Expr),
    Pipe(Expr),
}

#[derive(Debug, Clone)]
pub enum Stmt {
    Expr(Expr),
    Print(Vec<Expr>, Option<Redirect>),
    Printf(Vec<Expr>, Option<Redirect>),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    Do(Box<Stmt>, Expr),
    For(
        Option<Box<Stmt>>,
        Option<Expr>,
        Option<Box<Stmt>>,
        Box<Stmt>,
    ),
    ForIn(Var, Var, Box<Stmt>),
    Block(Vec<Stmt>),
    Next,
    NextFile,
    Exit(Option<Expr>),
    Return(Option<Expr>),
    Break,
    Continue,
    Delete(Var, Option<Vec<Expr>>),
    /// Where the statement's line starts (for runtime messages).
    Line(u32),
}

#[derive(Debug, Clone)]
pub enum Pattern {
    Begin,
    End,
    All,
    Expr(Expr),
    Range(Expr, Expr),
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub pattern: Pattern,
    /// `None`: print the record.
    pub action: Option<Vec<Stmt>>,
}

#[derive(Debug, Clone, Default)]
pub struct Func {
    pub params: usize,
    /// Which parameters the body uses as arrays.
    pub array_params: Vec<bool>,
    pub body: Vec<Stmt>,
    pub defined: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Program {
    pub rules: Vec<Rule>,
    pub funcs: Vec<Func>,
    pub globals: Vec<String>,
}

/// A syntax error: the message and the program line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: u32,
    pub msg: String,
}

/// The special variables, interned first, in this order.
pub const SPECIAL: &[&str] = &[
    "NR", "NF", "FNR", "FS", "OFS", "ORS", "RS", "FILENAME", "SUBSEP", "RSTART", "RLENGTH",
    "CONVFMT", "OFMT", "ENVIRON", "ARGC", "ARGV", "ERRNO",
];

struct Parser {
    toks: Vec<(Tok, u32)>,
    pos: usize,
    globals: HashMap<String, usize>,
    global_names: Vec<String>,
    funcs: HashMap<String, usize>,
    func_list: Vec<Func>,
    /// The current function's parameters.
    locals: Option<Vec<String>>,
    array_use: Vec<bool>,
    loops: u32,
    /// Inside `print`'s arguments: `>` is a redirection, `in` ... unchanged.
    no_gt: bool,
    /// Expressions nested so far (a bound on recursion).
    depth: u32,
}

/// The most nested expressions and statements a program may have (layerbox limit).
const MAX_DEPTH: u32 = 150;

pub fn parse(src: &str) -> Result<Program, SyntaxError> {
    let toks = tokens(src).map_err(|e| match e {
        LexError::UnexpectedEos(line) => SyntaxError {
            line,
            msg: "Unexpected end of string".into(),
        },
        LexError::UnexpectedToken(line) => SyntaxError {
            line,
            msg: "Unexpected token".into(),
        },
    })?;
    let mut p = Parser {
        toks,
        pos: 0,
        globals: HashMap::new(),
        global_names: Vec::new(),
        funcs: HashMap::new(),
        func_list: Vec::new(),
        locals: None,
        array_use: Vec::new(),
        loops: 0,
        no_gt: false,
        depth: 0,
    };
    for s in SPECIAL {
        p.global(s);
    }
    let mut rules = Vec::new();
    loop {
        p.skip_terms();
        match p.peek().clone() {
            Tok::Eof => break,
            Tok::Kw("function" | "func") => {
                p.pos += 1;
                p.function()?;
            }
            Tok::Kw("BEGIN") => {
                p.pos += 1;
                let action = p.action()?;
                rules.push(Rule {
                    pattern: Pattern::Begin,
                    action: Some(action),
                });
            }
            Tok::Kw("END") => {
                p.pos += 1;
                let action = p.action()?;
                rules.push(Rule {
                    pattern: Pattern::End,
                    action: Some(action),
                });
            }
            Tok::Op("{") => {
                let action = p.action()?;
                rules.push(Rule {
                    pattern: Pattern::All,
                    action: Some(action),
                });
            }
            _ => {
                let a = p.expr()?;
                let pattern = if p.eat_op(",") {
                    p.skip_newlines();
                    Pattern::Range(a, p.expr()?)
                } else {
                    Pattern::Expr(a)
                };
                let action = if p.peek() == &Tok::Op("{") {
                    Some(p.action()?)
                } else {
                    None
                };
                rules.push(Rule { pattern, action });
            }
        }
    }
    // A call of a function never defined fails when it runs, as in BusyBox.
    Ok(Program {
        rules,
        funcs: p.func_list,
        globals: p.global_names,
    })
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos.min(self.toks.len() - 1)].0
    }

    fn peek_at(&self, n: usize) -> &Tok {
        &self.toks[(self.pos + n).min(self.toks.len() - 1)].0
    }

    fn line(&self) -> u32 {
        self.toks[self.pos.min(self.toks.len() - 1)].1
    }

    fn next(&mut self) -> Tok {
        let t = self.peek().clone();
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    /// The error at the current token: "Unexpected end of string" when the token before it
    /// ended a line or the program, as BusyBox decides.
    fn error(&self) -> SyntaxError {
        let prev = self.pos.checked_sub(1).map(|i| &self.toks[i].0);
        let eos = matches!(prev, Some(Tok::Newline | Tok::Eof))
            || self.peek() == &Tok::Eof && prev.is_none();
        SyntaxError {
            line: self.line(),
            msg: if eos {
                "Unexpected end of string".into()
            } else {
                "Unexpected token".into()
            },
        }
    }

    fn fail<T>(&self, msg: &str) -> Result<T, SyntaxError> {
        Err(SyntaxError {
            line: self.line(),
            msg: msg.into(),
        })
    }

    fn eat_op(&mut self, op: &str) -> bool {
        if matches!(self.peek(), Tok::Op(o) if *o == op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect_op(&mut self, op: &str) -> Result<(), SyntaxError> {
        if self.eat_op(op) {
            Ok(())
        } else {
            Err(self.error())
        }
    }

    fn skip_newlines(&mut self) {
        while self.peek() == &Tok::Newline {
            self.pos += 1;
        }
    }

    fn skip_terms(&mut self) {
        while matches!(self.peek(), Tok::Newline | Tok::Op(";")) {
            self.pos += 1;
        }
    }

    fn global(&mut self, name: &str) -> usize {
        if let Some(&i) = self.globals.get(name) {
            return i;
        }
        let i = self.global_names.len();
        self.global_names.push(name.to_string());
        self.globals.insert(name.to_string(), i);
        i
    }

    fn var(&mut self, name: &str) -> Var {
        if let Some(locals) = &self.locals {
            if let Some(i) = locals.iter().position(|l| l == name) {
                return Var::Local(i);
            }
        }
        Var::Global(self.global(name))
    }

    /// `name` used as an array.
    fn array(&mut self, name: &str) -> Var {
        let v = self.var(name);
        if let Var::Local(i) = v {
            if let Some(u) = self.array_use.get_mut(i) {
                *u = true;
            }
        }
        v
    }

    fn func_index(&mut self, name: &str) -> usize {
        if let Some(&i) = self.funcs.get(name) {
            return i;
        }
        let i = self.func_list.len();
        self.func_list.push(Func::default());
        self.funcs.insert(name.to_string(), i);
        i
    }

    fn function(&mut self) -> Result<(), SyntaxError> {
        let name = match self.next() {
            Tok::Call(n) => n,
            Tok::Name(n) => {
                self.expect_op("(")?;
                n
            }
            _ => {
                self.pos -= 1;
                return Err(self.error());
            }
        };
        let idx = self.func_index(&name);
        if self.func_list[idx].defined {
            return self.fail("Duplicate function");
        }
        let mut params = Vec::new();
        if !self.eat_op(")") {
            loop {
                self.skip_newlines();
                match self.next() {
                    Tok::Name(n) => params.push(n),
                    _ => {
                        self.pos -= 1;
                        return Err(self.error());
                    }
                }
                self.skip_newlines();
                if self.eat_op(")") {
                    break;
                }
                self.expect_op(",")?;
            }
        }
        self.skip_newlines();
        let n = params.len();
        self.locals = Some(params);
        self.array_use = vec![false; n];
        let body = self.action();
        self.locals = None;
        let body = body?;
        let f = &mut self.func_list[idx];
        f.params = n;
        f.array_params = std::mem::take(&mut self.array_use);
        f.body = body;
        f.defined = true;
        Ok(())
    }

    /// `{ statements }`.
    fn action(&mut self) -> Result<Vec<Stmt>, SyntaxError> {
        self.expect_op("{")?;
        let mut body = Vec::new();
        loop {
            self.skip_terms();
            if self.eat_op("}") {
                return Ok(body);
            }
            if self.peek() == &Tok::Eof {
                return Err(self.error());
            }
            body.push(Stmt::Line(self.line()));
            body.push(self.statement()?);
        }
    }

    /// The end of a simple statement: `;`, a newline, or (left in place) `}` or the end.
    fn end_simple(&mut self) -> Result<(), SyntaxError> {
        match self.peek() {
            Tok::Op(";") | Tok::Newline => {
                self.pos += 1;
                Ok(())
            }
            Tok::Op("}") | Tok::Eof => Ok(()),
            _ => Err(self.error()),
        }
    }

    fn body(&mut self) -> Result<Box<Stmt>, SyntaxError> {
        self.skip_newlines();
        if self.eat_op(";") {
            return Ok(Box::new(Stmt::Block(Vec::new())));
        }
        Ok(Box::new(self.statement()?))
    }

    fn statement(&mut self) -> Result<Stmt, SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.fail("program nested too deeply (layerbox limit)");
        }
        let r = self.statement_inner();
        self.depth -= 1;
        r
    }

    fn statement_inner(&mut self) -> Result<Stmt, SyntaxError> {
        match self.peek().clone() {
            Tok::Op("{") => {
                self.pos += 1;
                let mut body = Vec::new();
                loop {
                    self.skip_terms();
                    if self.eat_op("}") {
                        return Ok(Stmt::Block(body));
                    }
                    if self.peek() == &Tok::Eof {
                        return Err(self.error());
                    }
                    body.push(Stmt::Line(self.line()));
                    body.push(self.statement()?);
                }
            }
            Tok::Kw("if") => {
                self.pos += 1;
                self.expect_op("(")?;
                let c = self.expr()?;
                self.expect_op(")")?;
                let then = self.body()?;
                // `else` may follow after newlines and one `;`.
                let save = self.pos;
                self.skip_terms();
                if self.peek() == &Tok::Kw("else") {
                    self.pos += 1;
                    let e = self.body()?;
                    Ok(Stmt::If(c, then, Some(e)))
                } else {
                    self.pos = save;
                    Ok(Stmt::If(c, then, None))
                }
            }
            Tok::Kw("while") => {
                self.pos += 1;
                self.expect_op("(")?;
                let c = self.expr()?;
                self.expect_op(")")?;
                if self.eat_op(";") {
                    return Ok(Stmt::While(c, Box::new(Stmt::Block(Vec::new()))));
                }
                self.loops += 1;
                let b = self.body();
                self.loops -= 1;
                Ok(Stmt::While(c, b?))
            }
            Tok::Kw("do") => {
                self.pos += 1;
                self.loops += 1;
                let b = self.body();
                self.loops -= 1;
                let b = b?;
                self.skip_terms();
                if self.next() != Tok::Kw("while") {
                    self.pos -= 1;
                    return Err(self.error());
                }
                self.expect_op("(")?;
                let c = self.expr()?;
                self.expect_op(")")?;
                self.end_simple()?;
                Ok(Stmt::Do(b, c))
            }
            Tok::Kw("for") => {
                self.pos += 1;
                self.expect_op("(")?;
                if let (Tok::Name(k), Tok::Kw("in"), Tok::Name(a), Tok::Op(")")) = (
                    self.peek().clone(),
                    self.peek_at(1).clone(),
                    self.peek_at(2).clone(),
                    self.peek_at(3).clone(),
                ) {
                    self.pos += 4;
                    let kv = self.var(&k);
                    let av = self.array(&a);
                    self.loops += 1;
                    let b = self.body();
                    self.loops -= 1;
                    return Ok(Stmt::ForIn(kv, av, b?));
                }
                let init = if self.peek() == &Tok::Op(";") {
                    None
                } else {
                    Some(Box::new(self.simple()?))
                };
                self.expect_op(";")?;
                self.skip_newlines();
                let cond = if self.peek() == &Tok::Op(";") {
                    None
                } else {
                    Some(self.expr()?)
                };
                self.expect_op(";")?;
                self.skip_newlines();
                let incr = if self.peek() == &Tok::Op(")") {
                    None
                } else {
                    Some(Box::new(self.simple()?))
                };
                self.expect_op(")")?;
                if self.eat_op(";") {
                    return Ok(Stmt::For(
                        init,
                        cond,
                        incr,
                        Box::new(Stmt::Block(Vec::new())),
                    ));
                }
                self.loops += 1;
                let b = self.body();
                self.loops -= 1;
                Ok(Stmt::For(init, cond, incr, b?))
            }
            Tok::Op(";") => {
                self.pos += 1;
                Ok(Stmt::Block(Vec::new()))
            }
            _ => {
                let s = self.simple()?;
                self.end_simple()?;
                Ok(s)
            }
        }
    }

    /// A simple statement (no terminator).
    fn simple(&mut self) -> Result<Stmt, SyntaxError> {
        match self.peek().clone() {
            Tok::Kw(k @ ("print" | "printf")) => {
                self.pos += 1;
                let args = self.print_args()?;
                if k == "printf" && args.is_empty() {
                    return self.fail("Too few arguments");
                }
                let redirect = match self.peek() {
                    Tok::Op(">") => {
                        self.pos += 1;
                        Some(Redirect::File(self.concat_no_gt()?))
                    }
                    Tok::Op(">>") => {
                        self.pos += 1;
                        Some(Redirect::Append(self.concat_no_gt()?))
                    }
                    Tok::Op("|") => {
                        self.pos += 1;
                        Some(Redirect::Pipe(self.concat_no_gt()?))
                    }
                    _ => None,
                };
                Ok(if k == "print" {
                    Stmt::Print(args, redirect)
                } else {
                    Stmt::Printf(args, redirect)
                })
            }
            Tok::Kw("next") => {
                self.pos += 1;
                Ok(Stmt::Next)
            }
            Tok::Kw("nextfile") => {
                self.pos += 1;
                Ok(Stmt::NextFile)
            }
            Tok::Kw("exit") => {
                self.pos += 1;
                let e = if self.at_end() {
                    None
                } else {
                    Some(self.expr()?)
                };
                Ok(Stmt::Exit(e))
            }
            Tok::Kw("return") => {
                self.pos += 1;
                let e = if self.at_end() {
                    None
                } else {
                    Some(self.expr()?)
                };
                Ok(Stmt::Return(e))
            }
            Tok::Kw("break") => {
                self.pos += 1;
                if self.loops == 0 {
                    return self.fail("'break' not in a loop");
                }
                Ok(Stmt::Break)
            }
            Tok::Kw("continue") => {
                self.pos += 1;
                if self.loops == 0 {
                    return self.fail("'continue' not in a loop");
                }
                Ok(Stmt::Continue)
            }
            Tok::Kw("delete") => {
                self.pos += 1;
                let name = match self.next() {
                    Tok::Name(n) => n,
                    Tok::Op(";" | "}") | Tok::Newline | Tok::Eof => {
                        self.pos -= 1;
                        return self.fail("Too few arguments");
                    }
                    _ => {
                        self.pos -= 1;
                        return Err(self.error());
                    }
                };
                let v = self.array(&name);
                if self.eat_op("[") {
                    let subs = self.expr_list("]")?;
                    Ok(Stmt::Delete(v, Some(subs)))
                } else {
                    Ok(Stmt::Delete(v, None))
                }
            }
            _ => Ok(Stmt::Expr(self.expr()?)),
        }
    }

    fn at_end(&self) -> bool {
        matches!(self.peek(), Tok::Op(";" | "}") | Tok::Newline | Tok::Eof)
    }

    /// `print`'s operands: none, a list, or a parenthesised list.
    fn print_args(&mut self) -> Result<Vec<Expr>, SyntaxError> {
        if matches!(
            self.peek(),
            Tok::Op(";" | "}" | ">" | ">>" | "|") | Tok::Newline | Tok::Eof
        ) {
            return Ok(Vec::new());
        }
        if self.peek() == &Tok::Op("(") {
            // `print (a, b) > "f"`: the parentheses hold the whole list when what follows
            // the matching `)` ends the statement or redirects it.
            let mut depth = 0;
            let mut i = self.pos;
            while i < self.toks.len() {
                match &self.toks[i].0 {
                    Tok::Op("(") => depth += 1,
                    Tok::Op(")") => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    Tok::Call(_) => depth += 1,
                    Tok::Eof => break,
                    _ => {}
                }
                i += 1;
            }
            let after = self.toks.get(i + 1).map(|t| &t.0);
            if matches!(
                after,
                Some(Tok::Op(";" | "}" | ">" | ">>" | "|") | Tok::Newline | Tok::Eof)
            ) {
                self.pos += 1;
                let list = self.expr_list(")")?;
                if list.is_empty() {
                    return self.fail("Empty sequence");
                }
                return Ok(list);
            }
        }
        let save = self.no_gt;
        self.no_gt = true;
        let mut list = vec![self.expr()?];
        while self.eat_op(",") {
            self.skip_newlines();
            list.push(self.expr()?);
        }
        self.no_gt = save;
        Ok(list)
    }

    /// Expressions separated by commas up to `close`.
    fn expr_list(&mut self, close: &str) -> Result<Vec<Expr>, SyntaxError> {
        let save = self.no_gt;
        self.no_gt = false;
        let mut list = Vec::new();
        self.skip_newlines();
        if self.eat_op(close) {
            self.no_gt = save;
            return Ok(list);
        }
        loop {
            self.skip_newlines();
            list.push(self.expr()?);
            self.skip_newlines();
            if self.eat_op(close) {
                break;
            }
            self.expect_op(",")?;
        }
        self.no_gt = save;
        Ok(list)
    }

    fn concat_no_gt(&mut self) -> Result<Expr, SyntaxError> {
        let save = self.no_gt;
        self.no_gt = true;
        let e = self.concat();
        self.no_gt = save;
        e
    }

    pub fn expr(&mut self) -> Result<Expr, SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.fail("program nested too deeply (layerbox limit)");
        }
        let r = self.ternary();
        self.depth -= 1;
        r
    }

    fn ternary(&mut self) -> Result<Expr, SyntaxError> {
        let c = self.or()?;
        if self.eat_op("?") {
            self.skip_newlines();
            let a = self.expr()?;
            self.skip_newlines();
            self.expect_op(":")?;
            self.skip_newlines();
            let b = self.expr()?;
            return Ok(Expr::Cond(Box::new(c), Box::new(a), Box::new(b)));
        }
        let assign = match self.peek() {
            Tok::Op("=") => Some(None),
            Tok::Op("+=") => Some(Some(BinOp::Add)),
            Tok::Op("-=") => Some(Some(BinOp::Sub)),
            Tok::Op("*=") => Some(Some(BinOp::Mul)),
            Tok::Op("/=") => Some(Some(BinOp::Div)),
            Tok::Op("%=") => Some(Some(BinOp::Mod)),
            Tok::Op("^=" | "**=") => Some(Some(BinOp::Pow)),
            _ => None,
        };
        if let Some(op) = assign {
            if let Some(lv) = lvalue(&c) {
                self.pos += 1;
                self.skip_newlines();
                let rhs = self.expr()?;
                return Ok(Expr::Assign(op, Box::new(lv), Box::new(rhs)));
            }
        }
        Ok(c)
    }

    fn or(&mut self) -> Result<Expr, SyntaxError> {
        let depth = self.depth;
        let r = self.or_chain();
        self.depth = depth;
        r
    }

    fn or_chain(&mut self) -> Result<Expr, SyntaxError> {
        let mut a = self.and()?;
        while self.eat_op("||") {
            self.skip_newlines();
            let b = self.and()?;
            a = Expr::Or(Box::new(a), Box::new(b));
            self.grow()?;
        }
        Ok(a)
    }

    fn and(&mut self) -> Result<Expr, SyntaxError> {
        let depth = self.depth;
        let r = self.and_chain();
        self.depth = depth;
        r
    }

    fn and_chain(&mut self) -> Result<Expr, SyntaxError> {
        let mut a = self.in_expr()?;
        while self.eat_op("&&") {
            self.skip_newlines();
            let b = self.in_expr()?;
            a = Expr::And(Box::new(a), Box::new(b));
            self.grow()?;
        }
        Ok(a)
    }

    fn in_expr(&mut self) -> Result<Expr, SyntaxError> {
        let depth = self.depth;
        let r = self.in_expr_chain();
        self.depth = depth;
        r
    }

    fn in_expr_chain(&mut self) -> Result<Expr, SyntaxError> {
        let mut a = self.matching()?;
        while self.peek() == &Tok::Kw("in") {
            self.pos += 1;
            let name = match self.next() {
                Tok::Name(n) => n,
                _ => {
                    self.pos -= 1;
                    return Err(self.error());
                }
            };
            let v = self.array(&name);
            a = Expr::In(vec![a], v);
            self.grow()?;
        }
        Ok(a)
    }

    fn matching(&mut self) -> Result<Expr, SyntaxError> {
        let depth = self.depth;
        let r = self.matching_chain();
        self.depth = depth;
        r
    }

    fn matching_chain(&mut self) -> Result<Expr, SyntaxError> {
        let mut a = self.comparison()?;
        loop {
            let pos = match self.peek() {
                Tok::Op("~") => true,
                Tok::Op("!~") => false,
                _ => return Ok(a),
            };
            self.pos += 1;
            let b = self.comparison()?;
            a = Expr::Match(pos, Box::new(a), Box::new(b));
            self.grow()?;
        }
    }

    fn comparison(&mut self) -> Result<Expr, SyntaxError> {
        let depth = self.depth;
        let r = self.comparison_chain();
        self.depth = depth;
        r
    }

    fn comparison_chain(&mut self) -> Result<Expr, SyntaxError> {
        let mut a = self.concat()?;
        loop {
            let op = match self.peek() {
                Tok::Op("<") => CmpOp::Lt,
                Tok::Op("<=") => CmpOp::Le,
                Tok::Op(">") if !self.no_gt => CmpOp::Gt,
                Tok::Op(">=") => CmpOp::Ge,
                Tok::Op("==") => CmpOp::Eq,
                Tok::Op("!=") => CmpOp::Ne,
                Tok::Op("|") if self.peek_at(1) == &Tok::Kw("getline") => {
                    self.pos += 2;
                    let target = self.getline_target()?;
                    a = Expr::Getline(Getline::Cmd(Box::new(a)), target);
                    self.grow()?;
                    continue;
                }
                _ => return Ok(a),
            };
            self.pos += 1;
            let b = self.concat()?;
            a = Expr::Cmp(op, Box::new(a), Box::new(b));
            self.grow()?;
        }
    }

    fn concat(&mut self) -> Result<Expr, SyntaxError> {
        let depth = self.depth;
        let r = self.concat_chain();
        self.depth = depth;
        r
    }

    fn concat_chain(&mut self) -> Result<Expr, SyntaxError> {
        let mut a = self.additive()?;
        while self.starts_operand() {
            let b = self.additive()?;
            a = Expr::Concat(Box::new(a), Box::new(b));
            self.grow()?;
        }
        Ok(a)
    }

    /// Whether the next token can begin a concatenated operand.
    fn starts_operand(&self) -> bool {
        match self.peek() {
            Tok::Num(_)
            | Tok::Str(_)
            | Tok::Regex(_)
            | Tok::Name(_)
            | Tok::Call(_)
            | Tok::Builtin(_) => true,
            Tok::Op(op) => {
                matches!(*op, "$" | "!" | "(" | "-" | "+" | "++" | "--")
                    && !matches!(*op, "-" | "+")
            }
            Tok::Kw("getline") => false,
            _ => false,
        }
    }

    fn additive(&mut self) -> Result<Expr, SyntaxError> {
        let depth = self.depth;
        let r = self.additive_chain();
        self.depth = depth;
        r
    }

    fn additive_chain(&mut self) -> Result<Expr, SyntaxError> {
        let mut a = self.multiplicative()?;
        loop {
            let op = match self.peek() {
                Tok::Op("+") => BinOp::Add,
                Tok::Op("-") => BinOp::Sub,
                _ => return Ok(a),
            };
            self.pos += 1;
            let b = self.multiplicative()?;
            a = Expr::Bin(op, Box::new(a), Box::new(b));
            self.grow()?;
        }
    }

    fn multiplicative(&mut self) -> Result<Expr, SyntaxError> {
        let depth = self.depth;
        let r = self.multiplicative_chain();
        self.depth = depth;
        r
    }

    fn multiplicative_chain(&mut self) -> Result<Expr, SyntaxError> {
        let mut a = self.unary()?;
        loop {
            let op = match self.peek() {
                Tok::Op("*") => BinOp::Mul,
                Tok::Op("/") => BinOp::Div,
                Tok::Op("%") => BinOp::Mod,
                _ => return Ok(a),
            };
            self.pos += 1;
            let b = self.unary()?;
            a = Expr::Bin(op, Box::new(a), Box::new(b));
            self.grow()?;
        }
    }

    fn unary(&mut self) -> Result<Expr, SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.fail("program nested too deeply (layerbox limit)");
        }
        let r = match self.peek() {
            Tok::Op("!") => {
                self.pos += 1;
                self.unary().map(|e| Expr::Not(Box::new(e)))
            }
            Tok::Op("-") => {
                self.pos += 1;
                self.unary().map(|e| Expr::Neg(Box::new(e)))
            }
            Tok::Op("+") => {
                self.pos += 1;
                self.unary().map(|e| Expr::Plus(Box::new(e)))
            }
            _ => self.power(),
        };
        self.depth -= 1;
        r
    }

    fn power(&mut self) -> Result<Expr, SyntaxError> {
        let a = self.postfix()?;
        if matches!(self.peek(), Tok::Op("^" | "**")) {
            self.pos += 1;
            // Right-associative, and `2^-1` allows a sign.
            let b = self.unary()?;
            return Ok(Expr::Bin(BinOp::Pow, Box::new(a), Box::new(b)));
        }
        Ok(a)
    }

    fn postfix(&mut self) -> Result<Expr, SyntaxError> {
        let e = self.primary()?;
        if let Some(lv) = lvalue(&e) {
            let step = match self.peek() {
                Tok::Op("++") => Some(1.0),
                Tok::Op("--") => Some(-1.0),
                _ => None,
            };
            if let Some(step) = step {
                self.pos += 1;
                return Ok(Expr::Incr {
                    pre: false,
                    step,
                    target: Box::new(lv),
                });
            }
        }
        Ok(e)
    }

    /// One more link in a chain of binary operators: the tree grows one level deeper, so it
    /// counts against [`MAX_DEPTH`] too (evaluating and dropping it recurse by its depth).
    fn grow(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.fail("program nested too deeply (layerbox limit)");
        }
        Ok(())
    }

    fn primary(&mut self) -> Result<Expr, SyntaxError> {
        self.grow()?;
        let r = self.primary_inner();
        self.depth -= 1;
        r
    }

    fn primary_inner(&mut self) -> Result<Expr, SyntaxError> {
        let line_tok = self.next();
        match line_tok {
            Tok::Num(n) => Ok(Expr::Num(n)),
            Tok::Str(s) => Ok(Expr::Str(s)),
            Tok::Regex(r) => Ok(Expr::Regex(r)),
            Tok::Op("$") => {
                let e = self.field_operand()?;
                Ok(Expr::Field(Box::new(e)))
            }
            Tok::Op(op @ ("++" | "--")) => {
                let e = self.primary()?;
                let Some(lv) = lvalue(&e) else {
                    return Err(self.error());
                };
                Ok(Expr::Incr {
                    pre: true,
                    step: if op == "++" { 1.0 } else { -1.0 },
                    target: Box::new(lv),
                })
            }
            Tok::Op("(") => {
                let list = self.expr_list(")")?;
                if list.is_empty() {
                    return self.fail("Empty sequence");
                }
                if list.len() > 1 {
                    if self.peek() != &Tok::Kw("in") {
                        return Err(self.error());
                    }
                    self.pos += 1;
                    let name = match self.next() {
                        Tok::Name(n) => n,
                        _ => {
                            self.pos -= 1;
                            return Err(self.error());
                        }
                    };
                    let v = self.array(&name);
                    return Ok(Expr::In(list, v));
                }
                let e = list.into_iter().next().unwrap_or(Expr::Num(0.0));
                Ok(Expr::Group(Box::new(e)))
            }
            Tok::Op("-") => {
                let e = self.unary()?;
                Ok(Expr::Neg(Box::new(e)))
            }
            Tok::Op("!") => {
                let e = self.unary()?;
                Ok(Expr::Not(Box::new(e)))
            }
            Tok::Name(n) => {
                if self.peek() == &Tok::Op("[") {
                    self.pos += 1;
                    let subs = self.expr_list("]")?;
                    if subs.is_empty() {
                        return Err(self.error());
                    }
                    let v = self.array(&n);
                    return Ok(Expr::Index(v, subs));
                }
                Ok(Expr::Var(self.var(&n)))
            }
            Tok::Call(n) => {
                let args = self.expr_list(")")?;
                let f = self.func_index(&n);
                Ok(Expr::Call(f, args))
            }
            Tok::Builtin(b) => {
                let args = if self.eat_op("(") {
                    self.expr_list(")")?
                } else if b == "length" {
                    Vec::new()
                } else {
                    return Err(self.error());
                };
                // Array arguments: `split(s, arr)`, `length(arr)`.
                if b == "split" {
                    if let Some(Expr::Var(Var::Local(i))) = args.get(1) {
                        if let Some(u) = self.array_use.get_mut(*i) {
                            *u = true;
                        }
                    }
                }
                Ok(Expr::Builtin(b, args))
            }
            Tok::Kw("getline") => {
                let target = self.getline_target()?;
                if self.eat_op("<") {
                    let file = self.getline_file()?;
                    return Ok(Expr::Getline(Getline::File(Box::new(file)), target));
                }
                Ok(Expr::Getline(Getline::Main, target))
            }
            _ => {
                self.pos -= 1;
                Err(self.error())
            }
        }
    }

    /// What `$` applies to: a primary, with `++`/`--` and `-` as prefixes.
    fn field_operand(&mut self) -> Result<Expr, SyntaxError> {
        match self.peek() {
            Tok::Op("-") => {
                self.pos += 1;
                Ok(Expr::Neg(Box::new(self.field_operand()?)))
            }
            _ => self.primary(),
        }
    }

    fn getline_target(&mut self) -> Result<Option<Box<LValue>>, SyntaxError> {
        match self.peek().clone() {
            Tok::Name(_) | Tok::Op("$") => {
                let e = self.primary()?;
                Ok(lvalue(&e).map(Box::new))
            }
            _ => Ok(None),
        }
    }

    /// The file of `getline < file`: a primary, possibly concatenated only in parentheses.
    fn getline_file(&mut self) -> Result<Expr, SyntaxError> {
        self.primary()
    }
}

/// `e` as something assignable.
fn lvalue(e: &Expr) -> Option<LValue> {
    match e {
        Expr::Var(v) => Some(LValue::Var(*v)),
        Expr::Field(i) => Some(LValue::Field(i.clone())),
        Expr::Index(v, s) => Some(LValue::Index(*v, s.clone())),
        _ => None,
    }
}
