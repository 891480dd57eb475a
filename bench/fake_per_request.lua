-- GET /pets/{n} with a new n on every request and Prefer: dynamic=true: the
-- server builds, echoes and encodes a fake pet per request (no cached body).
local n = 1000
request = function()
  n = n + 1
  return wrk.format("GET", "/pets/" .. n, { ["Prefer"] = "dynamic=true" })
end
