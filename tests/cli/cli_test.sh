#!/usr/bin/env bash
# tests/cli/cli_test.sh ZINC SOURCE_ROOT: end-to-end checks of the `zinc` command line
# (cli/): output formats and the exit-code contract (0 ok, 1 failure, 2 usage, 3 not checked).
# Inputs are the bundled example and modules built here byte by byte, so nothing external is
# needed. Prints each failed check and exits 1 if any failed.
set -uo pipefail
zinc=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
checks=0

# expect NAME WANT_STATUS WANT_REGEX_IN_OUTPUT -- COMMAND...: runs COMMAND (stdout+stderr).
expect() {
  local name=$1 want_rc=$2 want_re=$3
  shift 4
  checks=$((checks + 1))
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [ "$rc" != "$want_rc" ]; then
    echo "FAIL $name: exit $rc, expected $want_rc; output:"; echo "$out" | head -20
    failures=$((failures + 1))
  elif [ -n "$want_re" ] && ! grep -qE -- "$want_re" <<<"$out"; then
    echo "FAIL $name: output does not match /$want_re/:"; echo "$out" | head -20
    failures=$((failures + 1))
  fi
}

hello="$root/examples/hello.wasm"
# (module (type (func (result i32))) (func (type 0) nop)): nop leaves no i32 -> type mismatch in
# function 0 at the `end` (offset 0x19). The second variant adds a memory and a data section
# after the code, so body validation must not depend on code being the last section.
printf '\0asm\1\0\0\0\1\5\1\x60\0\1\x7f\3\2\1\0\x0a\5\1\3\0\1\x0b' >"$tmp/invalid.wasm"
printf '\0asm\1\0\0\0\1\5\1\x60\0\1\x7f\3\2\1\0\5\3\1\0\1\x0a\5\1\3\0\1\x0b\x0b\7\1\0\x41\0\x0b\1x' \
  >"$tmp/invalid_then_data.wasm"
printf '\0asm\2\0\0\0' >"$tmp/badversion.wasm"
printf 'not wasm at all' >"$tmp/text.wasm"
# Text modules (issue 4): valid (a comment before the module), malformed at 5:5, and well-formed
# but invalid (nop leaves no i32); validate and inspect encode them with decoder/text.
printf ';; a text module\n(module\n  (func $f (export "f") (result i32)\n    i32.const 1))\n' \
  >"$tmp/ok.wat"
printf '(module\n  (func (result i32)\n    i32.const 1\n    drop\n    i32.frob))\n' >"$tmp/bad.wat"
printf '(module (func (result i32) nop))' >"$tmp/invalid.wat"
# A component preamble (version 0x0d, layer 1) with one empty custom section "c".
printf '\0asm\x0d\0\1\0\0\2\1c' >"$tmp/component.wasm"
# A text component exporting add(u32, u32) -> u32 and greet(string) -> string (issue 7).
cat >"$tmp/comp.wat" <<'WAT'
(component
  (core module $m
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 1024))
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (global.get $next))
      (global.set $next (i32.add (global.get $next) (local.get 3)))
      (local.get $p))
    ;; greet(s) returns s unchanged: (ptr, len) written at 8.
    (func (export "echo") (param i32 i32) (result i32)
      (i32.store (i32.const 8) (local.get 0))
      (i32.store (i32.const 12) (local.get 1))
      (i32.const 8)))
  (core instance $i (instantiate $m))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $i "add")))
  (func (export "echo") (param "s" string) (result string)
    (canon lift (core func $i "echo") (memory $i "mem") (realloc (func $i "realloc"))))
)
WAT
# Composition (--link): app.wat imports zinc:demo/text@1.0.0, which lib.wat exports.
cat >"$tmp/lib.wat" <<'WAT'
(component
  (core module $m
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (global.get $next))
      (global.set $next (i32.add (global.get $next) (local.get 3)))
      (local.get $p))
    (func (export "shout") (param i32 i32) (result i32)
      (local $i i32)
      (block $done (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get 1)))
        (i32.store8 (i32.add (local.get 0) (local.get $i))
          (i32.sub (i32.load8_u (i32.add (local.get 0) (local.get $i))) (i32.const 32)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
      (i32.store (i32.const 8) (local.get 0))
      (i32.store (i32.const 12) (local.get 1))
      (i32.const 8)))
  (core instance $i (instantiate $m))
  (func $shout (param "s" string) (result string)
    (canon lift (core func $i "shout") (memory $i "mem") (realloc (func $i "realloc"))))
  (instance $api (export "shout" (func $shout)))
  (export "zinc:demo/text@1.0.0" (instance $api))
)
WAT
cat >"$tmp/app.wat" <<'WAT'
(component
  (import "zinc:demo/text@1.0.0" (instance $t (export "shout" (func (param "s" string) (result string)))))
  (alias export $t "shout" (func $shout))
  (core module $mem
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (global.get $next))
      (global.set $next (i32.add (global.get $next) (local.get 3)))
      (local.get $p)))
  (core instance $mi (instantiate $mem))
  (core func $shout_core (canon lower (func $shout) (memory $mi "mem") (realloc (func $mi "realloc"))))
  (core module $m
    (import "t" "shout" (func $s (param i32 i32 i32)))
    (func (export "twice") (param i32 i32) (result i32)
      (call $s (local.get 0) (local.get 1) (i32.const 16))
      (i32.const 16)))
  (core instance $i (instantiate $m (with "t" (instance (export "shout" (func $shout_core))))))
  (func (export "twice") (param "s" string) (result string)
    (canon lift (core func $i "twice") (memory $mi "mem") (realloc (func $mi "realloc"))))
)
WAT
printf '(component (core module $m (func (export "f") (result i32) i32.const 1))\n' \
  >"$tmp/badcomp.wat"
