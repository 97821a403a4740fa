"""What a user's read-only Cypher may do, checked twice: on its text before it is sent, and on the
plan Neo4j makes of it (every operator, and the nested plans that only an operator's details show).

The text check reads the query the way Neo4j's parser does where that matters for safety, and
refuses wherever a reading could differ:

* `\\uXXXX` escapes are decoded first (Neo4j's lexer does so before it finds where strings end);
* outside string literals and quoted names only printable characters, space, tab, `\\n` and `\\r`
  are allowed, so no exotic whitespace or line terminator can end a comment or split a keyword
  for Neo4j and not for us;
* the tokens are read under every plausible reading (escapes decoded or not; a `//` comment ending
  at `\\r` or only at `\\n`) and every reading must pass.

On the tokens: one statement; no `LOAD CSV`; no `... IN TRANSACTIONS`; `CALL name` only for the
read-only procedures below; the query's nesting (brackets, CASE, prefix and postfix chains such as
`NOT NOT …`, `a.b.c…`, labels `:A:B…`) bounded, since Neo4j's parser and planner recurse on it and
a deep enough query overflows their stack and never answers; the XOR operators (which the planner
expands exponentially) and the relationship hops counted; and `range()` bounded when its bounds
are literals or parameters, and refused when they are computed any other way than `size()` or
`length()` plus or minus those, because Neo4j does not stop an expression that iterates over a huge
range when the transaction times out (`UNWIND range(…) AS x` makes rows, and between rows it does).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from stancegraph.schema.errors import InvalidParameterError, QueryRejectedError

# Procedures a read-only query may call: they read the graph or its schema and change nothing.
# Others that Neo4j plans as reads still act on the server or show other clients' queries
# (db.stats.*, db.resampleIndex, db.prepareForReplanning, dbms.listConfig, ...): refused.
READ_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.info",
        "db.ping",
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
        "db.index.fulltext.queryNodes",
        "db.index.fulltext.queryRelationships",
        "db.index.fulltext.listAvailableAnalyzers",
        "db.index.vector.queryNodes",
        "db.index.vector.queryRelationships",
    }
)
# Administration commands Neo4j plans as reads: only these SHOW commands are allowed (not SHOW
# TRANSACTIONS or SHOW SETTINGS, which show other clients' queries and the server's config).
READ_COMMANDS = frozenset({"ShowIndexes", "ShowConstraints", "ShowProcedures", "ShowFunctions"})

MAX_NESTING = 48
"""Deepest nesting the text may have (measured: Neo4j 5.26 overflows at 200–1,000 levels)."""
MAX_TOKENS = 5_000
MAX_HOPS = 64
"""Relationship hops in all the query's patterns (each adds a level to what the planner solves)."""
MAX_XOR = 8
"""XOR operators in one query: the planner's normal form doubles with each (22 take 12 s)."""
MAX_RANGE = 1_000_000
"""Elements one `range()` with literal or parameter bounds may have."""
MAX_RANGE_PRODUCT = 10_000_000
"""Product of the sizes of all `range()` calls in a query (they may be nested)."""

LOAD_CSV = "LOAD CSV is not allowed"
IN_TRANSACTIONS = "CALL { ... } IN TRANSACTIONS is not allowed"
_COMMAND = re.compile(r"^(?:Show|Terminate)[A-Z]")
_FORBIDDEN_OPERATORS = {
    "LoadCSV": LOAD_CSV,
    "TransactionApply": IN_TRANSACTIONS,
    "TransactionForeach": IN_TRANSACTIONS,
}
# In an operator's details, Neo4j prints nested subquery expressions as its own (normalised)
# Cypher, and a procedure call inside them as `ResolvedCall(name(...`.
_DETAILS_CALL = re.compile(r"ResolvedCall\(\s*([^\s(]+)\s*\(")
_DETAILS_LOAD_CSV = re.compile(r"\bLOAD\s+CSV\b", re.IGNORECASE)
_DETAILS_IN_TRANSACTIONS = re.compile(r"\bTRANSACTIONS\b", re.IGNORECASE)

