-- wrk script for bench case (c): online bookings, POST /api/v1/bookings.
--
--   wrk -t2 -c64 -d10s --latency -s bench/bookings.lua http://127.0.0.1:18081 \
--       -- bench/results/booking-slots.lua 2
--
-- Script arguments (after "--"):
--   1. the slot data file written by bench/run.sh: a Lua chunk returning one
--      long string, one free slot per line, "<specialist_id> <RFC 3339 start>"
--      (a string rather than a table constructor: LuaJIT refuses chunks with
--      more than 65536 constants);
--   2. the number of wrk threads (-t), used to partition the slots.
--
-- Every request books a DISTINCT free slot with a DISTINCT phone number:
--   * thread k (0-based) of n takes slots k+1, k+1+n, k+1+2n, ... of the file,
--     so no two threads ever share a slot; within a thread, request() is called
--     from one event loop, one request at a time, and hands out the next slot;
--   * the phone number is derived from the same global index, so it is unique
--     across threads too: +7 900 XXX-XX-XX, XXXXXXX = PHONE_BASE + index.
-- When a thread has used all its slots it stops (wrk.thread:stop()). The
-- request() call that notices the exhaustion still has to return a request,
-- so it returns a harmless GET /health; its 200 response (if it arrives at all
-- before the loop stops) is counted apart, never as a booking. The wrk duration
-- is unchanged, so successes / duration stays an honest (lower-bound) rate;
-- done() reports which threads ran dry so that run.sh can flag the result.
--
-- Note: before the run starts, wrk calls request() once on thread 0 to check
-- the request it builds; that slot is never sent (so "sent" counts one more
-- than went on the wire). Also, bookings in flight when a thread stops are
-- never seen by response(): they may be committed without being counted, so
-- the reported successes are a lower bound.
--
-- done() prints machine-readable lines starting with "bookings:" that
-- bench/run.sh parses.

local PHONE_BASE = 5000000 -- keeps clear of low demo numbers; 10^7 - base = room
local threads = {}
local next_thread_id = 0

function setup(thread)
   thread:set("id", next_thread_id)
   next_thread_id = next_thread_id + 1
   table.insert(threads, thread)
end

function init(args)
   local path = args[1]
   nthreads = tonumber(args[2])
   if path == nil or nthreads == nil or nthreads < 1 then
      error("usage: wrk ... -s bookings.lua URL -- SLOTS_FILE NTHREADS")
   end
   if id >= nthreads then
      error(string.format("thread id %d >= NTHREADS %d: pass wrk's -t value", id, nthreads))
   end

   local headers = { ["Content-Type"] = "application/json" }
   local template = '{"specialist_id":%d,"start":"%s",'
      .. '"patient":{"last_name":"Иванов","first_name":"Иван",'
      .. '"middle_name":"Иванович","birth_date":"1980-01-31",'
      .. '"phone":"+7 900 %03d-%02d-%02d","email":null},'
      .. '"consents":{"personal_data":true,"calls":false}}'

   -- Pre-build this thread's requests (request() must be cheap).
   requests_list = {}
   local index = 0
   for sid, start in dofile(path):gmatch("(%d+) (%S+)") do
      if index % nthreads == id then
         local n = PHONE_BASE + index
         if n > 9999999 then
            error("too many slots for the +7 900 XXX-XX-XX phone space")
         end
         local body = string.format(template, tonumber(sid), start,
            math.floor(n / 10000), math.floor(n / 100) % 100, n % 100)
         requests_list[#requests_list + 1] =
            wrk.format("POST", "/api/v1/bookings", headers, body)
      end
      index = index + 1
   end
   health_request = wrk.format("GET", "/health", {}, nil)

   slots = #requests_list -- slots assigned to this thread
   sent = 0               -- bookings sent
   ok = 0                 -- 201 Created
   failed = 0             -- any other status
   filler = 0             -- 200s: answers to the GET /health filler
   exhausted = 0          -- 1 once this thread ran out of slots
   first_failure = nil    -- "status body" of the first failed booking
end

function request()
   if sent < slots then
      sent = sent + 1
      return requests_list[sent]
   end
   if exhausted == 0 then
      exhausted = 1
      wrk.thread:stop()
   end
   return health_request
end

function response(status, headers, body)
   if status == 201 then
      ok = ok + 1
   elseif status == 200 then
      filler = filler + 1
   else
      failed = failed + 1
      if first_failure == nil then
         first_failure = status .. " " .. string.sub((body or ""):gsub("%s+", " "), 1, 300)
      end
   end
end

function done(summary, latency, requests)
   local total = { slots = 0, sent = 0, ok = 0, failed = 0, filler = 0, exhausted = 0 }
   local failure = nil
   local nthreads = threads[1] and threads[1]:get("nthreads")
   if nthreads ~= #threads then
      io.write(string.format("bookings: WARNING: NTHREADS argument %s but wrk ran %d threads;"
         .. " some slots were never used\n", tostring(nthreads), #threads))
   end
   for _, t in ipairs(threads) do
      for k, _ in pairs(total) do
         total[k] = total[k] + (t:get(k) or 0)
      end
      failure = failure or t:get("first_failure")
   end
   local seconds = summary.duration / 1e6
   io.write(string.format(
      "bookings: ok=%d failed=%d filler=%d sent=%d slots=%d threads=%d exhausted_threads=%d"
         .. " duration_s=%.3f ok_per_s=%.1f\n",
      total.ok, total.failed, total.filler, total.sent, total.slots, #threads,
      total.exhausted, seconds, total.ok / seconds))
   if failure ~= nil then
      io.write("bookings: first_failure=" .. failure .. "\n")
   end
end
