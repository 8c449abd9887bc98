(module
  (memory 1)
  (func (result v128)
    (i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31
      (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 -128)
      (v128.const i16x8 0 -1 65535 0x7fff 1 2 3 4))
    (f32x4.add (v128.const f32x4 nan -inf 0x1p3 1.5))
    (f64x2.mul (v128.const f64x2 0.1 nan:0x1))
    (v128.xor (v128.const i64x2 -1 0xffffffffffffffff))
    drop
    (drop (i32x4.extract_lane 3 (v128.load offset=16 align=8 (i32.const 0))))
    (v128.store32_lane align=4 2 (i32.const 0) (v128.load32_splat (i32.const 4)))
    (v128.load8_lane 15 (i32.const 0) (v128.const i32x4 0 0 0 0))
    (i8x16.replace_lane 0 (i32.const 9))
    (i8x16.splat (i16x8.extract_lane_s 7))
    (v128.bitselect (v128.const i32x4 1 2 3 4) (v128.const i32x4 0 0 0 0))
  )
)