# Cypher reads \uXXXX escapes before it finds where strings end (`'\u0027'` is three quotes), so
# they are decoded first, as Java does: a backslash preceded by an even number of backslashes.
_UNICODE_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u+([0-9a-fA-F]{4})")
_ALLOWED_CONTROLS = frozenset(" \t\n\r")
# Unicode categories refused outside strings and quoted names: controls, format characters
# (zero-width spaces, BOM, bidi overrides), every space but U+0020, line and paragraph
# separators, private use, surrogates and unassigned code points.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Co", "Cs", "Cn"})
_PUNCTUATION_RUNS = ("<>", "<=", ">=", "=~", "+=", "..", "::", "->", "<-")

WORD, NAME, STRING, NUMBER, PARAM, PUNCT = "word", "name", "string", "number", "param", "punct"


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    offset: int

    def keyword(self) -> str:
        """The upper-cased word, or '' for any other token (a quoted name is never a keyword)."""
        return self.text.upper() if self.kind == WORD else ""


def check_request(query: str, params: Mapping[str, Any]) -> None:
    """Everything that can be checked without the database: the parameters, then the text."""
    check_parameters(params)
    check_statement(query, params)


# --- the parameters -----------------------------------------------------------------------------

MAX_PARAMETER_DEPTH = 32
_INT64 = (-(2**63), 2**63 - 1)