printf '  (core instance $i (instantiate $m))\n  (func (export "f") (result string) (canon lift (core func $i "f"))))\n' \
  >>"$tmp/badcomp.wat"

expect version 0 '^zinc [0-9]+\.[0-9]+\.[0-9]+$' -- "$zinc" --version
expect help 0 'validate' -- "$zinc" --help
expect help-cmd 0 'Usage: zinc validate' -- "$zinc" help validate
expect help-inspect 0 'Usage: zinc inspect' -- "$zinc" help inspect
expect help-unknown 2 "unknown command 'frob'" -- "$zinc" help frob
expect no-command 2 '' -- "$zinc"
expect bad-option 2 '' -- "$zinc" validate --frob "$hello"
expect no-files 2 '' -- "$zinc" validate
expect valid 0 "^$hello: valid$" -- "$zinc" validate "$hello"
expect quiet 0 '^$' -- "$zinc" validate --quiet "$hello"
expect stdin 0 '^-: valid$' -- bash -c "\"$zinc\" validate - <\"$hello\""
expect missing 1 '^/nonexistent/x.wasm: No such file or directory$' -- \
  "$zinc" validate /nonexistent/x.wasm
expect directory 1 ': Is a directory$' -- "$zinc" validate "$tmp"
expect invalid 1 "^$tmp/invalid.wasm: 0x19: type mismatch.*\(in function 0\)$" -- \
  "$zinc" validate "$tmp/invalid.wasm"
expect invalid-then-data 1 "invalid_then_data.wasm: 0x[0-9a-f]+: type mismatch.*\(in function 0\)" \
  -- "$zinc" validate "$tmp/invalid_then_data.wasm"
expect bad-version 1 "badversion.wasm: 0x4: unknown binary version" -- \
  "$zinc" validate "$tmp/badversion.wasm"
expect not-wasm 1 "text.wasm: 0x0: magic header not detected" -- "$zinc" validate "$tmp/text.wasm"
expect component 0 "component.wasm: valid" -- "$zinc" validate "$tmp/component.wasm"
expect component-text 0 "comp.wat: valid" -- "$zinc" validate "$tmp/comp.wat"
expect component-invalid 1 "badcomp.wat: 0x[0-9a-f]+: .*" -- "$zinc" validate "$tmp/badcomp.wat"
expect component-invoke 0 '^3$' -- "$zinc" run --invoke 'add(1, 2)' "$tmp/comp.wat"
expect component-invoke-string 0 '^"h\\u\{e9\}llo"$|^"héllo"$' -- \
  "$zinc" run --invoke 'echo("héllo")' "$tmp/comp.wat"
expect component-invoke-unknown 2 'echo: func\(s: string\) -> string' -- \
  "$zinc" run --invoke 'nope()' "$tmp/comp.wat"
expect component-invoke-arity 2 'takes 2 arguments, 1 given' -- \
  "$zinc" run --invoke 'add(1)' "$tmp/comp.wat"
expect component-invoke-type 2 'argument 1' -- "$zinc" run --invoke 'add("x", 1)' "$tmp/comp.wat"
expect component-link 0 '^"HELLO"$' -- \
  "$zinc" run --link "zinc:demo/text@1.0.0=$tmp/lib.wat" --invoke 'twice("hello")' "$tmp/app.wat"
expect component-link-missing 1 'zinc:demo/text@1.0.0.*shout' -- \
  "$zinc" run --invoke 'twice("hello")' "$tmp/app.wat"
