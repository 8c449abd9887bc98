(module
  (memory 1)
  (table 2 funcref)
  (elem $e funcref (ref.func 0) (ref.null func))
  (data $d "\aa\bb")
  (func
    (memory.init 0 $d (i32.const 0) (i32.const 0) (i32.const 2))
    (table.init 0 $e (i32.const 0) (i32.const 0) (i32.const 2))
    (table.copy 0 0 (i32.const 0) (i32.const 0) (i32.const 1))))
