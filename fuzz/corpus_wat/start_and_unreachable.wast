(module
  (global $g (mut i32) (i32.const 0))
  (func $init (global.set $g (i32.const 5)))
  (start $init)
  (func (export "g") (result i32) (global.get $g))
  (func (export "u") unreachable))
(assert_return (invoke "g") (i32.const 5))
(assert_trap (invoke "u") "unreachable")
