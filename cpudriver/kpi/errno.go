package kpi

// Error numbers the CPU driver answers system calls with, as negative
// return values: Linux's (asm-generic/errno-base.h, errno.h), since
// native calls and the Go personality share one convention.
const (
	EPERM     = 1
	ENOENT    = 2
	ESRCH     = 3
	EINTR     = 4
	EIO       = 5
	EBADF     = 9
	EAGAIN    = 11
	ENOMEM    = 12
	EACCES    = 13
	EFAULT    = 14
	EBUSY     = 16
	EEXIST    = 17
	ENODEV    = 19
	EINVAL    = 22
	EMFILE    = 24
	ENOSPC    = 28
	EPIPE     = 32
	ENOSYS    = 38
	ETIMEDOUT = 110
)
