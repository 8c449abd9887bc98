(module
  (global $a i32 (i32.const 1))
  (global $b (mut i64) (i64.const -1))
  (global $c f64 (f64.const -0x1p-1022))
  (global $d funcref (ref.func $f))
  (global $e externref (ref.null extern))
  (global $v v128 (v128.const i32x4 1 2 3 4))
  (func $f (global.set $b (i64.extend_i32_u (global.get $a))))
)
