#!/usr/bin/env python3
"""Generates snippets.jsonl: small programs covering the grammar, with the normalized tree
dump CPython 3.13 produces for each (or "error" when CPython rejects it). SnippetTest parses
every snippet with our parser and compares the dumps, so the test needs no Python at run time.

Run with Python 3.13:  python3.13 snippets_gen.py > snippets.jsonl
"""
import ast
import json
import os
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ast_counts  # noqa: E402

SNIPPETS = {
    # ------------------------------------------------------------ simple statements
    "assign": "x = 1\na = b = c\na, b = b, a\n[a, *b] = c\n(a), (b.c), d[0] = 1, 2, 3\n*a, = b\nx = 1,\n",
    "annassign": "x: int\ny: list[int] = []\n(z): int = 1\na.b: str\na[0]: int = yield\n",
    "augassign": "x += 1\nx -= 1\nx *= 2\nx @= m\nx /= 2\nx //= 2\nx %= 2\nx **= 2\nx >>= 1\nx <<= 1\nx &= 1\nx |= 1\nx ^= 1\na.b += 1\na[0] += yield 1\n",
    "return_raise": "def f():\n    return\n    return 1\n    return 1, 2\n    return *a, *b\n    raise\n    raise E\n    raise E from None\n",
    "del_global": "del x\ndel x, y[0], z.a\ndel (a), [b, c]\ndel (a, b),\nglobal a, b\ndef f():\n    nonlocal c\n",
    "pass_break": "while 1:\n    pass\n    break\n    continue\n",
    "assert": "assert x\nassert x, 'msg'\n",
    "imports": "import a\nimport a.b.c as d, e\nfrom . import x\nfrom .. import (y as z, w,)\nfrom ...pkg.mod import *\nfrom .... import q\nfrom a import b as c\n",
    "semicolons": "a = 1; b = 2;\nc = 3\n",
    "type_alias": "type X = int\ntype Y[T] = list[T]\ntype Z[T: int = str, *Ts = *tuple[int], **P = [int]] = dict\ntype = 1\ntype(x)\n",
    "soft_keywords_as_names": "match = 1\ncase = 2\n_ = 3\nmatch.x = 4\nmatch(x)\nmatch[x]\nprint(match, case, _)\ntype.x\n",
    # ------------------------------------------------------------ compound statements
    "if_elif_else": "if a:\n    x\nelif b:\n    y\nelif c: z\nelse:\n    w\n",
    "while_else": "while x := f():\n    pass\nelse:\n    done()\n",
    "for_else": "for i, (j, *k) in enumerate(x):\n    pass\nelse:\n    pass\nfor x in *a, *b: pass\nfor x, in y: pass\n",
    "try_forms": "try:\n    a\nexcept E:\n    b\nexcept (E1, E2) as e:\n    c\nexcept:\n    d\nelse:\n    e\nfinally:\n    f\ntry:\n    pass\nfinally:\n    pass\n",
    "try_star": "try:\n    a\nexcept* ValueError as e:\n    b\nexcept* (TypeError, KeyError):\n    c\n",
    "with_forms": "with a: pass\nwith a as b, c as (d, e): pass\nwith (a as b, c): pass\nwith (a, b): pass\nwith (a, b) as c: pass\nwith (a): pass\nwith (yield): pass\nwith (a as b,): pass\nwith (a).b as c: pass\nwith (a for a in b): pass\nwith (\n    open(x) as f,\n    open(y) as g,\n):\n    pass\n",
    "async_forms": "async def f():\n    await x\n    async for a in b:\n        pass\n    async with c as d, e:\n        pass\n    [i async for i in aiter() if await i]\n    return await g(await h)\n",
    "decorators": "@dec\n@dec.attr(1, k=2)\n@(lambda f: f)\n@x[0].y\n@a := b\ndef f(): pass\n@d\nclass C: pass\n@d\nasync def g(): pass\n",
    "functions": "def f(a, b=1, *args, c, d=2, **kw) -> int:\n    '''doc'''\ndef g(a, /, b, *, c): pass\ndef h(a=1, /, b=2, *c, **d): pass\ndef i(*, a): pass\ndef j(a, b, /): pass\ndef k(**kw,): pass\ndef l(*args: *Ts): pass\ndef m[T, *Ts, **P](x: T) -> T: pass\ndef n(a: int = 1, *b: str, c: 'x' = None): pass\n",
    "classes": "class A: pass\nclass B(): pass\nclass C(A, B, metaclass=M, **kw): pass\nclass D[T: int](Generic[T]):\n    x: T\n    def f(self): return self\n",
    "match_literals": "match x:\n    case 1: pass\n    case -1: pass\n    case 1.5 | -2j: pass\n    case 1 + 2j | -1 - 2j: pass\n    case 'a' 'b': pass\n    case b'x': pass\n    case None: pass\n    case True | False: pass\n",
    "match_structures": "match x:\n    case [a, b, *rest]: pass\n    case (a, b): pass\n    case (a,): pass\n    case (): pass\n    case []: pass\n    case [*_]: pass\n    case a, *b, c: pass\n    case {'k': v, 1: w, **rest}: pass\n    case {}: pass\n    case {a.b: c}: pass\n    case Point(x=0, y=yy): pass\n    case Point(1, 2, z=3): pass\n    case a.b.C(): pass\n    case a.b.c: pass\n    case (a | b) as c: pass\n    case [a] | (a) as z if z > 1: pass\n    case _: pass\n",
    "match_subjects": "match a, b:\n    case _: pass\nmatch *a, b:\n    case _: pass\nmatch (x := f()):\n    case _: pass\nmatch -x:\n    case _: pass\nmatch [x]:\n    case _: pass\n",
    # ------------------------------------------------------------ expressions
    "operators": "x = a + b - c * d / e // f % g @ h ** i ** j\ny = -a ** -b\nz = ~a << b >> c & d ^ e | f\nw = not a and b or not c and not not d\n",
    "comparisons": "a < b <= c == d != e > f >= g\na is b, a is not b, a in b, a not in b\nnot a == b\n(a < b) < c\n",
    "boolops": "a or b or c\na and b and c or d\n(a or b) or c\na or (b or c)\n",
    "parens_spans": "(a) + b\n(a + b) * c\n((a)).b\n(f)(x)\n(a)[b]\nx = (a)\n[(a), (b)]\n(yield)\n",
    "ternary_lambda": "a if b else c\na if b else c if d else e\nlambda: 0\nlambda x: x\nlambda x, y=1, *a, z, w=2, **k: x\nlambda *, a: a\nlambda a, /, b: a\nlambda: (yield)\nx = lambda: a if b else lambda: c\nf(lambda x=lambda: 1: x)\n",
    "walrus": "if (n := len(a)) > 10: pass\n[y := f(x), y**2]\nf(a := 1)\nx[y := 1]\n{(z := 1)}\nwhile chunk := read(): pass\n",
    "calls": "f()\nf(a)\nf(a, b,)\nf(*a, **k)\nf(a, *b, c, *d, e=1, **f, g=2)\nf(x for x in y)\nf(x=1)(y)(z)\nf(**a, b=1)\nf(*a, b=1, *c)\na.b.c(d)[e].f\n",
    "subscripts": "a[1]\na[1:2]\na[:]\na[::]\na[1:2:3]\na[::2]\na[1:]\na[:2]\na[1, 2]\na[1:2, ::3]\na[1,]\na[*b]\na[*b, c]\na[b, *c]\na[()]\n",
    "displays": "()\n(1,)\n(1, 2)\n[]\n[1, 2,]\n{}\n{1}\n{1, 2,}\n{1: 2, **a, 3: 4}\n{**a}\n[*a, *b]\n{*a}\n(*a, b)\n",
    "comprehensions": "[x for x in y]\n[x for x in y if a if b for z in w]\n{x for x in y}\n{k: v for k, v in d.items()}\n(x for x in y)\n[x async for x in y]\n[(a, b) for a in c for b in a]\n[x for x, in y]\n[lambda: x for x in y]\n",
    "yield_await": "def f():\n    yield\n    yield 1\n    yield 1, 2\n    yield from g()\n    x = yield\n    y = yield from z\n    await x\n    print((yield))\n",
    "starred": "print(*a)\nx = *a, *b\na, *b = c\n*a, b = c\nfor *a, b in c: pass\nx = [*a]\n",
    "attributes_keywords_as_names": "a.match\na.case\na.type\nx.print\n",
    "constants": "None\nTrue\nFalse\n...\n1\n1.5\n1j\n0x1F\n0o17\n0b101\n1_000_000\n1e10\n1E-5\n.5\n5.\n1_0.0_1e+1_0\n0\n00\n0.0\n1if x else 2\n",
    # ------------------------------------------------------------ strings
    "string_prefixes": "'a'\n\"b\"\nr'\\d'\nR'\\d'\nb'x'\nB'y'\nu'z'\nU'z'\nrb'\\x'\nbr'\\x'\nRb'x'\nbR'x'\n'''triple\nline'''\n\"\"\"t\"\"\"\n",
    "string_escapes": "'\\n\\t\\r\\\\\\'\\\"\\a\\b\\f\\v\\0\\101\\x41\\u0041\\U0001F600\\N{BULLET}\\d'\nb'\\x00\\xff\\777\\u0041\\N{X}'\n'a\\\nb'\n",
    "string_named_escapes": "'\\N{ESC}[0m\\N{LINE FEED}\\N{nbsp}\\N{BYTE ORDER MARK}\\N{HANGUL SYLLABLE GA}\\N{CJK UNIFIED IDEOGRAPH-4E00}\\N{bullet}'\nf'{x}\\N{EM DASH}'\n",
    "string_concat": "'a' 'b'\n'a' \\\n'b'\nb'a' b'b'\n('a'\n 'b')\n'' 'a'\n",
    "fstring_basic": "f'a{x}b'\nf'{x!r}'\nf'{x!s:>10}'\nf'{x:{w}.{p}f}'\nf'{{literal}}'\nf'{x}{y}'\nf''\nF'{x}'\nrf'\\d{x}'\nfR'{x}\\n'\n",
    "fstring_debug": "f'{x=}'\nf'{x = }'\nf'{x=!s}'\nf'{x=:>10}'\nf'a{x=}b'\nf'{x + y = }'\n",
    "fstring_pep701": "f'{'nested'}'\nf\"{f'{f\"{x}\"}'}\"\nf'{x:{y:{z}}}'\nf'{a[\"b\"]}'\nf'{\"\\n\".join(a)}'\nf'''{\n    x\n    + 1\n}'''\nf'{x:=10}'\nf'{(x:=10)}'\nf'{(lambda: 1)()}'\n",
    "err_fstring_lambda": "f'{lambda: 1}'\n",
    "err_lambda_iter": "[x for x in lambda: y]\n",
    "err_formfeed_dedent": "\x0cx = 1\nif x:\n    \x0cy = 2\n",
    "fstring_concat": "'a' f'b{x}c' 'd'\nf'{x}' f'{y}'\n'' f'{x}'\nf'{x}' ''\nf'' ''\n'a' f'' 'b'\n",
    "fstring_calls": "f'{g(x)} {h(y)!r} {obj.m()[0]:{w()}}'\n",
    # ------------------------------------------------------------ lexical
    "crlf": "x = 1\r\nif x:\r\n    y = 2\r\n",
    "cr_only": "x = 1\rif x:\r    y = 2\r",
    "tabs": "if x:\n\ty = 1\n\tif y:\n\t\tz = 2\n",
    "formfeed": "\x0cx = 1\nif x:\n\x0c    y = 2\n",
    "continuation": "x = 1 + \\\n    2\nif a and \\\n   b:\n    pass\n",
    "implicit_join": "x = (1 +\n     2)\ny = [\n    1,\n    2,\n]\nf(a,\n  # comment\n  b)\n",
    "comments_blank": "# comment\n\nx = 1  # trailing\n    # indented comment\n\ndef f():\n    # c\n\n    return 1\n",
    "no_trailing_newline": "x = 1\nif x:\n    y = 2",
    "unicode_identifiers": "café = 1\nπ = 3.14\n𝑥 = 2\nprint('ünïcode', café, π + 𝑥)\n",
    "unicode_columns": "s = 'é' + f(x)\nt = '😀'; g(y)\n",
    "nfkc": "ﬁle = 1\nprint(ﬁle)\n",
    "bom": "\ufeffx = 1\nf(x)\n",
    "empty": "",
    "only_comments": "# just a comment\n",
    "nested_functions": "def outer():\n    def inner():\n        class K:\n            def m(self):\n                return lambda: [x for x in y]\n        return K\n    return inner\n",
    "dedent_multiple": "if a:\n    if b:\n        if c:\n            pass\nx = 1\n",
    "line_join_in_def": "def f(a,\n      b,\n      c):\n    return (a +\n            b)\n",
    # ------------------------------------------------------------ rejected by CPython
    "err_print": "print 'hello'\n",
    "err_exec": "exec 'code'\n",
    "err_backtick": "x = `y`\n",
    "err_except_comma_as": "try:\n    pass\nexcept E, e as f:\n    pass\n",  # PEP 758: valid without "as" from 3.14
    "err_ne": "1 <> 2\n",
    "err_octal": "x = 0777\n",
    "err_ur": "x = ur'abc'\n",
    "err_long": "x = 10L\n",
    "err_walrus_stmt": "a := 1\n",
    "err_assign_call": "f() = 1\n",
    "err_assign_literal": "1 = x\n",
    "err_del_starred": "del *a\n",
    "err_star_group": "(*a)\n",
    "err_genexp_args": "f(x for x in y, 1)\n",
    "err_kw_then_pos": "f(a=1, b)\n",
    "err_unpack_order": "f(**a, *b)\n",
    "err_default_order": "def f(a=1, b): pass\n",
    "err_bare_star": "def f(*): pass\n",
    "err_lambda_bare_star": "lambda *: 0\n",
    "err_unterminated_string": "x = 'abc\n",
    "err_unterminated_triple": "x = '''abc\n",
    "err_unclosed_paren": "x = (1,\n",
    "err_unmatched": "x = 1)\n",
    "err_indent": "x = 1\n    y = 2\n",
    "err_dedent": "if x:\n        a\n    b\n",
    "err_missing_colon": "if x\n    pass\n",
    "err_empty_block": "if x:\npass\n",
    "err_bytes_mix": "x = b'a' 'b'\n",
    "err_bytes_nonascii": "x = b'é'\n",
    "err_trunc_x": "x = '\\x4'\n",
    "err_invalid_char": "x = $\n",
    "err_fstring_conv": "f'{x!z}'\n",
    "err_fstring_empty": "f'{}'\n",
    "err_fstring_brace": "f'}'\n",
    "err_star_comprehension": "[*a for a in b]\n",
    "err_match_star_alone": "match x:\n    case *a: pass\n",
    "err_match_wildcard_attr": "match x:\n    case _.x: pass\n",
    "err_augassign_tuple": "a, b += 1\n",
    "err_annassign_tuple": "a, b: int\n",
    "err_leading_underscore_num": "x = 1__0\n",
    "err_keyword_name": "def class(): pass\n",
    "err_await_await": "await await x\n",
    "err_not_after_cmp": "a == not b\n",
    "err_tabs": "if x:\n        a\n\tb\n",
    "err_nul": "x = 1\x00\n",
    "err_except_star_bare": "try:\n    pass\nexcept*:\n    pass\n",
    "err_mixed_except": "try:\n    pass\nexcept E:\n    pass\nexcept* F:\n    pass\n",
    "err_import_trailing_comma": "from a import b,\n",
    "err_double_star_target": "**a = b\n",
    "err_yield_target": "(yield) = 1\n",
    "err_decorator_stmt": "@d\nx = 1\n",
}


def main():
    if sys.version_info[:2] != (3, 13):
        sys.exit("run with Python 3.13")
    for name, src in SNIPPETS.items():
        rec = {"name": name, "src": src}
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(src.encode("utf-8", "surrogatepass"))
            text = src[1:] if src.startswith("\ufeff") else src
            rec["dump"] = ast_counts.dump(tree, ast_counts.Columns(text))
        except (SyntaxError, ValueError) as e:
            rec["error"] = "%s: %s" % (type(e).__name__, e)
        print(json.dumps(rec))


if __name__ == "__main__":
    main()
