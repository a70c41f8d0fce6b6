package redis

import (
	"context"
	"fmt"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/interlock-coe/interlock/bot"
)

// A window is two keys: a sorted set of members scored by unix
// milliseconds, and a hash of member to value. Scripts change both at once,
// so re-adding a member replaces its point atomically.

// windowAddScript records one point, then, when keep > 0, drops points
// scored below the cutoff and lets both keys expire after keep.
// KEYS: points, values. ARGV: member, millis, value, keep millis, cutoff.
var windowAddScript = goredis.NewScript(`
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
if tonumber(ARGV[4]) > 0 then
  local old = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[5])
  for _, m in ipairs(old) do
    redis.call('HDEL', KEYS[2], m)
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[5])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
end
return 1`)

// windowRangeScript returns member, score, value triples for the scores in
// [ARGV[1], ARGV[2]), oldest first. KEYS: points, values.
var windowRangeScript = goredis.NewScript(`
local points = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[2], 'WITHSCORES')
local out = {}
for i = 1, #points, 2 do
  out[#out + 1] = points[i]
  out[#out + 1] = points[i + 1]
  out[#out + 1] = redis.call('HGET', KEYS[2], points[i]) or ''
end
return out`)

// WindowAdd records value at at (to the millisecond) under member in the
// window at key, replacing the member's previous point. When keep > 0,
// points older than at-keep are dropped and the whole window expires keep
// from now unless added to again.
func (c *Coordinator) WindowAdd(ctx context.Context, key, member string, at time.Time, value float64, keep time.Duration) error {
	ms := at.UnixMilli()
	keepMs := millis(keep)
	cutoff := "(" + strconv.FormatInt(ms-keepMs, 10)
	err := windowAddScript.Run(ctx, c.client, c.windowKeys(key),
		member, ms, strconv.FormatFloat(value, 'g', -1, 64), keepMs, cutoff).Err()
	if err != nil {
		return c.fail("window add", key, err)
	}
	return nil
}

// WindowRange returns the points of the window at key with from <= At < to
// (to the millisecond), oldest first and, at the same time, by member.
func (c *Coordinator) WindowRange(ctx context.Context, key string, from, to time.Time) ([]bot.WindowPoint, error) {
	fromArg := strconv.FormatInt(from.UnixMilli(), 10)
	toArg := "(" + strconv.FormatInt(to.UnixMilli(), 10)
	fields, err := windowRangeScript.Run(ctx, c.client, c.windowKeys(key), fromArg, toArg).StringSlice()
	if err != nil {
		return nil, c.fail("window range", key, err)
	}
	points, err := parsePoints(fields)
	if err != nil {
		return nil, fmt.Errorf("redis window range %q: %w", key, err)
	}
	return points, nil
}

// windowKeys returns the sorted-set and hash keys of the window at key.
func (c *Coordinator) windowKeys(key string) []string {
	return []string{c.key("window", key) + ":points", c.key("window", key) + ":values"}
}

// parsePoints reads windowRangeScript's member, score, value triples.
func parsePoints(fields []string) ([]bot.WindowPoint, error) {
	var points []bot.WindowPoint
	for i := 0; i+2 < len(fields); i += 3 {
		member := fields[i]
		score, err := strconv.ParseFloat(fields[i+1], 64)
		if err != nil {
			return nil, fmt.Errorf("point %q: bad score %q: %w", member, fields[i+1], err)
		}
		value, err := strconv.ParseFloat(fields[i+2], 64)
		if err != nil {
			return nil, fmt.Errorf("point %q: bad value %q: %w", member, fields[i+2], err)
		}
		points = append(points, bot.WindowPoint{Member: member, At: time.UnixMilli(int64(score)), Value: value})
	}
	return points, nil
}
