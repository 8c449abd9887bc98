;; examples/hello-component.wat: a WASI 0.2 command component, written by hand in the component
;; text format, so it needs no toolchain: `zinc run examples/hello-component.wat a b c`.
;;
;; It exports wasi:cli/run and imports what it uses, laid out as wit-component does: each
;; interface an instance import, the resources of wasi:io bound once and reached from later
;; imports through outer aliases. run() prints a greeting and its arguments to stdout through
;; wasi:cli/stdout and wasi:io/streams, then returns ok.
(component
  (import "wasi:io/error@0.2.0" (instance $error-i (export "error" (type (sub resource)))))
  (alias export $error-i "error" (type $error))
  (import "wasi:io/poll@0.2.0" (instance $poll-i (export "pollable" (type (sub resource)))))
  (alias export $poll-i "pollable" (type $pollable))
  (import "wasi:io/streams@0.2.0" (instance $streams
    (alias outer 1 $error (type $err))
    (export "error" (type $error' (eq $err)))
    (alias outer 1 $pollable (type $pl))
    (export "pollable" (type $pollable' (eq $pl)))
    (export "output-stream" (type $output-stream (sub resource)))
    (type $stream-error (variant (case "last-operation-failed" (own $error')) (case "closed")))
    (export "stream-error" (type $stream-error' (eq $stream-error)))
    (type $write-result (result (error $stream-error')))
    (type $bytes (list u8))
    (type $self (borrow $output-stream))
    (export "[method]output-stream.blocking-write-and-flush"
      (func (param "self" $self) (param "contents" $bytes) (result $write-result)))
  ))
  (alias export $streams "output-stream" (type $output-stream))
  (import "wasi:cli/stdout@0.2.0" (instance $stdout
    (alias outer 1 $output-stream (type $os))
    (export "output-stream" (type $output-stream' (eq $os)))
    (type $own (own $output-stream'))
    (export "get-stdout" (func (result $own)))
  ))
  (import "wasi:cli/environment@0.2.0" (instance $environment
    (type $strings (list string))
    (export "get-arguments" (func (result $strings)))
  ))

  ;; Memory and a bump allocator for the strings get-arguments returns.
  (core module $libc
    (memory (export "memory") 1)
    (global $next (mut i32) (i32.const 4096))
    (func (export "realloc") (param $old i32) (param $old-size i32) (param $align i32)
                             (param $size i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $next) (i32.sub (local.get $align) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get $align))))
      (global.set $next (i32.add (local.get $p) (local.get $size)))
      (if (i32.gt_u (global.get $next) (i32.shl (memory.size) (i32.const 16)))
        (then (drop (memory.grow (i32.add (i32.shr_u (local.get $size) (i32.const 16))
                                          (i32.const 1))))))
      (local.get $p)))
  (core instance $libc (instantiate $libc))

  (alias export $stdout "get-stdout" (func $get-stdout))
  (alias export $streams "[method]output-stream.blocking-write-and-flush" (func $write))
  (alias export $environment "get-arguments" (func $get-arguments))
  (core func $get-stdout' (canon lower (func $get-stdout)))
  (core func $write' (canon lower (func $write) (memory $libc "memory")))
  (core func $get-arguments' (canon lower (func $get-arguments) (memory $libc "memory")
                                          (realloc (func $libc "realloc"))))
  (core func $drop-stream (canon resource.drop $output-stream))

  (core module $main
    (import "libc" "memory" (memory 1))
    (import "wasi" "get-stdout" (func $get-stdout (result i32)))
    (import "wasi" "write" (func $write (param i32 i32 i32 i32)))
    (import "wasi" "get-arguments" (func $get-arguments (param i32)))
    (import "wasi" "drop-stream" (func $drop-stream (param i32)))
    (data (i32.const 100) "Hello from a WebAssembly component!\n")  ;; 36 bytes
    (data (i32.const 140) "argument: ")                             ;; 10 bytes
    (data (i32.const 150) "\n")
    ;; Writes [ptr, ptr + len) to `stream`; the result (ok or a stream error) lands at 0.
    (func $print (param $stream i32) (param $ptr i32) (param $len i32)
      (call $write (local.get $stream) (local.get $ptr) (local.get $len) (i32.const 0)))
    (func (export "run") (result i32)
      (local $out i32) (local $args i32) (local $n i32) (local $i i32) (local $arg i32)
      (local.set $out (call $get-stdout))
      (call $print (local.get $out) (i32.const 100) (i32.const 36))
      ;; get-arguments writes (pointer, count) of a list of (pointer, length) pairs at 8.
      (call $get-arguments (i32.const 8))
      (local.set $args (i32.load (i32.const 8)))
      (local.set $n (i32.load (i32.const 12)))
      ;; Argument 0 is the program name.
      (local.set $i (i32.const 1))
      (block $done
        (loop $next
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $arg (i32.add (local.get $args) (i32.shl (local.get $i) (i32.const 3))))
          (call $print (local.get $out) (i32.const 140) (i32.const 10))
          (call $print (local.get $out) (i32.load (local.get $arg))
                       (i32.load offset=4 (local.get $arg)))
          (call $print (local.get $out) (i32.const 150) (i32.const 1))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
      (call $drop-stream (local.get $out))
      (i32.const 0)))  ;; ok
  (core instance $main (instantiate $main
    (with "libc" (instance $libc))
    (with "wasi" (instance
      (export "get-stdout" (func $get-stdout'))
      (export "write" (func $write'))
      (export "get-arguments" (func $get-arguments'))
      (export "drop-stream" (func $drop-stream))))))

  (func $run (result (result)) (canon lift (core func $main "run")))
  (instance $run (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $run))
)
