(module
  (memory i64 1)
  (table i64 1 funcref)
  (func (result i64) (i64.load (i64.const 0)))
  (memory $m2 i64 (data "x")))