def check_parameters(params: Mapping[str, Any]) -> None:
    """Refuse, naming it, a parameter the driver cannot send: an integer beyond 64 bits, a string
    that is not valid Unicode (a lone surrogate), or values nested deeper than Neo4j unpacks."""
    pending: list[tuple[str, Any, int]] = [(f"params.{k}", v, 1) for k, v in params.items()]
    while pending:
        path, value, depth = pending.pop()
        if depth > MAX_PARAMETER_DEPTH:
            raise InvalidParameterError(path, f"nested deeper than {MAX_PARAMETER_DEPTH} levels")
        if isinstance(value, bool) or value is None or isinstance(value, float):
            continue
        if isinstance(value, int):
            if not _INT64[0] <= value <= _INT64[1]:
                raise InvalidParameterError(path, "integer outside the 64-bit range Neo4j stores")
        elif isinstance(value, str):
            _check_unicode(path, value)
        elif isinstance(value, list):
            pending.extend((f"{path}[{i}]", v, depth + 1) for i, v in enumerate(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                _check_unicode(f"{path} (a key)", str(key))
                pending.append((f"{path}.{key}", item, depth + 1))
        else:
            raise InvalidParameterError(path, f"a {type(value).__name__} cannot be sent to Neo4j")
    for key in params:
        _check_unicode("params (a name)", key)


def _check_unicode(path: str, text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidParameterError(
            path, f"not valid Unicode: a lone surrogate U+{ord(text[exc.start]):04X} at {exc.start}"
        ) from None


# --- the text -----------------------------------------------------------------------------------


def check_statement(query: str, params: Mapping[str, Any] | None = None) -> None:
    """Refuse, before anything is sent to Neo4j, what its plan cannot show or what would hang it."""
    for text in sorted({query, decode_escapes(query)}):
        # The two comment readings differ only where a carriage return is.
        for comment_ends_at_cr in (True, False) if "\r" in text else (True,):
            tokens = tokenize(text, comment_ends_at_cr=comment_ends_at_cr)
            _check_tokens(tokens, params or {})


def decode_escapes(query: str) -> str:
    return _UNICODE_ESCAPE.sub(lambda m: m.group(1) + chr(int(m.group(2), 16)), query)


def tokenize(text: str, *, comment_ends_at_cr: bool = True) -> list[Token]:
    """The query's tokens, comments dropped; QueryRejectedError for what cannot be read safely."""
    return list(_tokens(text, comment_ends_at_cr))


def _tokens(text: str, comment_ends_at_cr: bool) -> Iterator[Token]:
    line_ends = "\n\r" if comment_ends_at_cr else "\n"
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t\n\r":
            i += 1
        elif text.startswith("//", i):
            end = min((p for p in (text.find(e, i) for e in line_ends) if p >= 0), default=n)
            _refuse_exotic(text, i, end, "a comment")
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            _refuse_exotic(text, i, end, "a comment")
            i = end
        elif c in "'\"":
            end = _string_end(text, i)
            yield Token(STRING, text[i:end], i)
            i = end
        elif c == "`":
            end = _quoted_name_end(text, i)
            yield Token(NAME, text[i + 1 : end - 1].replace("``", "`"), i)
            i = end
        elif c == "$":
            end = i + 1
            if end < n and text[end] == "`":
                end = _quoted_name_end(text, end)
                name = text[i + 2 : end - 1].replace("``", "`")
            else:
                while end < n and _is_word_char(text[end]):
                    end += 1
                name = text[i + 1 : end]
            yield Token(PARAM, name, i)
            i = end
        elif c.isdigit():
            end = i + 1
            while end < n and (_is_word_char(text[end]) or (text[end] == "." and text[end - 1] != ".")):
                if text[end] == "." and not (end + 1 < n and text[end + 1].isdigit()):
                    break
                end += 1
            yield Token(NUMBER, text[i:end], i)
            i = end
        elif _is_word_char(c):
            end = i + 1
            while end < n and _is_word_char(text[end]):
                end += 1
            yield Token(WORD, text[i:end], i)
            i = end
        else:
            _refuse_exotic(text, i, i + 1, "the query")
            run = next((r for r in _PUNCTUATION_RUNS if text.startswith(r, i)), c)
            yield Token(PUNCT, run, i)
            i += len(run)


def _is_word_char(c: str) -> bool:
    return c == "_" or c.isalnum() or unicodedata.category(c) in {"Mn", "Mc", "Pc"}


def _string_end(text: str, start: int) -> int:
    quote, i = text[start], start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text[i] == quote:
            return i + 1
        else:
            i += 1
    raise QueryRejectedError(f"a string that starts at offset {start} is never closed")


def _quoted_name_end(text: str, start: int) -> int:
    i = start + 1
    while True:
        end = text.find("`", i)
        if end < 0:
            raise QueryRejectedError(f"a `quoted name` that starts at offset {start} is never closed")
        if text.startswith("``", end):
            i = end + 2
            continue
        return end + 1


def _refuse_exotic(text: str, start: int, end: int, where: str) -> None:
    for offset in range(start, end):
        c = text[offset]
        if c not in _ALLOWED_CONTROLS and unicodedata.category(c) in _REFUSED_CATEGORIES:
            name = unicodedata.name(c, "unnamed")
            raise QueryRejectedError(
                f"U+{ord(c):04X} ({name}) at offset {offset} is not allowed in {where} outside a "
                "string; use a plain space or line break"
            )


def _check_tokens(tokens: list[Token], params: Mapping[str, Any]) -> None:
    if not tokens:
        raise QueryRejectedError("the query is empty")
    if len(tokens) > MAX_TOKENS:
        raise QueryRejectedError(f"the query has more than {MAX_TOKENS} tokens")
    semicolons = [i for i, t in enumerate(tokens) if t.kind == PUNCT and t.text == ";"]
    if semicolons and (semicolons[0] != len(tokens) - 1 or semicolons[0] == 0):
        raise QueryRejectedError("only one statement is allowed (remove the ';')")
    _check_clauses(tokens)
    _check_nesting(tokens)
    _check_ranges(tokens, params)


def _keyword(tokens: list[Token], i: int) -> str:
    """The upper-cased word at `i` if it can be a keyword: not a property key (`n.call`), a label
    (`n:End`) or a map key (`{case: 1}`), none of which a clause or operator ever is."""
    if i >= len(tokens):
        return ""
    word = tokens[i].keyword()
    if not word:
        return ""
    if i and tokens[i - 1].kind == PUNCT and tokens[i - 1].text in {".", ":"}:
        return ""
    if i + 1 < len(tokens) and tokens[i + 1].kind == PUNCT and tokens[i + 1].text == ":":
        return ""
    return word


def _check_clauses(tokens: list[Token]) -> None:
    xor = hops = 0
    for i, token in enumerate(tokens):
        word = _keyword(tokens, i)
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if word == "LOAD" and after is not None and after.keyword() == "CSV":
            raise QueryRejectedError(LOAD_CSV)
        if word == "TRANSACTIONS":
            raise QueryRejectedError(IN_TRANSACTIONS)
        if word == "CALL" and after is not None and after.kind in {WORD, NAME}:
            name = _procedure_name(tokens, i + 1)
            if name not in READ_PROCEDURES:
                raise QueryRejectedError(f"procedure {name!r} is not allowed in read-only queries")
        if word == "XOR":
            xor += 1
        if token.kind == PUNCT and token.text in {")", "]"} and after is not None:
            hops += after.text in {"-", "<-", "->", "<"}
    if xor > MAX_XOR:
        raise QueryRejectedError(f"the query has {xor} XOR operators; at most {MAX_XOR} are allowed")
    if hops > MAX_HOPS:
        raise QueryRejectedError(f"the query's patterns have {hops} hops; at most {MAX_HOPS} are allowed")


def _procedure_name(tokens: list[Token], start: int) -> str:
    parts = [tokens[start].text]
    i = start + 1
    while i + 1 < len(tokens) and tokens[i].text == "." and tokens[i + 1].kind in {WORD, NAME}:
        parts.append(tokens[i + 1].text)
        i += 2
    return ".".join(parts)


_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = frozenset(_OPEN.values())
_CHAIN = frozenset({".", ":", "|", "&", "!", "-", "+"})
_ATOM_END = frozenset({WORD, NAME, PARAM, NUMBER, STRING})


def _check_nesting(tokens: list[Token]) -> None:
    """Bound the depth Neo4j's parser and planner recurse to: every open bracket or CASE is a level,
    and so is each link of a chain at one level (`NOT NOT x`, `a.b.c`, `n:A:B`, `x[0][1]`, `- - 1`).
    """
    # For each open level: the depth where it started, and the chain built on it so far.
    stack: list[tuple[str, int]] = []
    base, chain = 0, 0
    for i, token in enumerate(tokens):
        word, text = _keyword(tokens, i), token.text
        previous = tokens[i - 1] if i else None
        unary = text in {"-", "+"} and not (previous is not None and _ends_atom(previous))
        opens = token.kind == PUNCT and text in _OPEN
        if opens or word == "CASE":
            if text == "[" and previous is not None and _ends_atom(previous):
                chain += 1  # a subscript: x[0][1]
            stack.append((_OPEN.get(text, "END"), chain))
            base, chain = base + chain + 1, 0
        elif (token.kind == PUNCT and text in _CLOSE) or word == "END":
            if stack and (stack[-1][0] == text or (word == "END" and stack[-1][0] == "END")):
                _, chain = stack.pop()
                base = _depth(stack)
                continue
            if word != "END":
                raise QueryRejectedError(f"unbalanced '{text}' at offset {token.offset}")
        elif word == "NOT" or unary or (token.kind == PUNCT and text in _CHAIN - {"-", "+"}):
            chain += 1
        elif token.kind in _ATOM_END and previous is not None and previous.text in _CHAIN:
            pass  # the name after '.', ':' or '|' continues the chain
        else:
            chain = 0
        if base + chain > MAX_NESTING:
            raise QueryRejectedError(
                f"the query nests deeper than {MAX_NESTING} levels (at offset {token.offset})"
            )


def _depth(stack: list[tuple[str, int]]) -> int:
    return sum(chain + 1 for _, chain in stack)


def _ends_atom(token: Token) -> bool:
    return token.kind in _ATOM_END or (token.kind == PUNCT and token.text in _CLOSE)


def _check_ranges(tokens: list[Token], params: Mapping[str, Any]) -> None:
    product = 1
    for i, token in enumerate(tokens):
        if _keyword(tokens, i) != "RANGE" or i + 1 >= len(tokens) or tokens[i + 1].text != "(":
            continue
        close = _matching(tokens, i + 1)
        if (
            i
            and _keyword(tokens, i - 1) == "UNWIND"
            and close is not None
            and _keyword(tokens, close + 1) == "AS"
        ):
            continue  # `UNWIND range(..) AS x` makes rows, and Neo4j stops between rows on time
        size = _range_size(_arguments(tokens, i + 1), params, token.offset)
        if size is None:
            continue
        if size > MAX_RANGE:
            raise QueryRejectedError(
                f"range() at offset {token.offset} has {size:,} elements; at most {MAX_RANGE:,} are allowed"
            )
        product *= max(size, 1)
        if product > MAX_RANGE_PRODUCT:
            raise QueryRejectedError(
                f"the query's range() calls have {product:,} elements together (they may nest); "
                f"at most {MAX_RANGE_PRODUCT:,} are allowed"
            )


def _arguments(tokens: list[Token], open_at: int) -> list[list[Token]]:
    args: list[list[Token]] = [[]]
    depth = 0
    for token in tokens[open_at + 1 :]:
        if token.kind == PUNCT and token.text in _OPEN:
            depth += 1
        elif token.kind == PUNCT and token.text in _CLOSE:
            if depth == 0:
                return args
            depth -= 1
        elif depth == 0 and token.text == ",":
            args.append([])
            continue
        args[-1].append(token)
    return args


def _range_size(args: list[list[Token]], params: Mapping[str, Any], offset: int) -> int | None:
    """The number of elements, or None when a bound is data-sized (size() or length())."""
    values = [_bound(arg, params, offset) for arg in args]
    if len(values) not in (2, 3):
        return None  # Neo4j refuses it
    if any(v is None for v in values):
        return None
    start, end = values[0], values[1]
    step = values[2] if len(values) == 3 else 1
    assert start is not None and end is not None and step is not None
    if step == 0:
        return None  # Neo4j refuses a zero step
    return max(0, (end - start) // step + 1)


def _bound(arg: list[Token], params: Mapping[str, Any], offset: int) -> int | None:
    """A literal or parameter integer; None for a sum involving size()/length(); else refused."""
    total, sign, data_sized, i = 0, 1, False, 0
    expect_term = True
    while i < len(arg):
        token = arg[i]
        if not expect_term and token.text in {"+", "-"}:
            sign, expect_term = (1 if token.text == "+" else -1), True
            i += 1
            continue
        if expect_term and token.text in {"+", "-"}:
            sign *= 1 if token.text == "+" else -1
            i += 1
            continue
        value: int | None
        if expect_term and token.kind == NUMBER:
            value = _integer(token.text)
            i += 1
        elif expect_term and token.kind == PARAM:
            raw = params.get(token.text)
            value = raw if isinstance(raw, int) and not isinstance(raw, bool) else None
            if value is None:
                break
            i += 1
        elif expect_term and token.keyword() in {"SIZE", "LENGTH"} and i + 1 < len(arg):
            end = _matching(arg, i + 1)
            if end is None:
                break
            data_sized, value, i = True, 0, end + 1
        else:
            break
        if value is None:
            break
        total += sign * value
        sign, expect_term = 1, False
    else:
        if not expect_term:
            return None if data_sized else total
    raise QueryRejectedError(
        f"range() at offset {offset} takes bounds that are integer literals, parameters, or "
        "size()/length() plus or minus those"
    )


def _matching(tokens: list[Token], open_at: int) -> int | None:
    if tokens[open_at].text != "(":
        return None
    depth = 0
    for j in range(open_at, len(tokens)):
        if tokens[j].kind == PUNCT and tokens[j].text in _OPEN:
            depth += 1
        elif tokens[j].kind == PUNCT and tokens[j].text in _CLOSE:
            depth -= 1
            if depth == 0:
                return j
    return None


def _integer(text: str) -> int | None:
    try:
        return int(text, 0)
    except ValueError:
        return None


# --- the plan -----------------------------------------------------------------------------------


def check_query_type(query_type: str | None) -> None:
    """Refuse any query that EXPLAIN does not plan as read-only ('r')."""
    if query_type != "r":
        kind = {"rw": "reads and writes", "w": "writes", "s": "changes the schema"}.get(
            query_type or "", "is not read-only"
        )
        raise QueryRejectedError(f"only read-only queries are allowed; this query {kind}")


def check_plan(plan: Mapping[str, Any] | None) -> None:
    """Refuse a read-only plan that loads CSV, batches transactions, or calls a procedure or runs a
    command outside the allow-lists: the plan is what Neo4j will run, whatever the text looked like.
    Subquery expressions inside list comprehensions, CASE or reduce are planned as nested plans that
    only an operator's details show, so the details are read too."""
    pending = [plan] if plan else []
    while pending:
        step = pending.pop()
        operator = str(step.get("operatorType", "")).split("@", 1)[0]
        details = str(step.get("args", {}).get("Details", ""))
        if operator in _FORBIDDEN_OPERATORS:
            raise QueryRejectedError(_FORBIDDEN_OPERATORS[operator])
        if operator == "ProcedureCall":
            name = details.split("(", 1)[0].strip().strip("`")
            if name not in READ_PROCEDURES:
                raise QueryRejectedError(f"procedure {name or details!r} is not allowed in read-only queries")
        elif _COMMAND.match(operator) and operator not in READ_COMMANDS:
            raise QueryRejectedError(f"the command {operator} is not allowed in read-only queries")
        _check_details(details)
        pending.extend(step.get("children", []))


def _check_details(details: str) -> None:
    for match in _DETAILS_CALL.finditer(details):
        name = match.group(1).replace("`", "")
        if name not in READ_PROCEDURES:
            raise QueryRejectedError(f"procedure {name!r} is not allowed in read-only queries")
    if _DETAILS_LOAD_CSV.search(details):
        raise QueryRejectedError(LOAD_CSV)
    if _DETAILS_IN_TRANSACTIONS.search(details):
        raise QueryRejectedError(IN_TRANSACTIONS)


# --- EXPLAIN, and the errors Neo4j reports on it ----------------------------------------------------

EXPLAIN_PREFIX = "EXPLAIN "
_POSITION = re.compile(r"\(line (\d+), column (\d+) \(offset: (\d+)\)\)")


def explained(query: str) -> str:
    """The query as planned (not run) to read its query type and plan."""
    return EXPLAIN_PREFIX + query


def unexplained(message: str) -> str:
    """Neo4j's error on `explained(query)` as if on the user's query: without the EXPLAIN the
    user never wrote, and with the offset, column and caret pointing into their text."""
    shift = len(EXPLAIN_PREFIX)
    quoted = '"' + EXPLAIN_PREFIX

    def position(match: re.Match[str]) -> str:
        line, column, offset = (int(g) for g in match.groups())
        column = column - shift if line == 1 else column
        return f"(line {line}, column {max(column, 1)} (offset: {max(offset - shift, 0)}))"

    lines = _POSITION.sub(position, message).split("\n")
    for i, text in enumerate(lines):
        if text.startswith(quoted):  # the first line of the query, echoed; a caret line may follow
            lines[i] = '"' + text[len(quoted) :]
            if i + 1 < len(lines) and lines[i + 1].strip() == "^":
                lines[i + 1] = lines[i + 1][shift:] if lines[i + 1].startswith(" " * shift) else lines[i + 1]
    return "\n".join(lines)
