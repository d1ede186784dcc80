// Package dist is the monitor-side logic of the capability operations that
// span cores: retype, revoke and delete of a capability whose copies or
// descendants live on other cores (docs/decisions.md, 9; Barrelfish
// TN-013 and usr/monitor/capops give the background).
//
// # Where it runs
//
// One Monitor value per core, inside that core's monitor (ring 3). It is a
// deterministic state machine: Start begins an operation, Handle consumes
// one message, and both return the messages to send and, when an
// operation this core coordinates ends, its Result. It does no I/O and
// keeps no clock, so the tests drive it directly and an explorer runs every
// interleaving of its messages. Only the owning core's monitor touches a
// Monitor; other cores reach it only through messages.
//
// # The protocol: two-phase commit with wait-die locking
//
// The core that starts an operation coordinates it. Every core, the
// coordinator included, is a participant and holds at most one operation
// lock for the capability.
//
//  1. Prepare. The coordinator sends Prepare to every core. A participant
//     whose lock is free takes it for the operation and checks its local
//     state (retype: no local descendant overlaps the range; every kind:
//     the coordinator still holds a copy). It votes yes and keeps the lock,
//     or votes no and releases it.
//  2. Decide. When every vote is in, the coordinator decides: commit if all
//     voted yes, abort otherwise.
//  3. Commit or abort. Every participant applies the operation to its local
//     state (commit) or not (abort), adopts the owner the decision names,
//     and releases its lock.
//
// A participant whose lock is held decides by age (wait-die, Rosenkrantz,
// Stearns and Lewis 1978): an operation older than the holder waits in a
// queue; a younger one is refused at once with Busy and its caller may
// retry later. Waits therefore only ever point from older to younger
// operations, so there is no cycle and no deadlock, and the oldest
// operation in the system is never refused for being busy. When a lock is
// released the oldest waiter takes it; the other waiters are younger than
// it and are refused.
//
// # Why memory is never retyped twice
//
// A retype commits only after every core, while holding its lock, found no
// overlapping descendant; the new descendant appears at the coordinator
// before it releases the lock. A second retype of overlapping memory
// either meets the lock held at some core (and waits or is refused) or
// runs its checks after the first committed, and finds its descendant.
//
// The explorer in the tests checks this over every interleaving of
// messages for three cores and two operations, with broadcasts sent
// directly or forwarded along chains, and operations refused as busy
// retried: freedom from deadlock; that the cores end as running the
// committed operations one at a time in the order they committed leaves
// them (copies, descendants, owner, announced holders); and progress:
// an operation aborts only for a conflict that a state its checks could
// see has, or as busy while another operation runs. Mutation tests break
// the protocol in one place at a time and check that the explorer
// notices.
//
// # Messages
//
// Channels between monitors are FIFO (URPC, docs/decisions.md, 8). The
// protocol relies on that in that a participant receives an operation's
// Prepare before its Commit or Abort. A caller that retries an operation
// refused as busy with the same id, so that it ages and eventually wins
// (the monitors do), relies on it too: the Abort that ended an attempt
// reaches each core before the retry's Prepare, and no core still queues
// the attempt (the coordinator decided only once every core voted).
// Otherwise the stale Abort would release the lock the retry holds. The
// coordinator's Prepare, Commit and Abort may travel along a tree, each
// core passing them on to its children (the monitors' capfwd): what one
// coordinator sends still reaches each core in order.
package dist
