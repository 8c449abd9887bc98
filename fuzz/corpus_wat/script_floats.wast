(module
  (func (export "f32") (param f32) (result f32) (f32.sqrt (local.get 0)))
  (func (export "v") (param v128) (result v128) (f32x4.abs (local.get 0))))
(assert_return (invoke "f32" (f32.const -1)) (f32.const nan:canonical))
(assert_return (invoke "f32" (f32.const nan:0x200)) (f32.const nan:arithmetic))
(assert_return (invoke "v" (v128.const f32x4 -1 nan 2 -0))
  (v128.const f32x4 1 nan:canonical 2 0))
(assert_return (invoke "v" (v128.const i16x8 1 2 3 4 5 6 7 -8))
  (v128.const i16x8 1 2 3 4 5 6 7 0x7ff8))
