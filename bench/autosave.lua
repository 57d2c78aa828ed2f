-- wrk script for the "scorecard save" row of `make bench`: autosave POSTs as signed-in
-- council members. Arguments after `--`: the ticks file, written by bench/run.py,
-- and wrk's thread count. The ticks file has one tick a line:
--   path <TAB> Cookie header <TAB> CSRF header name <TAB> token <TAB> form body
-- Consecutive lines are different cards, and each (card, criterion) comes back with
-- another option, so every request is a real write, not a repeated no-op.
-- Requests are formatted once in init(): building them per request would make wrk,
-- on the same two cores, the bottleneck.

local requests = {}
local next_index = 1

function setup(thread)
  thread:set("id", thread_count or 0)
  thread_count = (thread_count or 0) + 1
end

function init(args)
  for line in io.lines(args[1]) do
    local path, cookie, header, token, body =
      line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)$")
    if path then
      local headers = {
        ["Cookie"] = cookie,
        [header] = token,
        ["Content-Type"] = "application/x-www-form-urlencoded",
      }
      requests[#requests + 1] = wrk.format("POST", path, headers, body)
    end
  end
  if #requests == 0 then
    error("no ticks in " .. args[1])
  end
  -- Threads start at different places so two of them do not tick the same card at once.
  local threads = tonumber(args[2]) or 1
  next_index = (id * math.floor(#requests / threads)) % #requests + 1
end

function request()
  local r = requests[next_index]
  next_index = next_index % #requests + 1
  return r
end
