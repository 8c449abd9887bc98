"""tests/scripts/wast_split.py: splitting a .wast script into its top-level commands.

Owns: a lexer just deep enough to find top-level parenthesised commands — strings with escapes,
`;;` line comments and nested `(; ;)` block comments — so a script that wast2json cannot convert
as a whole can be converted command by command. Works on bytes decoded as latin-1, so any byte
round-trips unchanged.
"""


def split_commands(text):
    """Yields (start_line, command_text) for each top-level `( ... )` form in `text`."""
    i, n, line, depth = 0, len(text), 1, 0
    start = start_line = None
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
            i += 1
        elif text.startswith(";;", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("(;", i):
            nest, i = 1, i + 2
            while i < n and nest:
                if text.startswith("(;", i):
                    nest, i = nest + 1, i + 2
                elif text.startswith(";)", i):
                    nest, i = nest - 1, i + 2
                else:
                    line += text[i] == "\n"
                    i += 1
        elif ch == '"':
            i += 1
            while i < n and text[i] != '"':
                if text[i] == "\\":
                    i += 1
                elif text[i] == "\n":
                    line += 1
                i += 1
            i += 1
        elif ch == "(":
            if depth == 0:
                start, start_line = i, line
            depth += 1
            i += 1
        elif ch == ")":
            depth -= 1
            i += 1
            if depth == 0 and start is not None:
                yield start_line, text[start:i]
                start = None
            depth = max(depth, 0)
        else:
            i += 1