expect component-link-wrong 1 'has no export `shout`' -- \
  "$zinc" run --link "zinc:demo/text@1.0.0=$tmp/comp.wat" --invoke 'twice("x")' "$tmp/app.wat"
expect component-link-core 2 'applies to components' -- \
  "$zinc" run --link "x=$tmp/lib.wat" --invoke f "$tmp/ok.wat"
expect component-wit 0 'export echo: func\(s: string\) -> string;' -- "$zinc" wit "$tmp/comp.wat"
# WASI 0.2 commands (issue 8): the bundled command component runs without flags; a component
# without wasi:cli/run needs --invoke; network options are checked.
expect p2-command 0 '^argument: two words$' -- \
  "$zinc" run "$root/examples/hello-component.wat" one "two words"
expect p2-command-invoke 0 '^ok$' -- \
  "$zinc" run --invoke 'wasi:cli/run@0.2.0#run()' "$root/examples/hello-component.wat"
expect p2-not-command 1 'does not export wasi:cli/run' -- "$zinc" run "$tmp/comp.wat"
expect p2-bad-wasi-option 2 'frob' -- \
  "$zinc" run -S frob "$root/examples/hello-component.wat"
expect p2-bad-allow-ip 2 '' -- \
  "$zinc" run --allow-ip 300.1.2.3/8 "$root/examples/hello-component.wat"
expect component-inspect 0 'canon lift core func' -- "$zinc" inspect "$tmp/comp.wat"
expect mixed-invalid 1 "$hello: valid" -- "$zinc" validate "$hello" "$tmp/invalid.wasm"
expect mixed-component 0 "$hello: valid" -- "$zinc" validate "$hello" "$tmp/component.wasm"
expect mixed-all 1 'component.wasm: valid' -- "$zinc" validate "$tmp/component.wasm" "$tmp/invalid.wasm"
expect inspect-sections 0 '^  0x[0-9a-f]{8} 0x[0-9a-f]{8} [0-9]+ +code +[0-9]+ entries' -- \
  "$zinc" inspect "$hello"
expect inspect-imports 0 'func\[0\] wasi_snapshot_preview1\.[a-z_]+: type\[[0-9]+\]' -- \
  "$zinc" inspect "$hello"
expect inspect-exports 0 '"_start" -> func\[[0-9]+\]' -- "$zinc" inspect "$hello"
expect inspect-names 0 'func\[[0-9]+\] "main"' -- "$zinc" inspect "$hello"
expect inspect-customs 0 '"name": [0-9]+ bytes at 0x' -- "$zinc" inspect "$hello"
expect inspect-only-sections 0 '^Sections' -- "$zinc" inspect --sections "$hello"
expect inspect-invalid 0 'note: module is invalid: 0x19: type mismatch' -- \
  "$zinc" inspect "$tmp/invalid.wasm"
expect inspect-malformed 1 'magic header not detected' -- "$zinc" inspect "$tmp/text.wasm"
expect inspect-component 0 'custom +"c"' -- "$zinc" inspect "$tmp/component.wasm"
expect inspect-missing 1 'No such file' -- "$zinc" inspect /nonexistent/x.wasm
expect wat-valid 0 "^$tmp/ok.wat: valid$" -- "$zinc" validate "$tmp/ok.wat"
expect wat-stdin 0 '^-: valid$' -- bash -c "\"$zinc\" validate - <\"$tmp/ok.wat\""
expect wat-malformed 1 "^$tmp/bad.wat:5:5: unknown operator i32.frob$" -- \
  "$zinc" validate "$tmp/bad.wat"
expect wat-invalid 1 "^$tmp/invalid.wat: 0x[0-9a-f]+: type mismatch.*\(in function 0\)$" -- \
  "$zinc" validate "$tmp/invalid.wat"
expect wat-mixed 1 "$tmp/ok.wat: valid" -- "$zinc" validate "$tmp/ok.wat" "$tmp/bad.wat" "$hello"
expect wat-inspect 0 '"f" -> func\[0\]' -- "$zinc" inspect "$tmp/ok.wat"
expect wat-inspect-header 0 'WebAssembly module, version 1, [0-9]+ bytes \(encoded from text\)' -- \
  "$zinc" inspect "$tmp/ok.wat"
expect wat-inspect-invalid 0 'note: module is invalid: 0x[0-9a-f]+: type mismatch' -- \
  "$zinc" inspect "$tmp/invalid.wat"
expect wat-inspect-malformed 1 "^$tmp/bad.wat:5:5: unknown operator i32.frob$" -- \
  "$zinc" inspect "$tmp/bad.wat"

echo "$((checks - failures))/$checks CLI checks passed"
[ "$failures" -eq 0 ]
