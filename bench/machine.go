package bench

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ThisMachine describes the machine running the benchmarks.
func ThisMachine() Machine {
	return Machine{CPUs: runtime.NumCPU(), GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH, LoadBefore: loadAverage()}
}

// loadAverage is the one-minute load average (-1 when unknown): other work
// on the machine skews every figure.
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	first, _, _ := strings.Cut(string(b), " ")
	v, err := strconv.ParseFloat(first, 64)
	if err != nil {
		return -1
	}
	return v
}

func cpuText() string { return fmt.Sprintf("%d CPUs", runtime.NumCPU()) }

// procStatus reads memory figures (in bytes) from /proc/<pid>/status:
// VmRSS is the resident set now, VmHWM its peak.
func procStatus(pid int, fields ...string) (map[string]uint64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil, fmt.Errorf("read process status: %w", err)
	}
	defer f.Close()
	out := map[string]uint64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || !contains(fields, name) {
			continue
		}
		kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("parse %s in process status: %w", name, err)
		}
		out[name] = kb << 10
	}
	return out, sc.Err()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func heapInUse() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func rss() uint64 {
	st, err := procStatus(os.Getpid(), "VmRSS")
	if err != nil {
		return 0
	}
	return st["VmRSS"]
}

// sampleMemory samples RSS and heap every interval until the returned
// function is called, which gives the peaks.
func sampleMemory(every time.Duration) func() (peakRSS, peakHeap uint64) {
	done := make(chan struct{})
	var rssPeak, heapPeak uint64
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			rssPeak, heapPeak = max(rssPeak, rss()), max(heapPeak, heapInUse())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	return func() (uint64, uint64) {
		close(done)
		wg.Wait()
		return rssPeak, heapPeak
	}
}
