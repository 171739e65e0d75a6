-- wrk script: each request books 1 to 4 distinct random seats of a random show of the
-- setup, for a random user of the setup. The setup file (BENCH_SETUP) holds the seats per
-- show on line 1, the show ids (comma-separated) on line 2, then one token per line.
-- With BENCH_LEARN=1 each thread remembers the seats it saw taken (its bookings and the
-- conflictingSeats of its 409s) and asks for others, as buyers looking at the map would:
-- the sell-out scenario, where random picks alone would spend ages on the last few seats.
-- With BENCH_BEST=1 each request asks for the best 1 to 4 seats (`quantity`) instead.
-- done() prints one line, "BENCH {json}", that scripts/bench reads.
local shows, tokens, seats_per_show = {}, {}, 0
local learn = os.getenv("BENCH_LEARN") == "1"
local best = os.getenv("BENCH_BEST") == "1"
local taken, taken_count = {}, 0

function init(args)
  local file = assert(io.open(os.getenv("BENCH_SETUP")))
  seats_per_show = tonumber(file:read("*l"))
  for id in string.gmatch(file:read("*l"), "[^,]+") do shows[#shows + 1] = id end
  for line in file:lines() do tokens[#tokens + 1] = line end
  file:close()
  math.randomseed(os.time() + tonumber(tostring(shows):match("0x(%x+)") or "0", 16) % 100000)
  created, conflicts, refused, other = 0, 0, 0, 0
end

function request()
  local count, seats, seen = math.random(1, 4), {}, {}
  if best then
    return wrk.format("POST", "/api/bookings", {
      ["Content-Type"] = "application/json",
      ["Authorization"] = "Bearer " .. tokens[math.random(#tokens)],
    }, string.format('{"showId":"%s","quantity":%d}', shows[math.random(#shows)], count))
  end
  local free = seats_per_show - taken_count
  if learn and free > 0 and count > free then count = free end
  local tries = 0
  while #seats < count do
    local seat = math.random(1, seats_per_show)
    tries = tries + 1
    if not seen[seat] and (not learn or not taken[seat] or tries > 10000) then
      seen[seat] = true; seats[#seats + 1] = seat
    end
  end
  local body = string.format('{"showId":"%s","seats":[%s]}', shows[math.random(#shows)], table.concat(seats, ","))
  return wrk.format("POST", "/api/bookings", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[math.random(#tokens)],
  }, body)
end

local function remember(list)
  for seat in string.gmatch(list or "", "%d+") do
    seat = tonumber(seat)
    if not taken[seat] then taken[seat] = true; taken_count = taken_count + 1 end
  end
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
    if learn then remember(string.match(body, '"seats":%[([%d,]*)%]')) end
  elseif status == 409 then
    conflicts = conflicts + 1
    if learn then remember(string.match(body, '"conflictingSeats":%[([%d,]*)%]')) end
  elseif status == 503 or status == 429 then refused = refused + 1
  else other = other + 1 end
end

local threads = {}
function setup(thread) threads[#threads + 1] = thread end

function done(summary, latency, requests)
  local c, k, r, o = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("created"); k = k + thread:get("conflicts"); r = r + thread:get("refused")
    o = o + thread:get("other")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"seconds":%.3f,"created":%d,"conflicts":%d,"refused":%d,"other":%d,"socket_errors":%d,"p50_ms":%.3f,"p99_ms":%.3f}\n',
    summary.requests, summary.duration / 1e6, c, k, r, o, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
