-- wrk script of the collector benchmark: replays the request sequence that
-- load.ts wrote (one request per line, "ip<TAB>body") in order, one
-- thread (-t1), and prints a one-line JSON summary for load.ts to read.
--   wrk -t1 -c64 -d15s -s replay.lua http://127.0.0.1:PORT -- FILE
local UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'
local requests = {}
local position = 0
wrapped = 0
cpu_at_start = 0

-- utime + stime of the whole wrk process, in seconds (Linux: 100 ticks a second).
local function cpu_seconds()
  local file = io.open('/proc/self/stat', 'r')
  if not file then return 0 end
  local stat = file:read('*a')
  file:close()
  local after_name = stat:sub(stat:find(')', 1, true) + 2)
  local fields = {}
  for field in after_name:gmatch('%S+') do fields[#fields + 1] = field end
  return (tonumber(fields[12]) + tonumber(fields[13])) / 100
end

local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
end

-- Every request is formatted up front, so sending one costs a table lookup.
function init(args)
  for line in io.lines(args[1]) do
    local tab = line:find('\t', 1, true)
    requests[#requests + 1] = wrk.format('POST', '/collect', {
      ['Content-Type'] = 'text/plain;charset=UTF-8',
      ['User-Agent'] = UA,
      ['X-Forwarded-For'] = line:sub(1, tab - 1),
    }, line:sub(tab + 1))
  end
  cpu_at_start = cpu_seconds()
end

function request()
  position = position + 1
  if position > #requests then
    position = 1
    wrapped = wrapped + 1
  end
  return requests[position]
end

function done(summary, latency, requests_)
  local thread = threads[1]
  local errors = summary.errors
  io.write(string.format(
    '{"wrk":{"requests":%d,"non2xx":%d,"errors":%d,"seconds":%.6f,"p50":%.1f,"p99":%.1f,"wrapped":%d,"cpuSeconds":%.3f}}\n',
    summary.requests, errors.status, errors.connect + errors.read + errors.write + errors.timeout,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    thread:get('wrapped'), cpu_seconds() - thread:get('cpu_at_start')))
end
