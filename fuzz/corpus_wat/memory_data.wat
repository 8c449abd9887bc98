(module
  (memory $m 1 2)
  (data (i32.const 0) "hello" "\00\ff\n\t\"\\\u{48}\u{1F600}")
  (data $d (memory $m) (offset (i32.const 16)) "world")
  (data $passive "bytes")
  (func (param i32) (result i32)
    (i32.store offset=4 align=2 (local.get 0) (i32.load8_u offset=0x10 (local.get 0)))
    (memory.init $passive (i32.const 0) (i32.const 0) (i32.const 5))
    (data.drop $passive)
    (memory.copy (i32.const 0) (i32.const 8) (i32.const 4))
    (memory.fill (i32.const 0) (i32.const 0) (i32.const 4))
    (drop (memory.grow (i32.const 1)))
    (i64.load32_s align=4 (memory.size)) drop
    (f64.load (i32.const 8)) drop
    (i32.const 0))
)
