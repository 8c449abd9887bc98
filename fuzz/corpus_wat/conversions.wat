(module
  (func (param f64) (result i64)
    (i64.trunc_sat_f64_s (local.get 0)) drop
    (i64.reinterpret_f64 (f64.promote_f32 (f32.demote_f64 (local.get 0)))) drop
    (i64.extend32_s (i64.trunc_f64_u (local.get 0)))
    i32.wrap_i64 i64.extend_i32_s
    (f64.convert_i64_u) (f64.copysign (f64.nearest (local.get 0))) (i64.trunc_f64_s)))
