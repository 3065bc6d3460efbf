#!/usr/bin/env python3
"""Differential-test oracle for loopguard's Java Python parser.

Usage:
  ast_counts.py [--hash] < file-list      one JSON line per input file (paths one per line)
  ast_counts.py --dump FILE               the normalized tree dump of one file
  ast_counts.py --info                    {"version": ..., "stdlib": ...}

Each JSON line has the file, whether CPython's ast.parse accepted it ("error" with the message
otherwise) and node counts: FunctionDef, AsyncFunctionDef, Call, Await, ClassDef, Import
(Import + ImportFrom), Lambda. "calls" lists [line, col] of every Call outside f-strings, with
col converted from CPython's UTF-8 byte offsets to UTF-16 code units (the unit loopguard uses).
"fcalls" lists the Calls inside f-strings, or is null before Python 3.12 (whose positions inside
f-strings are not exact). With --hash, "dump" is the SHA-1 of the normalized tree dump that
loopguard's AstDump (test code) reproduces from its own tree.

Files are read as bytes so that CPython applies the BOM / PEP 263 coding cookie itself.
"""
import ast
import hashlib
import io
import json
import re
import sys
import sysconfig
import tokenize
import warnings

EXACT_FSTRING_POSITIONS = sys.version_info >= (3, 12)

COUNTED = ("FunctionDef", "AsyncFunctionDef", "Call", "Await", "ClassDef", "Import", "Lambda")

LINE_SPLIT = re.compile(r"\r\n|\r|\n")


class Columns:
    """Converts CPython (line, utf-8 byte col) to UTF-16 code-unit columns."""

    def __init__(self, text):
        self.lines = LINE_SPLIT.split(text)
        self.cache = {}

    def col(self, line, col):
        if line < 1 or line > len(self.lines):
            return col
        s = self.lines[line - 1]
        if s.isascii():
            return col
        key = (line, col)
        r = self.cache.get(key)
        if r is None:
            prefix = s.encode("utf-8", "surrogatepass")[:col].decode("utf-8", "surrogatepass")
            r = len(prefix.encode("utf-16-le", "surrogatepass")) // 2
            self.cache[key] = r
        return r


def decode_source(data):
    enc, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    text = data.decode(enc)
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def counts(tree, cols):
    c = dict.fromkeys(COUNTED, 0)
    calls = []
    fcalls = []
    stack = [(tree, False)]
    while stack:
        node, in_f = stack.pop()
        name = type(node).__name__
        if name == "ImportFrom":
            name = "Import"
        if name in c:
            c[name] += 1
        if isinstance(node, ast.Call):
            pos = [node.lineno, cols.col(node.lineno, node.col_offset)]
            (fcalls if in_f else calls).append(pos)
        child_f = in_f or isinstance(node, ast.JoinedStr)
        for child in ast.iter_child_nodes(node):
            stack.append((child, child_f))
    calls.sort()
    fcalls.sort()
    c["calls"] = calls
    c["fcalls"] = fcalls if EXACT_FSTRING_POSITIONS else None
    return c


# ---------------------------------------------------------------- normalized dump
# Mirrors dev.loopguard.python.parse.AstDump: our record types and component order.

OPS = {
    "Add": "+", "Sub": "-", "Mult": "*", "MatMult": "@", "Div": "/", "Mod": "%", "Pow": "**",
    "LShift": "<<", "RShift": ">>", "BitOr": "|", "BitXor": "^", "BitAnd": "&", "FloorDiv": "//",
    "And": "and", "Or": "or", "Invert": "~", "Not": "not", "UAdd": "+", "USub": "-",
    "Eq": "==", "NotEq": "!=", "Lt": "<", "LtE": "<=", "Gt": ">", "GtE": ">=", "Is": "is",
    "IsNot": "is not", "In": "in", "NotIn": "not in",
}

# our type -> list of (our component, how); how: attribute name, or a callable(node)
def _async(node):
    return type(node).__name__.startswith("Async")


def _tp(node):
    return getattr(node, "type_params", [])


