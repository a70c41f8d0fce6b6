// Package bench measures what Interlock's users feel, against the limits the
// project promises: how fast a slash command is acknowledged, how quickly a
// crisis room is assembled, how many listening data points a second are
// ingested, how late durable timers fire with 100,000 issues open, and how
// small the binary and its idle process are.
//
// Every scenario runs the real code paths (real HTTP servers on 127.0.0.1,
// real PostgreSQL and Redis, a local Slack-format server) and returns a
// Scenario: a table of figures and the targets reported as met or not.
// Nothing here fails a test; bench/cmd/interlock-bench (make bench) prints
// the tables and writes bench/results.json.
package bench
