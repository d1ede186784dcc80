package trace

// This core's tracing: set once by Start, before the core's other
// goroutines run, and read-only afterwards (each core's CPU driver has
// its own copy of these variables: one runtime per core).
var (
	enabled Mask
	local   *Ring
	clock   func() int64
)

// Start makes this core record the events in m into r, with times from
// now. The CPU driver calls it once, early; until then (and with m 0)
// Add costs a load and a branch.
func Start(r *Ring, m Mask, now func() int64) {
	local, clock = r, now
	enabled = m
}

// On reports whether this core records ev.
func On(ev Event) bool { return enabled&(1<<ev) != 0 }

// Add records ev with arguments a and b on this core, if it records ev.
func Add(ev Event, a uint16, b uint32) {
	if enabled&(1<<ev) != 0 {
		local.Add(uint64(clock()), ev, a, b)
	}
}

// Now returns the time Add would record now (0 if this core does not
// record ev), for AddAt.
func Now(ev Event) uint64 {
	if enabled&(1<<ev) != 0 {
		return uint64(clock())
	}
	return 0
}

// AddAt records ev as Add does, with the time now from Now: for an event
// known to have happened only after the moment it must be placed at (a
// message is recorded once its post succeeded, at the time before it,
// so that its receive never precedes it).
func AddAt(now uint64, ev Event, a uint16, b uint32) {
	if enabled&(1<<ev) != 0 {
		local.Add(now, ev, a, b)
	}
}

// Local returns this core's ring (nil if it does not trace).
func Local() *Ring { return local }
