#!/usr/bin/env python3
# tests/component/make_fixtures.py: turns the components of the official component-model .wast
# files into binaries plus a manifest, so the decoder can be checked before the component text
# parser exists.
#
# For each top-level `(component ...)` (valid), `(assert_invalid (component ...) "msg")` and
# `(assert_malformed (component ...) "msg")` of the given .wast files, writes OUT/NNNN.wasm and a
# line `NNNN.wasm<TAB>valid|invalid|malformed<TAB>message<TAB>file:line` to OUT/manifest.tsv.
# `(component binary "..")` is decoded here; text components go through `jco parse` (wasm-tools'
# text parser, which does not validate); a component jco cannot parse is listed as `skip`.
# The binaries are test inputs only; nothing here is committed output.
#
# usage: make_fixtures.py OUT_DIR FILE.wast...   (then: component_decode_tests '[component-fixtures]'
#        with ZINC_COMPONENT_FIXTURES=OUT_DIR)
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
JCO = os.path.join(HERE, '..', 'components', 'node_modules', '.bin', 'jco')


def sexprs(text):
    """Yields (start, end, line) of each top-level parenthesised form of a .wast text."""
    i, n, line = 0, len(text), 1
    depth, start, start_line = 0, 0, 0
    while i < n:
        c = text[i]
        if c == '\n':
            line += 1
        if text.startswith(';;', i):
            while i < n and text[i] != '\n':
                i += 1
            continue
        if text.startswith('(;', i):
            level = 0
            while i < n:
                if text.startswith('(;', i):
                    level += 1
                    i += 2
                elif text.startswith(';)', i):
                    level -= 1
                    i += 2
                    if level == 0:
                        break
                else:
                    if text[i] == '\n':
                        line += 1
                    i += 1
            continue
        if c == '"':
            i += 1
            while i < n and text[i] != '"':
                if text[i] == '\\':
                    i += 1
                i += 1
            i += 1
            continue
        if c == '(':
            if depth == 0:
                start, start_line = i, line
            depth += 1
        elif c == ')':
            depth -= 1
            if depth == 0:
                yield start, i + 1, start_line
        i += 1


def inner_forms(text):
    """Top-level forms inside one form (skipping the head keyword), as (start, end)."""
    return [(s, e) for s, e, _ in sexprs(text[1:-1])]


def strings(text):
    """The string literals of `text`, decoded to bytes."""
    out = []
    i = 0
    while i < len(text):
        if text[i] == '"':
            i += 1
            buf = bytearray()
            while text[i] != '"':
                if text[i] == '\\':
                    nxt = text[i + 1]
                    esc = {'n': 10, 't': 9, 'r': 13, '"': 34, "'": 39, '\\': 92}
                    if nxt in esc:
                        buf.append(esc[nxt])
                        i += 2
                    elif nxt == 'u':
                        j = text.index('}', i)
                        buf += chr(int(text[i + 3:j], 16)).encode('utf-8')
                        i = j + 1
                    else:
                        buf.append(int(text[i + 1:i + 3], 16))
                        i += 3
                else:
                    ch = text[i]
                    buf += ch.encode('utf-8')
                    i += 1
            out.append(bytes(buf))
            i += 1
        elif text.startswith(';;', i):
            while i < len(text) and text[i] != '\n':
                i += 1
        else:
            i += 1
    return out


def head(form):
    words = form[1:].split(None, 3)
    return words


def component_bytes(form, tmpdir):
    """(bytes or None, why). `form` is a `(component ...)` text."""
    words = head(form)
    rest = words[1:]
    if rest and rest[0] == 'definition':
        rest = rest[1:]
    if rest and rest[0].startswith('$'):
        rest = rest[1:]
    if rest and rest[0] in ('binary', 'quote'):
        body = form[form.index(rest[0]) + len(rest[0]):-1]
        data = b''.join(strings(body))
        if rest[0] == 'binary':
            return data, ''
        text = b'(component ' + data + b')'
    else:
        # `(component definition $id ...)`: a definition is a plain component here.
        body = form[len('(component'):]
        stripped = body.lstrip()
        if stripped.startswith('definition'):
            body = ' ' + stripped[len('definition'):]
        text = ('(component' + body).encode('utf-8')
    src = os.path.join(tmpdir, 'in.wat')
    dst = os.path.join(tmpdir, 'out.wasm')
    with open(src, 'wb') as f:
        f.write(text)
    if os.path.exists(dst):
        os.remove(dst)
    p = subprocess.run([JCO, 'parse', src, '-o', dst], capture_output=True, text=True)
    if p.returncode != 0 or not os.path.exists(dst):
        return None, (p.stderr or p.stdout).strip().splitlines()[-1:]
    with open(dst, 'rb') as f:
        return f.read(), ''


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    manifest = []
    counter = 0
    with tempfile.TemporaryDirectory() as tmpdir:
        for path in sys.argv[2:]:
            text = open(path, encoding='utf-8').read()
            for s, e, line in sexprs(text):
                form = text[s:e]
                words = head(form)
                kind, comp, msg = None, None, ''
                if words[0] == 'component':
                    kind, comp = 'valid', form
                elif words[0] in ('assert_invalid', 'assert_malformed'):
                    inner = inner_forms(form)
                    if not inner:
                        continue
                    cs, ce = inner[0]
                    comp = form[1:-1][cs:ce]
                    if not comp.startswith('(component'):
                        continue
                    tail = form[1:-1][ce:]
                    msgs = strings(tail)
                    msg = msgs[0].decode('utf-8') if msgs else ''
                    kind = 'invalid' if words[0] == 'assert_invalid' else 'malformed'
                else:
                    continue
                where = '%s:%d' % (os.path.basename(path), line)
                data, why = component_bytes(comp, tmpdir)
                name = '%04d.wasm' % counter
                counter += 1
                if data is None:
                    manifest.append((name, 'skip', ' '.join(why)[:200], where, kind))
                    continue
                with open(os.path.join(out_dir, name), 'wb') as f:
                    f.write(data)
                manifest.append((name, kind, msg, where, ''))
    with open(os.path.join(out_dir, 'manifest.tsv'), 'w', encoding='utf-8') as f:
        for row in manifest:
            f.write('\t'.join(x.replace('\t', ' ').replace('\n', ' ') for x in row) + '\n')
    counts = {}
    for row in manifest:
        counts[row[1]] = counts.get(row[1], 0) + 1
    print(counts)


if __name__ == '__main__':
    main()
