(module
  (memory (export "mem") (data "\01\02\03" "abc"))
  (func (export "get") (param i32) (result i32) (i32.load8_s (local.get 0))))
