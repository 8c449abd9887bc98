(module
  (func (export "id") (param externref) (result externref) (local.get 0))
  (func $f (export "fn") (result funcref) (ref.func $f)))
(assert_return (invoke "id" (ref.extern 1)) (ref.extern 1))
(assert_return (invoke "id" (ref.null extern)) (ref.null extern))
(assert_return (invoke "fn") (ref.func))
(assert_return (invoke "id" (ref.extern 0)) (ref.extern))
