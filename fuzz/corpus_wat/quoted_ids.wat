(module
  (func $"with space" (param $"p\u{41}" i32) (result i32) (local.get $"pA"))
  (func (export "\u{1F600}") (call $"with space" (i32.const 1)) drop))