FIELDS = {
    "Mod": [("body", "body")],
    "FunctionDef": [("name", "name"), ("typeParams", _tp), ("args", "args"), ("body", "body"),
                    ("decorators", "decorator_list"), ("returns", "returns"), ("isAsync", _async)],
    "ClassDef": [("name", "name"), ("typeParams", _tp), ("bases", "bases"),
                 ("keywords", "keywords"), ("body", "body"), ("decorators", "decorator_list")],
    "Return": [("value", "value")],
    "Delete": [("targets", "targets")],
    "Assign": [("targets", "targets"), ("value", "value")],
    "TypeAlias": [("name", "name"), ("typeParams", _tp), ("value", "value")],
    "AugAssign": [("target", "target"), ("op", "op"), ("value", "value")],
    "AnnAssign": [("target", "target"), ("annotation", "annotation"), ("value", "value"),
                  ("simple", lambda n: bool(n.simple))],
    "For": [("target", "target"), ("iter", "iter"), ("body", "body"), ("orelse", "orelse"),
            ("isAsync", _async)],
    "While": [("test", "test"), ("body", "body"), ("orelse", "orelse")],
    "If": [("test", "test"), ("body", "body"), ("orelse", "orelse")],
    "With": [("items", "items"), ("body", "body"), ("isAsync", _async)],
    "Match": [("subject", "subject"), ("cases", "cases")],
    "Raise": [("exc", "exc"), ("cause", "cause")],
    "Try": [("body", "body"), ("handlers", "handlers"), ("orelse", "orelse"),
            ("finalbody", "finalbody"), ("isStar", lambda n: type(n).__name__ == "TryStar")],
    "Assert": [("test", "test"), ("msg", "msg")],
    "Import": [("names", "names")],
    "ImportFrom": [("module", "module"), ("names", "names"), ("level", lambda n: n.level or 0)],
    "Global": [("names", "names")],
    "Nonlocal": [("names", "names")],
    "ExprStmt": [("value", "value")],
    "Pass": [], "Break": [], "Continue": [],
    "BoolOp": [("op", "op"), ("values", "values")],
    "NamedExpr": [("target", "target"), ("value", "value")],
    "BinOp": [("left", "left"), ("op", "op"), ("right", "right")],
    "UnaryOp": [("op", "op"), ("operand", "operand")],
    "Lambda": [("args", "args"), ("body", "body")],
    "IfExp": [("test", "test"), ("body", "body"), ("orelse", "orelse")],
    "Dict": [("keys", "keys"), ("values", "values")],
    "SetExpr": [("elts", "elts")],
    "ListComp": [("elt", "elt"), ("generators", "generators")],
    "SetComp": [("elt", "elt"), ("generators", "generators")],
    "DictComp": [("key", "key"), ("value", "value"), ("generators", "generators")],
    "GeneratorExp": [("elt", "elt"), ("generators", "generators")],
    "Await": [("value", "value")],
    "Yield": [("value", "value")],
    "YieldFrom": [("value", "value")],
    "Compare": [("left", "left"), ("ops", "ops"), ("comparators", "comparators")],
    "Call": [("func", "func"), ("args", "args"), ("keywords", "keywords")],
    "FormattedValue": [("value", "value"), ("conversion", "conversion"),
                       ("formatSpec", "format_spec")],
    "JoinedStr": [("values", "values")],
    "Constant": None,  # special
    "Attribute": [("value", "value"), ("attr", "attr")],
    "Subscript": [("value", "value"), ("slice", "slice")],
    "Starred": [("value", "value")],
    "Name": [("id", "id")],
    "ListExpr": [("elts", "elts")],
    "Tuple": [("elts", "elts")],
    "Slice": [("lower", "lower"), ("upper", "upper"), ("step", "step")],
    "Arguments": [("posonly", "posonlyargs"), ("args", "args"), ("vararg", "vararg"),
                  ("kwonly", "kwonlyargs"), ("kwDefaults", "kw_defaults"), ("kwarg", "kwarg"),
                  ("defaults", "defaults")],
    "Arg": [("name", "arg"), ("annotation", "annotation")],
    "Keyword": [("arg", "arg"), ("value", "value")],
    "Alias": [("name", "name"), ("asname", "asname")],
    "WithItem": [("contextExpr", "context_expr"), ("optionalVars", "optional_vars")],
    "MatchCase": [("pattern", "pattern"), ("guard", "guard"), ("body", "body")],
    "Comprehension": [("target", "target"), ("iter", "iter"), ("ifs", "ifs"),
                      ("isAsync", lambda n: bool(n.is_async))],
    "ExceptHandler": [("type", "type"), ("name", "name"), ("body", "body")],
    "MatchValue": [("value", "value")],
    "MatchSingleton": None,  # special
    "MatchSequence": [("patterns", "patterns")],
    "MatchMapping": [("keys", "keys"), ("patterns", "patterns"), ("rest", "rest")],
    "MatchClass": [("cls", "cls"), ("patterns", "patterns"), ("kwdAttrs", "kwd_attrs"),
                   ("kwdPatterns", "kwd_patterns")],
    "MatchStar": [("name", "name")],
    "MatchAs": [("pattern", "pattern"), ("name", "name")],
    "MatchOr": [("patterns", "patterns")],
    "TypeVar": [("name", "name"), ("bound", "bound"),
                ("defaultValue", lambda n: getattr(n, "default_value", None))],
    "ParamSpec": [("name", "name"), ("defaultValue", lambda n: getattr(n, "default_value", None))],
    "TypeVarTuple": [("name", "name"),
                     ("defaultValue", lambda n: getattr(n, "default_value", None))],
}

RENAME = {
    "Module": "Mod", "AsyncFunctionDef": "FunctionDef", "AsyncFor": "For", "AsyncWith": "With",
    "TryStar": "Try", "Expr": "ExprStmt", "Set": "SetExpr", "List": "ListExpr",
    "arguments": "Arguments", "arg": "Arg", "keyword": "Keyword", "alias": "Alias",
    "withitem": "WithItem", "match_case": "MatchCase", "comprehension": "Comprehension",
}

