(type $t (func (result i32)))
(func $one (type $t) i32.const 1)
(memory 0)
(export "one" (func $one))
