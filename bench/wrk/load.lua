-- wrk script for bench/api_load.py.
-- Usage: wrk -s bench/wrk/load.lua URL -- METHOD API_KEY|- [BODIES_FILE]
-- BODIES_FILE holds one JSON body per line; each connection's requests cycle through them.
-- done() prints one JSON line (prefixed "RESULT ") that api_load.py parses.

local bodies = {}
local next_body = 1

function init(args)
  wrk.method = args[1] or "GET"
  if args[2] and args[2] ~= "-" then
    wrk.headers["X-API-Key"] = args[2]
  end
  if args[3] then
    for line in io.lines(args[3]) do
      if #line > 0 then
        bodies[#bodies + 1] = line
      end
    end
    wrk.headers["Content-Type"] = "application/json"
  end
end

function request()
  if #bodies == 0 then
    return wrk.format()
  end
  local body = bodies[next_body]
  next_body = next_body % #bodies + 1
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p99_us":%d,' ..
    '"max_us":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,' ..
    '"status_errors":%d,"timeouts":%d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(99), latency.max,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
