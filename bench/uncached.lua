-- wrk script for the "uncached" rows of `make bench`: every request adds a query
-- parameter never sent before, so the page cache (registry/page_cache.py) never has
-- the page and each one is rendered: what a visitor with a new search or filter waits
-- for. The views ignore the parameter; counts stay cached per filter, as in real use.

local counter = 0

function setup(thread)
  thread:set("id", thread_count or 0)
  thread_count = (thread_count or 0) + 1
end

function request()
  counter = counter + 1
  local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. separator .. "_u=" .. id .. "-" .. counter)
end
