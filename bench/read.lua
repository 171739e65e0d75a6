-- wrk script: GET the path in BENCH_PATH; with BENCH_ETAG set, send it as If-None-Match
-- (a repeat reader); with BENCH_GZIP=1, accept gzip as browsers do. Counts 200, 304 and
-- anything else; done() prints "BENCH {json}".
wrk.path = os.getenv("BENCH_PATH")
if os.getenv("BENCH_ETAG") then wrk.headers["If-None-Match"] = os.getenv("BENCH_ETAG") end
if os.getenv("BENCH_GZIP") == "1" then wrk.headers["Accept-Encoding"] = "gzip, deflate, br" end

function init(args) ok, not_modified, other = 0, 0, 0 end

function response(status)
  if status == 200 then ok = ok + 1
  elseif status == 304 then not_modified = not_modified + 1
  else other = other + 1 end
end

local threads = {}
function setup(thread) threads[#threads + 1] = thread end

function done(summary, latency, requests)
  local a, b, c = 0, 0, 0
  for _, thread in ipairs(threads) do
    a = a + thread:get("ok"); b = b + thread:get("not_modified"); c = c + thread:get("other")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"seconds":%.3f,"ok":%d,"not_modified":%d,"other":%d,"socket_errors":%d,"p50_ms":%.3f,"p99_ms":%.3f}\n',
    summary.requests, summary.duration / 1e6, a, b, c, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
