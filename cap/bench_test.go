package cap

import "testing"

// benchDB returns a DB holding 1 GiB of RAM.
func benchDB(b *testing.B) (*DB, ID) {
	db := NewDB(0)
	ram, err := db.Create(Cap{Type: RAM, Base: 1 << 30, Size: 1 << 30, Rights: AllRights})
	if err != nil {
		b.Fatal(err)
	}
	return db, ram
}

// BenchmarkRetype measures a local retype of one 4 KiB frame out of a
// 1 GiB RAM capability that holds up to 262,144 frames already.
func BenchmarkRetype(b *testing.B) {
	db, ram := benchDB(b)
	const pages = (1 << 30) / pageSize
	off := uint64(0)
	for b.Loop() {
		if off == pages {
			b.StopTimer()
			if _, err := db.Revoke(ram); err != nil {
				b.Fatal(err)
			}
			off = 0
			b.StartTimer()
		}
		if _, err := db.Retype(ram, RetypeArgs{Type: Frame, Offset: off * pageSize, ObjSize: pageSize, Count: 1}); err != nil {
			b.Fatal(err)
		}
		off++
	}
}

// BenchmarkCopy measures a local copy of a frame capability.
func BenchmarkCopy(b *testing.B) {
	db, ram := benchDB(b)
	fr, err := db.Retype(ram, RetypeArgs{Type: Frame, ObjSize: pageSize, Count: 1024})
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for b.Loop() {
		if _, err := db.Copy(fr[n%len(fr)]); err != nil {
			b.Fatal(err)
		}
		n++
	}
}

// BenchmarkRevoke measures the revoke of a 64 KiB RAM capability with 16
// frames and a copy of each, in a DB of about 8,000 capabilities.
func BenchmarkRevoke(b *testing.B) {
	db, ram := benchDB(b)
	parts, err := db.Retype(ram, RetypeArgs{Type: RAM, ObjSize: 64 << 10, Count: 256})
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range parts[1:] {
		fill(b, db, p)
	}
	for b.Loop() {
		b.StopTimer()
		fill(b, db, parts[0])
		b.StartTimer()
		if n, err := db.Revoke(parts[0]); err != nil || n != 32 {
			b.Fatal(n, err)
		}
	}
}

// fill retypes p into 16 frames and copies each.
func fill(b *testing.B, db *DB, p ID) {
	fr, err := db.Retype(p, RetypeArgs{Type: Frame, ObjSize: pageSize, Count: 16})
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range fr {
		if _, err := db.Copy(f); err != nil {
			b.Fatal(err)
		}
	}
}
