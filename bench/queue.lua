-- wrk script for the on-sale: BENCH_MODE=join POSTs /api/shows/{id}/queue once for each of
-- this thread's tokens and then stops the thread; BENCH_MODE=poll GETs /api/shows/{id}/queue/me
-- with the tokens in turn, for the whole run. The setup file (BENCH_SETUP) holds the show id
-- on line 1, then one token per line; thread k of BENCH_THREADS takes every k-th token.
-- done() prints "BENCH {json}" with the 201s (new entries), 200s and anything else.
local tokens, show, mode, position = {}, nil, nil, 0
local threads, counter = {}, 0

function setup(thread)
  thread:set("index", counter)
  counter = counter + 1
  threads[#threads + 1] = thread
end

function init(args)
  local file = assert(io.open(os.getenv("BENCH_SETUP")))
  show = file:read("*l")
  local count, i = tonumber(os.getenv("BENCH_THREADS")), 0
  for line in file:lines() do
    if i % count == index then tokens[#tokens + 1] = line end
    i = i + 1
  end
  file:close()
  mode = os.getenv("BENCH_MODE")
  created, ok, other = 0, 0, 0
end

function request()
  position = position + 1
  if mode == "join" then
    local token = tokens[(position - 1) % #tokens + 1]
    return wrk.format("POST", "/api/shows/" .. show .. "/queue", { ["Authorization"] = "Bearer " .. token })
  end
  local token = tokens[(position - 1) % #tokens + 1]
  return wrk.format("GET", "/api/shows/" .. show .. "/queue/me", { ["Authorization"] = "Bearer " .. token })
end

function response(status)
  if status == 201 then created = created + 1
  elseif status == 200 then ok = ok + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local a, b, c = 0, 0, 0
  for _, thread in ipairs(threads) do
    a = a + thread:get("created"); b = b + thread:get("ok"); c = c + thread:get("other")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"seconds":%.3f,"created":%d,"ok":%d,"other":%d,"socket_errors":%d,"p50_ms":%.3f,"p99_ms":%.3f}\n',
    summary.requests, summary.duration / 1e6, a, b, c, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
