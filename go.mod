module multikernel

go 1.26
