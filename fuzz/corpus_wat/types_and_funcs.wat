(module
  (type $unop (func (param i32) (result i32)))
  (type (func (param $a f32) (param $b f32) (result f32)))
  (func $inc (type $unop) (i32.add (local.get 0) (i32.const 1)))
  (func $mul (param $x i64) (param $y i64) (result i64)
    local.get $x
    local.get $y
    i64.mul)
  (func (export "sum") (param i32 i32) (result i32) (local $t i32) (local i64 f64)
    (local.set $t (call $inc (local.get 0)))
    (i32.add (local.get $t) (local.get 1)))
)
