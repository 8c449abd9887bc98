(module
  (func $f (result i32) (i32.const 1))
  (table (export "t") funcref (elem $f $f))
  (table $r externref (elem (ref.null extern)))
)