# String-typed components (a None there is a scalar, not a missing child)
STR_COMPONENTS = {"name", "attr", "id", "arg", "asname", "module", "rest"}

NO_LOC = {"Mod", "Arguments", "WithItem", "MatchCase", "Comprehension"}


def jstr(s):
    return json.dumps(s, ensure_ascii=True)


def const_kind_value(v):
    if v is None:
        return "NONE", None
    if v is True:
        return "TRUE", None
    if v is False:
        return "FALSE", None
    if v is Ellipsis:
        return "ELLIPSIS", None
    if isinstance(v, str):
        return "STR", v
    if isinstance(v, bytes):
        return "BYTES", v.decode("latin-1")
    if isinstance(v, int):
        return "INT", None
    if isinstance(v, float):
        return "FLOAT", None
    if isinstance(v, complex):
        return "COMPLEX", None
    raise ValueError(repr(v))


def dump(tree, cols):
    out = []

    def loc(node, ours, in_f):
        if ours in NO_LOC:
            return "-"
        if in_f and not EXACT_FSTRING_POSITIONS:
            return "?"
        return "%d:%d-%d:%d" % (node.lineno, cols.col(node.lineno, node.col_offset),
                                node.end_lineno, cols.col(node.end_lineno, node.end_col_offset))

    def scalar(v):
        if v is None:
            return "None"
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int):
            return str(v)
        if isinstance(v, str):
            return jstr(v)
        if isinstance(v, ast.AST):
            return jstr(OPS[type(v).__name__])
        raise ValueError(repr(v))

    def visit(label, node, depth, in_f):
        ind = "  " * depth
        if node is None:
            out.append("%s%s: None" % (ind, label))
            return
        cpy = type(node).__name__
        ours = RENAME.get(cpy, cpy)
        head = "%s%s: %s %s" % (ind, label, ours, loc(node, ours, in_f))
        if ours == "Constant":
            kind, value = const_kind_value(node.value)
            out.append(head + " kind=" + kind + " value=" + ("None" if value is None else jstr(value)))
            return
        if ours == "MatchSingleton":
            kind, _ = const_kind_value(node.value)
            out.append(head + " value=" + kind)
            return
        scalars = []
        children = []
        for comp, how in FIELDS[ours]:
            v = how(node) if callable(how) else getattr(node, how)
            if isinstance(v, list):
                if v and all(isinstance(x, str) for x in v):
                    scalars.append("%s=[%s]" % (comp, ",".join(jstr(x) for x in v)))
                elif v and all(isinstance(x, ast.cmpop) for x in v):
                    scalars.append("%s=[%s]" % (comp, ",".join(jstr(OPS[type(x).__name__]) for x in v)))
                else:
                    children.append((comp, v))
            elif isinstance(v, ast.AST) and not isinstance(v, (ast.operator, ast.unaryop, ast.boolop)):
                children.append((comp, v))
            elif v is None and comp not in STR_COMPONENTS:
                children.append((comp, None))
            else:
                scalars.append("%s=%s" % (comp, scalar(v)))
        out.append(head + ("" if not scalars else " " + " ".join(scalars)))
        child_f = in_f or ours == "JoinedStr"
        for comp, v in children:
            if isinstance(v, list):
                for i, x in enumerate(v):
                    visit("%s[%d]" % (comp, i), x, depth + 1, child_f)
            else:
                visit(comp, v, depth + 1, child_f)

    visit("module", tree, 0, False)
    return "\n".join(out) + "\n"


def parse(data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(data)


def main():
    args = sys.argv[1:]
    if args[:1] == ["--info"]:
        print(json.dumps({"version": "%d.%d.%d" % sys.version_info[:3],
                          "stdlib": sysconfig.get_paths()["stdlib"]}))
        return
    if args[:1] == ["--dump"]:
        data = open(args[1], "rb").read()
        sys.stdout.write(dump(parse(data), Columns(decode_source(data))))
        return
    want_hash = "--hash" in args
    sys.setrecursionlimit(100000)
    for path in sys.stdin.read().splitlines():
        if not path:
            continue
        rec = {"file": path}
        try:
            data = open(path, "rb").read()
            tree = parse(data)
            cols = Columns(decode_source(data))
            rec.update(counts(tree, cols))
            if want_hash:
                rec["dump"] = hashlib.sha1(dump(tree, cols).encode("utf-8", "surrogatepass")).hexdigest()
        except (SyntaxError, ValueError, UnicodeError, LookupError) as e:
            rec["error"] = "%s: %s" % (type(e).__name__, e)
        except RecursionError as e:
            rec["error"] = "RecursionError: %s" % e
        except MemoryError as e:
            rec["error"] = "MemoryError: %s" % e
        sys.stdout.write(json.dumps(rec) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
