(module
  (func (result i32) (i32.const -0x8000_0000) drop (i32.const 4_294_967_295))
  (func (result i64) (i64.const 0xffff_ffff_ffff_ffff) drop (i64.const -9223372036854775808))
  (func (result f32)
    (f32.const 0x1p-149) drop (f32.const 0x1.fffffep127) drop (f32.const -inf) drop
    (f32.const nan:0x200000) drop (f32.const 1.5e+10) drop (f32.const 1_000.000_1))
  (func (result f64)
    (f64.const 0x1.fffffffffffffp1023) drop (f64.const -nan) drop (f64.const 4.9e-324) drop
    (f64.const +0x1.8p1) drop (f64.const 1e-5) drop (f64.const 0x1P+1_0))
)
