-- wrk script for the officials' rows of `make bench`: every GET carries the session
-- cookie given after `--` (written by load_bench_scorecards into the plan), so the page is
-- rendered for that signed-in official.

function init(args)
  wrk.headers["Cookie"] = args[1]
end
