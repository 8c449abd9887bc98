(module
  (func (export "") nop)
  (func (export "\ef\bb\bf") nop)
  (func (export "\u{10FFFF}") nop)
  (global (export "~!@#$%^&*()_+") i32 (i32.const 0)))
