(module (func (result i32)
  (block (result i32) (block (result i32) (block (result i32) (block (result i32)
    (loop (result i32) (if (result i32) (i32.const 1) (then
      (i32.add (i32.add (i32.add (i32.const 1) (i32.const 2)) (i32.const 3)) (i32.const 4)))
      (else (i32.const 0))))))))))
