(module $M
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (global (export "g") i32 (i32.const 42)))
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_return (get "g") (i32.const 42))
(register "m" $M)
(invoke $M "add" (i32.const 0) (i32.const 0))
(assert_return (invoke $M "add" (i32.const -1) (i32.const 1)) (either (i32.const 0) (i32.const 1)))
