(func (param i32) (result i32)
  local.get 0
  if (result i32)
    i32.const 1
  else
    local.get 0
    i32.const 1
    i32.sub
  end
  return)
